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
  CallOptions,
  GoogleCallPools,
  GoogleCallRecord,
  GoogleCloudClientOptions,
  GoogleRequestOptions,
  IamTarget,
  Operation,
  ResolvedProject,
  RetryTuning,
  RunService,
  Secret,
  ServiceAccount,
  TransitiveMemberships,
} from './GoogleCloudClient';
export type { WithoutNulls } from './googleToCommon';
export {
  changeAccessors,
  IamPolicyChangedError,
  modifyIapAccessPolicy,
  readIapAccessPolicy,
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
export { googleCallMetrics } from './googleCallMetrics';
