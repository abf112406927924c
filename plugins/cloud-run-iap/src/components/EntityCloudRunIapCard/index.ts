export { EntityCloudRunIapCard } from './EntityCloudRunIapCard';
export { EntityCloudRunIapContent } from './EntityCloudRunIapContent';
export { EntityCloudRunIapOverviewCard } from './EntityCloudRunIapOverviewCard';
export { entitySections, serviceSections } from './accessTabSections';
export type {
  AccessSection,
  EntitySectionProps,
  ServiceSectionProps,
} from './accessTabSections';
