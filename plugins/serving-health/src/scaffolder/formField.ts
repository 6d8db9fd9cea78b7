import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { LabelsField } from './LabelsField';
import { labelsFieldSchema } from './schema';
import { labelsFieldValidation } from './validation';

/** The `ServingHealthLabels` field for the new frontend system's scaffolder (loaded by FormFieldBlueprint). */
export const servingHealthLabelsFormField = createFormField({
  name: 'ServingHealthLabels',
  component: LabelsField,
  validation: labelsFieldValidation,
  schema: labelsFieldSchema,
});
