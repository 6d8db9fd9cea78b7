import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Ask the target cluster's API server whether it would admit the rendered manifests",
    example: yaml.stringify({
      steps: [
        {
          id: 'dry-run',
          action: 'serving-health:admission-dry-run',
          name: 'Admission dry run',
          input: { files: ['out/**/*.yaml'], cluster: 'demo' },
        },
      ],
    }),
  },
  {
    description:
      'Record the answers without failing the step, defaulting the namespace',
    example: yaml.stringify({
      steps: [
        {
          id: 'dry-run',
          action: 'serving-health:admission-dry-run',
          name: 'Admission dry run (report only)',
          input: { files: ['out'], namespace: 'models', failOnDenied: false },
        },
      ],
    }),
  },
];
