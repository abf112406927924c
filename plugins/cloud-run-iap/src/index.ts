/**
 * Entity card, access review page and scaffolder field extensions for Cloud Run services with
 * Identity-Aware Proxy enabled directly on the service. This entry point serves the legacy
 * frontend system; the new frontend system uses the default export of `./alpha`.
 *
 * @packageDocumentation
 */
export {
  cloudRunIapPlugin,
  EntityCloudRunIapCard,
  EntityCloudRunIapContent,
  EntityCloudRunIapOverviewCard,
  CloudRunIapReviewPage,
  CloudRunIapAccessLevelPickerFieldExtension,
  CloudRunIapAccessorsPickerFieldExtension,
} from './plugin';
export {
  cloudRunIapApiRef,
  CloudRunIapClient,
  classifyCloudRunIapError,
  AccessChangedSinceYouLookedError,
} from './api';
export type {
  AccessChange,
  AccessChangeConflict,
  AccessChangePreview,
  AccessChangeRequest,
  AccessDecision,
  AccessEvent,
  AccessHistory,
  AccessPolicySnapshot,
  AccessRequest,
  AccessRequestDuration,
  AccessRequestList,
  AccessRequestStatus,
  NewAccessRequest,
  SelfCheckMissingReason,
  SelfCheckRequest,
  SelfCheckResult,
  SelfCheckService,
  SelfCheckVerdict,
  UnmanagedGrant,
  CloudRunIapApi,
  CloudRunIapErrorInfo,
  CloudRunIapErrorKind,
  ReviewOptions,
} from './api';
export type {
  AccessLevelPickerUiOptions,
  AccessorsPickerUiOptions,
} from './components/fields';
export { validateMember, validateMembers } from './components/fields';
export { isCloudRunIapAvailable } from '@internal-apps/plugin-cloud-run-iap-common';
export { reviewRouteRef } from './routes';
