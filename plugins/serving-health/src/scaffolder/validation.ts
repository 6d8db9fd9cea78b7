import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { checkLabels } from '@serving-health/plugin-serving-health-policy';
import { conventionsFor, LabelsFieldOptions } from './labelRows';

/** Blocks the step on any finding `serving-health:validate` would fail the task on. */
export const labelsFieldValidation: CustomFieldValidator<
  Record<string, string>,
  LabelsFieldOptions
> = (data, field, context) => {
  const conventions = conventionsFor(context.uiSchema?.['ui:options']);
  for (const issue of checkLabels(data ?? {}, { conventions })) {
    field.addError(`${issue.rule}: ${issue.message}`);
  }
};
