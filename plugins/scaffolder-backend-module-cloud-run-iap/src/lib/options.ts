import type {
  AuditorService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { GoogleCloudClient } from '@internal-apps/plugin-cloud-run-iap-node';
import { DEFAULT_PROPAGATION_RETRY, PropagationRetry } from './grants';

/** What both action factories take. */
export interface CloudRunIapActionOptions {
  /**
   * Builds the Google client for one task run, given the task's logger, so retries show in
   * the task log. The module passes `logger => google.forLogger(logger)` (cloudRunIapGoogleServiceRef).
   */
  clientFor: (logger: LoggerService) => GoogleCloudClient;
  /**
   * Checks `cloud-run-iap.access.manage` on the app's entity for the task's initiator before
   * `update-iap-access` changes anything. The module passes `coreServices.permissions`.
   */
  permissions: PermissionsService;
  /**
   * The task initiator's ownership claims: the create action records an owner group only when
   * the initiator is in it. The module passes `coreServices.userInfo`.
   */
  userInfo: UserInfoService;
  /**
   * Reads the app's entity with the initiator's credentials, to check its spec.owner against
   * the owner recorded on the service. The module passes `catalogServiceRef`.
   */
  catalog: CatalogService;
  /** Records every access change (`iap-access-change`). The module passes `coreServices.auditor`. */
  auditor: AuditorService;
  /** How often to log while waiting for Cloud Run. Default 10 s. */
  progressEveryMs?: number;
  /** How long to wait for one Cloud Run operation. Default 20 minutes. */
  operationTimeoutMs?: number;
  /** Waits while Google reports the IAP agent as not yet propagated. Default 10 × 15 s. */
  agentPropagation?: PropagationRetry;
}

export const DEFAULT_PROGRESS_EVERY_MS = 10_000;
export const DEFAULT_OPERATION_TIMEOUT_MS = 20 * 60_000;

/** The options with their defaults applied. */
export function resolveActionOptions(options: CloudRunIapActionOptions) {
  return {
    progressEveryMs: options.progressEveryMs ?? DEFAULT_PROGRESS_EVERY_MS,
    timeoutMs: options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS,
    propagation: options.agentPropagation ?? DEFAULT_PROPAGATION_RETRY,
  };
}
