import { ClusterKyvernoPolicies } from '@serving-health/plugin-serving-health-common';

/**
 * What GET /clusters/:cluster/kyverno-policies answers for a namespace: require-labels as the healthy scenario's
 * cluster has it (pattern), require-pii-review as kyverno-cel-and-reports has it (deny, JMESPath), a foreach over
 * the labels, a Kyverno 1.11+ CEL rule, and a rule that reads the cluster (apiCall), which the browser cannot run.
 */
export const kyvernoPolicies: ClusterKyvernoPolicies = {
  cluster: 'policies-demo',
  namespace: 'models-pricing',
  namespaceLabels: { 'kubernetes.io/metadata.name': 'models-pricing' },
  notEvaluated: [],
  policies: [
    {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'require-labels' },
      spec: {
        validationFailureAction: 'Enforce',
        background: true,
        rules: [
          {
            name: 'check-for-labels',
            match: {
              any: [
                {
                  resources: {
                    kinds: ['serving.kserve.io/v1beta1/InferenceService'],
                  },
                },
              ],
            },
            validate: {
              message: 'The labels `owner` and `cost-center` are required.',
              pattern: {
                metadata: { labels: { owner: '?*', 'cost-center': '?*' } },
              },
            },
          },
        ],
      },
    },
    {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'require-pii-review' },
      spec: {
        validationFailureAction: 'Enforce',
        background: true,
        rules: [
          {
            name: 'check-pii-review',
            match: {
              any: [
                {
                  resources: {
                    kinds: ['InferenceService'],
                    namespaces: ['models-pricing'],
                  },
                },
              ],
            },
            validate: {
              allowExistingViolations: false,
              message:
                'Record the PII review: label pii-reviewed must be "true".',
              deny: {
                conditions: {
                  any: [
                    {
                      key: '{{ request.object.metadata.labels."pii-reviewed" || \'\' }}',
                      operator: 'NotEquals',
                      value: 'true',
                    },
                  ],
                },
              },
            },
          },
        ],
      },
    },
    {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'no-latest-labels' },
      spec: {
        validationFailureAction: 'Audit',
        background: true,
        rules: [
          {
            name: 'no-latest-value',
            match: { any: [{ resources: { kinds: ['InferenceService'] } }] },
            validate: {
              message: 'Label values must not be `latest`.',
              foreach: [
                {
                  list: 'request.object.metadata.labels | values(@)',
                  deny: {
                    conditions: {
                      any: [
                        {
                          key: '{{ element }}',
                          operator: 'Equals',
                          value: 'latest',
                        },
                      ],
                    },
                  },
                },
              ],
            },
          },
        ],
      },
    },
    {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'cost-center-format' },
      spec: {
        validationFailureAction: 'Enforce',
        background: true,
        rules: [
          {
            name: 'check-cost-center-format',
            match: { any: [{ resources: { kinds: ['InferenceService'] } }] },
            validate: {
              cel: {
                expressions: [
                  {
                    expression:
                      "!('cost-center' in object.metadata.labels) || object.metadata.labels['cost-center'].startsWith('cc-')",
                    message: 'cost-center must start with cc-',
                  },
                ],
              },
            },
          },
        ],
      },
    },
    {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'known-teams' },
      spec: {
        validationFailureAction: 'Enforce',
        background: true,
        rules: [
          {
            name: 'owner-is-a-team',
            match: { any: [{ resources: { kinds: ['InferenceService'] } }] },
            context: [
              {
                name: 'teams',
                apiCall: {
                  urlPath: '/api/v1/namespaces/platform/configmaps/teams',
                },
              },
            ],
            validate: {
              message: 'owner must be a known team',
              deny: {
                conditions: {
                  any: [
                    {
                      key: '{{ request.object.metadata.labels.owner }}',
                      operator: 'AnyNotIn',
                      value: '{{ teams.data.names }}',
                    },
                  ],
                },
              },
            },
          },
        ],
      },
    },
  ],
};
