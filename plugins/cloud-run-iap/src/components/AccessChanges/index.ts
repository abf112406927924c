export { AccessChangesPanel } from './AccessChangesPanel';
