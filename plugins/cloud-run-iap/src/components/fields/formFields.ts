import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { AccessLevelPicker } from './AccessLevelPicker';
import { AccessorsPicker, accessorsPickerValidation } from './AccessorsPicker';
import { ACCESS_LEVEL_PICKER, ACCESSORS_PICKER } from './index';
import { accessLevelPickerSchema, accessorsPickerSchema } from './schemas';

/** The access-level picker for the new frontend system's scaffolder. */
export const accessLevelPickerFormField = createFormField({
  name: ACCESS_LEVEL_PICKER,
  component: AccessLevelPicker,
  schema: accessLevelPickerSchema,
});

/** The accessors picker for the new frontend system's scaffolder. */
export const accessorsPickerFormField = createFormField({
  name: ACCESSORS_PICKER,
  component: AccessorsPicker,
  validation: accessorsPickerValidation,
  schema: accessorsPickerSchema,
});
