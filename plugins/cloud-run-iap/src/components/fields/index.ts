export { AccessLevelPicker, projectFrom } from './AccessLevelPicker';
export type { AccessLevelPickerUiOptions } from './AccessLevelPicker';
export { AccessorsPicker, accessorsPickerValidation } from './AccessorsPicker';
export type { AccessorsPickerUiOptions } from './AccessorsPicker';
export { validateMember, validateMembers } from './memberValidation';

/** `ui:field` names of the field extensions. */
export const ACCESS_LEVEL_PICKER = 'CloudRunIapAccessLevelPicker';
export const ACCESSORS_PICKER = 'CloudRunIapAccessorsPicker';
