import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  AccessLevelsResponse,
  AccessReportResponse,
  ReviewResponse,
  SimulationRequest,
  SimulationResult,
} from '@internal-apps/plugin-cloud-run-iap-common';

/** Which review to read: the owner's apps in one system, one row per person. */
export interface ReviewOptions {
  system?: string;
  expand?: 'people';
}

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
   * owner's apps in that system; `expand: 'people'` gives one row per person who can get in,
   * groups expanded, with the groups each comes through.
   */
  getReview(owner: string, options?: ReviewOptions): Promise<ReviewResponse>;
  /** The same review as CSV (with a header row), as served by the backend. */
  getReviewCsv(owner: string, options?: ReviewOptions): Promise<Blob>;
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
