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
} from './actions/createIapService/action';
export type { CreateIapServiceActionOptions } from './actions/createIapService/action';
export {
  createUpdateIapAccessAction,
  UPDATE_IAP_ACCESS_ACTION_ID,
} from './actions/updateIapAccess/action';
export type { UpdateIapAccessActionOptions } from './actions/updateIapAccess/action';
export type { CloudRunIapActionOptions } from './lib/options';
export type { PropagationRetry } from './lib/grants';
