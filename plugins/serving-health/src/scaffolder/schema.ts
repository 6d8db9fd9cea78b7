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
    }),
});
