/**
 * A catalog backend module that discovers every Cloud Run service of the configured projects
 * as a Resource entity, linked and owned as the service itself says.
 *
 * @packageDocumentation
 */
export { catalogModuleCloudRunIap as default } from './module';
export { CloudRunServiceEntityProvider } from './CloudRunServiceEntityProvider';
export type { CloudRunServiceEntityProviderOptions } from './CloudRunServiceEntityProvider';
export {
  cloudRunServiceEntity,
  cloudRunServiceEntityName,
} from './serviceEntity';
export type {
  CloudRunServiceEntityOptions,
  DiscoveredService,
} from './serviceEntity';
export { readCloudRunDiscoveryConfig } from './config';
export type { CloudRunDiscoveryConfig } from './config';
export type { DiscoveryOutcome } from './discoveryMetrics';
