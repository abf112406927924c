export { AccessChangesPanel } from './AccessChangesPanel';
export { ManageAccessSections } from './ManageAccessSections';
