import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/** The labels field's value and `ui:options`: one schema for both frontend systems. */
export const labelsFieldSchema = makeFieldSchema({
  output: z => z.record(z.string()),
  uiOptions: z =>
    z.object({
      requiredLabels: z
        .array(z.string())
        .optional()
        .describe('Keys that must be present'),
      keyStyle: z
        .enum(['kebab-case', 'snake_case', 'camelCase', 'any'])
        .optional()
        .describe('The spelling label keys must follow'),
      exemptPrefixes: z
        .array(z.string())
        .optional()
        .describe('Key prefixes the key style does not apply to'),
      kyverno: z
        .object({
          cluster: z
            .string()
            .describe('Configured cluster to read policies from'),
          namespace: z
            .string()
            .optional()
            .describe("The resource's namespace (its Policies apply too)"),
          apiVersion: z
            .string()
            .optional()
            .describe('Default serving.kserve.io/v1beta1'),
          kind: z.string().optional().describe('Default InferenceService'),
          name: z.string().optional().describe('Default new'),
          labelsFrom: z
            .record(z.string())
            .optional()
            .describe(
              'Labels set from other form fields: label key to field name',
            ),
        })
        .optional()
        .describe("Evaluate the cluster's Kyverno policies in the browser"),
    }),
});
