import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Validate the rendered manifests against the label conventions and the policies shipped with the template',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'serving-health:validate',
          name: 'Validate labels and policies',
          input: {
            files: ['out/**/*.yaml'],
            policies: 'policies',
          },
        },
      ],
    }),
  },
  {
    description:
      "Evaluate the target cluster's own Kyverno policies as well, with team conventions",
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'serving-health:validate',
          name: 'Validate against the cluster',
          input: {
            files: ['out'],
            clusterPolicies: true,
            cluster: 'demo',
            conventions: {
              requiredLabels: ['owner', 'cost-center'],
              keyStyle: 'kebab-case',
            },
          },
        },
      ],
    }),
  },
  {
    description: 'Report the findings as output without failing the step',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'serving-health:validate',
          name: 'Validate (report only)',
          input: {
            files: ['out/**/*.yaml'],
            policies: 'policies',
            failOnViolation: false,
          },
        },
      ],
    }),
  },
];
