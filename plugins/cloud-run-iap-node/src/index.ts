/**
 * The Google Cloud client layer shared by the Cloud Run IAP backend plugin and scaffolder
 * actions.
 *
 * @packageDocumentation
 */
export {
  GoogleCloudClient,
  iapResourceName,
  iapServiceAgent,
  iapSettingsResources,
} from './GoogleCloudClient';
export type {
  AccessLevel,
  AccessPolicy,
  CallOptions,
  GoogleCallPools,
  GoogleCloudClientOptions,
  GoogleRequestOptions,
  GroupMemberRelation,
  IamBinding,
  IamPolicy,
  IamRole,
  IamTarget,
  IapSettings,
  IapSettingsLevel,
  Operation,
  OrgPolicy,
  ResolvedProject,
  RetryTuning,
  RunService,
  Secret,
  ServiceAccount,
  ServicePerimeter,
  TransitiveMemberships,
  WithoutNulls,
} from './GoogleCloudClient';
export {
  changeAccessors,
  IamPolicyChangedError,
  modifyIapAccessPolicy,
  readIapAccessPolicy,
  toAnalysisPolicy,
  writeIapAccessPolicy,
} from './iam/iapAccessPolicy';
export { memberPolicyOf } from './iam/memberPolicy';
export { readCloudRunIapConfig } from './config';
export type { CloudRunIapConfig } from './config';
export {
  cloudRunIapGoogleServiceRef,
  GoogleCloudService,
} from './GoogleCloudService';
export { ConcurrencyLimiter } from './concurrency';
export { GoogleApiError } from './errors';
export type { GoogleApiErrorReason } from './errors';
export { PLACEHOLDER_ACCESS_TOKEN } from './auth';
export {
  describeGoogleError,
  isRetryable,
  retryDelayMs,
  sleep,
  withRetries,
} from './retry';
export type { GoogleCallError, RetryOptions } from './retry';
export { scrubGoogleText } from './scrub';
