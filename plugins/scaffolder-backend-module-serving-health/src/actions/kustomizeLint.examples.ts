import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Lint every YAML file of the workspace for stray `$patch: delete` files',
    example: yaml.stringify({
      steps: [
        {
          id: 'lint',
          action: 'serving-health:kustomize-lint',
          name: 'Kustomize lint',
        },
      ],
    }),
  },
  {
    description: 'Lint one directory and only report',
    example: yaml.stringify({
      steps: [
        {
          id: 'lint',
          action: 'serving-health:kustomize-lint',
          name: 'Kustomize lint (report only)',
          input: { files: ['out'], failOnViolation: false },
        },
      ],
    }),
  },
];
