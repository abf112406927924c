export { cloudRunIapApiRef } from './CloudRunIapApi';
export type { CloudRunIapApi, ReviewOptions } from './CloudRunIapApi';
export { CloudRunIapClient } from './CloudRunIapClient';
export {
  AccessChangedSinceYouLookedError,
  classifyCloudRunIapError,
} from './errors';
export type { CloudRunIapErrorInfo, CloudRunIapErrorKind } from './errors';
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
} from './accessTypes';
