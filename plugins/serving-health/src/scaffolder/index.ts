import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { servingHealthPlugin } from '../plugin';
import { LabelsField } from './LabelsField';
import { LabelsFieldOptions } from './labelRows';
import { labelsFieldSchema } from './schema';
import { labelsFieldValidation } from './validation';

export type { LabelsFieldOptions } from './labelRows';
export type { LabelsFieldKyvernoOptions } from './kyverno';

/**
 * Scaffolder form field `ServingHealthLabels`: a labels editor (an object of string values) that applies the
 * label rules of `serving-health:validate` as the user types.
 *
 * @public
 */
export const ServingHealthLabelsFieldExtension = servingHealthPlugin.provide(
  createScaffolderFieldExtension<Record<string, string>, LabelsFieldOptions>({
    name: 'ServingHealthLabels',
    component: LabelsField,
    validation: labelsFieldValidation,
    schema: labelsFieldSchema.schema,
  }),
);
