import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  AccessLevelsResponse,
  AccessReportResponse,
  ReviewResponse,
  SimulationRequest,
  SimulationResult,
} from '@internal-apps/plugin-cloud-run-iap-common';

/**
 * The browser side of the cloud-run-iap backend (`/api/cloud-run-iap`). Every method rejects with
 * a `ResponseError` from `@backstage/errors` when the backend answers with an error; use
 * {@link classifyCloudRunIapError} to turn it into a UI state.
 *
 * @public
 */
export interface CloudRunIapApi {
  /** Who can reach the services the entity annotates. `refresh` bypasses the backend cache. */
  getAccessReport(
    entityRef: CompoundEntityRef,
    options?: { refresh?: boolean },
  ): Promise<AccessReportResponse>;
  /** Would IAP admit a request from this context, per accessor. */
  simulateAccess(
    entityRef: CompoundEntityRef,
    request: SimulationRequest,
  ): Promise<SimulationResult>;
  /**
   * One row per (app, service, accessor) of every app the owner owns; `system` keeps only the
   * owner's apps in that system.
   */
  getReview(
    owner: string,
    options?: { system?: string },
  ): Promise<ReviewResponse>;
  /** The same review as CSV (with a header row), as served by the backend. */
  getReviewCsv(owner: string, options?: { system?: string }): Promise<Blob>;
  /** Access levels IAP can use for the project's organization. */
  getAccessLevels(projectId: string): Promise<AccessLevelsResponse>;
}

/**
 * Reference to the {@link CloudRunIapApi}.
 *
 * @public
 */
export const cloudRunIapApiRef = createApiRef<CloudRunIapApi>().with({
  id: 'plugin.cloud-run-iap.client',
  pluginId: 'cloud-run-iap',
});
