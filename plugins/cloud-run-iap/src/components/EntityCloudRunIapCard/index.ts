export { EntityCloudRunIapCard } from './EntityCloudRunIapCard';
