import type {
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { GoogleCloudClient } from '@internal-apps/plugin-cloud-run-iap-node';

/** What both action factories take. */
export interface CloudRunIapActionOptions {
  /**
   * Builds the Google client for one task run, given the task's logger, so retries show in
   * the task log. The module passes `logger => GoogleCloudClient.fromConfig(config, { logger })`.
   */
  clientFor: (logger: LoggerService) => GoogleCloudClient;
  /**
   * Checks `cloud-run-iap.access.manage` on the app's entity for the task's initiator before
   * `update-iap-access` changes anything. The module passes `coreServices.permissions`.
   */
  permissions: PermissionsService;
  /** How often to log while waiting for Cloud Run. Default 10 s. */
  progressEveryMs?: number;
  /** How long to wait for one Cloud Run operation. Default 20 minutes. */
  operationTimeoutMs?: number;
}

export const DEFAULT_PROGRESS_EVERY_MS = 10_000;
export const DEFAULT_OPERATION_TIMEOUT_MS = 20 * 60_000;
