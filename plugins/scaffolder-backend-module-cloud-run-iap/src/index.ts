/**
 * Scaffolder actions that create Cloud Run services with Identity-Aware Proxy on and govern
 * who can reach them.
 *
 * @packageDocumentation
 */
export { scaffolderModuleCloudRunIap as default } from './module';
export {
  createCreateIapServiceAction,
  CREATE_IAP_SERVICE_ACTION_ID,
  DEPRECATED_CREATE_IAP_SERVICE_ACTION_ID,
} from './actions/createIapService';
export type {
  CreateIapServiceActionOptions,
  CreateIapServiceOutput,
} from './actions/createIapService';
export {
  createUpdateIapAccessAction,
  UPDATE_IAP_ACCESS_ACTION_ID,
  DEPRECATED_UPDATE_IAP_ACCESS_ACTION_ID,
} from './actions/updateIapAccess';
export type {
  UpdateIapAccessActionOptions,
  UpdateIapAccessOutput,
} from './actions/updateIapAccess';
export type {
  CreateIapServiceInput,
  ParsedCreateIapServiceInput,
} from './actions/createIapServiceInput';
export type {
  ParsedUpdateIapAccessInput,
  UpdateIapAccessInput,
} from './actions/updateIapAccessInput';
export type { CloudRunIapActionOptions } from './lib/options';
export type { PropagationRetry } from './lib/grants';
