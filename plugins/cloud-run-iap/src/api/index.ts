export { cloudRunIapApiRef } from './CloudRunIapApi';
export type { CloudRunIapApi } from './CloudRunIapApi';
export { CloudRunIapClient } from './CloudRunIapClient';
export { classifyCloudRunIapError } from './errors';
export type { CloudRunIapErrorInfo, CloudRunIapErrorKind } from './errors';
