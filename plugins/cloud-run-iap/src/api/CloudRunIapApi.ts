import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  AccessLevelsResponse,
  AccessReportResponse,
  ReviewResponse,
  SimulationRequest,
  SimulationResult,
} from '@internal-apps/plugin-cloud-run-iap-common';
import {
  AccessChange,
  AccessChangePreview,
  AccessDecision,
  AccessHistory,
  AccessRequest,
  AccessRequestList,
  NewAccessRequest,
  SelfCheckRequest,
  SelfCheckResult,
} from './accessTypes';

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
  /** What a change of the managed grants would do (a dry run); nothing is written. */
  previewAccessChange(
    entityRef: CompoundEntityRef,
    change: AccessChange,
  ): Promise<AccessChangePreview>;
  /**
   * Applies a previewed change with the preview's etag. When the access changed since,
   * rejects with an {@link AccessChangedSinceYouLookedError} carrying a fresh preview.
   */
  applyAccessChange(
    entityRef: CompoundEntityRef,
    change: AccessChange & { etag: string },
  ): Promise<AccessChangePreview>;
  /** Asks the app's owners for access for the signed-in user. */
  requestAccess(
    entityRef: CompoundEntityRef,
    request: NewAccessRequest,
  ): Promise<AccessRequest>;
  /** The app's requests: all of them for its managers, else only the caller's own. */
  listAccessRequests(entityRef: CompoundEntityRef): Promise<AccessRequestList>;
  /** Pending requests of every app the caller may manage. */
  listPendingAccessRequests(): Promise<AccessRequestList>;
  /** Approves (writing the grant) or denies a pending request. */
  decideAccessRequest(
    requestId: string,
    decision: AccessDecision,
  ): Promise<AccessRequest>;
  /** The app's access changes, requests, decisions and expiries, newest first. */
  getAccessHistory(entityRef: CompoundEntityRef): Promise<AccessHistory>;
  /** "Why can't I get in?": the signed-in user's own access, from an optional context. */
  checkMyAccess(
    entityRef: CompoundEntityRef,
    context?: SelfCheckRequest,
  ): Promise<SelfCheckResult>;
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
