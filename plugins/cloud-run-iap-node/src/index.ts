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
} from './GoogleCloudClient';
export type {
  AccessLevel,
  AccessPolicy,
  CallOptions,
  IamBinding,
  IamPolicy,
  IamTarget,
  IapSettings,
  Operation,
  ResolvedProject,
  RunService,
  ServicePerimeter,
} from './GoogleCloudClient';
export { readCloudRunIapConfig } from './config';
export type { CloudRunIapConfig } from './config';
export { ConcurrencyLimiter } from './concurrency';
export { describeGoogleError, isRetryable, withRetries } from './retry';
export type { GoogleCallError, RetryOptions } from './retry';
export { scrubGoogleText } from './scrub';
