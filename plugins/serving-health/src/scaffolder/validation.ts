import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { checkLabels } from '@serving-health/plugin-serving-health-policy';
import { kyvernoResource, loadKyverno } from './kyverno';
import { conventionsFor, LabelsFieldOptions } from './labelRows';

/**
 * Blocks the step on any finding `serving-health:validate` would fail the task on, and on the Kyverno denials
 * of Enforce rules (`ui:options.kyverno`; Audit ones only warn, in the field). Policies that cannot be loaded
 * do not block: the field says so, and the task's validate step reads them again.
 */
export const labelsFieldValidation: CustomFieldValidator<
  Record<string, string>,
  LabelsFieldOptions
> = async (data, field, context) => {
  const options = context.uiSchema?.['ui:options'];
  const conventions = conventionsFor(options);
  for (const issue of checkLabels(data ?? {}, { conventions })) {
    field.addError(`${issue.rule}: ${issue.message}`);
  }
  if (!options?.kyverno) return;
  let evaluator;
  try {
    evaluator = await loadKyverno(context.apiHolder, options.kyverno);
  } catch {
    return;
  }
  const verdict = evaluator.evaluate(
    kyvernoResource(
      options.kyverno,
      data ?? {},
      context.formData as Record<string, unknown>,
    ),
  );
  if (verdict.enforceMessage) field.addError(verdict.enforceMessage);
};
