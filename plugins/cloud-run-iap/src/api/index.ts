export { cloudRunIapApiRef } from './CloudRunIapApi';
export type { CloudRunIapApi, ReviewOptions } from './CloudRunIapApi';
export { CloudRunIapClient } from './CloudRunIapClient';
export { classifyCloudRunIapError } from './errors';
export type { CloudRunIapErrorInfo, CloudRunIapErrorKind } from './errors';
