/*
 * deny, preconditions, foreach (nested, elementScope), context variables and validate.cel, on the examples of
 * Kyverno's documentation (kyverno.io/docs/writing-policies: validate, preconditions, foreach, variables, CEL).
 */
import { KubeObject } from '../types';
import { evaluatePolicy } from './policy';

const policy = (rule: Record<string, unknown>): KubeObject => ({
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: {
    name: 'p',
    annotations: { 'pod-policies.kyverno.io/autogen-controllers': 'none' },
  },
  spec: {
    validationFailureAction: 'Enforce',
    rules: [
      {
        name: 'r',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        ...rule,
      },
    ],
  },
});

const pod = (spec: Record<string, unknown>, labels = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'models', labels },
  spec,
});

const one = (p: KubeObject, r: KubeObject) =>
  evaluatePolicy(p, r, { operation: 'CREATE' })[0];

describe('deny conditions', () => {
  const denyLatest = policy({
    validate: {
      message: 'Using a mutable image tag e.g. latest is not allowed.',
      deny: {
        conditions: {
          any: [
            {
              key: '{{ request.object.spec.containers[].image }}',
              operator: 'AnyIn',
              value: ['*:latest'],
            },
          ],
        },
      },
    },
  });

  it("fails with the rule's message when a condition holds, passes otherwise", () => {
    expect(
      one(
        denyLatest,
        pod({ containers: [{ name: 'a', image: 'nginx:latest' }] }),
      ),
    ).toMatchObject({
      status: 'fail',
      message: 'Using a mutable image tag e.g. latest is not allowed.',
      failureAction: 'Enforce',
    });
    expect(
      one(
        denyLatest,
        pod({ containers: [{ name: 'a', image: 'nginx:1.25' }] }),
      ),
    ).toMatchObject({ status: 'pass', message: "validation rule 'r' passed." });
  });

  it('is an error, never a pass, when a variable names a missing key', () => {
    const p = policy({
      validate: {
        deny: {
          conditions: {
            all: [
              {
                key: '{{ request.object.metadata.labels.team }}',
                operator: 'NotEquals',
                value: 'ml',
              },
            ],
          },
        },
      },
    });
    expect(one(p, pod({}))).toMatchObject({
      status: 'error',
      message:
        'failed to check deny conditions: failed to substitute variables in condition key: Unknown key "team" in path',
    });
  });

  it('compares durations and quantities as Kyverno does', () => {
    const p = policy({
      validate: {
        message: 'lifetime too long',
        deny: {
          conditions: {
            any: [
              {
                key: '{{ request.object.metadata.annotations."pod.kubernetes.io/lifetime" || \'0s\' }}',
                operator: 'GreaterThan',
                value: '8h',
              },
              {
                key: "{{ request.object.spec.containers[0].resources.limits.memory || '0' }}",
                operator: 'GreaterThan',
                value: '1Gi',
              },
            ],
          },
        },
      },
    });
    const withLifetime = (lifetime: string, memory: string) => ({
      ...pod({
        containers: [{ name: 'a', resources: { limits: { memory } } }],
      }),
      metadata: {
        name: 'web',
        annotations: { 'pod.kubernetes.io/lifetime': lifetime },
      },
    });
    expect(one(p, withLifetime('24h', '512Mi')).status).toBe('fail');
    expect(one(p, withLifetime('2h', '2Gi')).status).toBe('fail');
    expect(one(p, withLifetime('90m', '1024Mi')).status).toBe('pass');
  });
});

describe('preconditions', () => {
  it('skips the rule with "preconditions not met" when they do not hold', () => {
    const p = policy({
      preconditions: {
        any: [
          {
            key: "{{ request.object.metadata.labels.app || '' }}",
            operator: 'Equals',
            value: 'nginx',
          },
        ],
      },
      validate: {
        message: 'nginx pods need a cost-center label',
        pattern: { metadata: { labels: { 'cost-center': '?*' } } },
      },
    });
    expect(one(p, pod({}, { app: 'redis' }))).toMatchObject({
      status: 'skip',
      message: 'preconditions not met',
    });
    expect(one(p, pod({}, { app: 'nginx' }))).toMatchObject({
      status: 'fail',
      message:
        'validation error: nginx pods need a cost-center label. rule r failed at path /metadata/labels/cost-center/',
    });
  });
});

describe('foreach', () => {
  it('validates each element, with element and elementIndex, and names the failing one', () => {
    const p = policy({
      validate: {
        message: 'images must come from the trusted registry',
        foreach: [
          {
            list: 'request.object.spec.containers',
            deny: {
              conditions: {
                all: [
                  {
                    key: '{{ element.image }}',
                    operator: 'NotEquals',
                    value: 'registry.example.com/*',
                    message:
                      'container {{ elementIndex }} ({{ element.name }}) is not trusted',
                  },
                ],
              },
            },
          },
        ],
      },
    });
    expect(
      one(
        p,
        pod({
          containers: [
            { name: 'a', image: 'registry.example.com/a:1' },
            { name: 'b', image: 'docker.io/b:1' },
          ],
        }),
      ),
    ).toMatchObject({
      status: 'fail',
      message:
        'validation failure: images must come from the trusted registry; container 1 (b) is not trusted',
    });
    expect(
      one(
        p,
        pod({ containers: [{ name: 'a', image: 'registry.example.com/a:1' }] }),
      ),
    ).toMatchObject({ status: 'pass', message: 'rule passed' });
  });

  it('applies a pattern to each element (elementScope) and reports nothing for an empty list', () => {
    const p = policy({
      validate: {
        message: 'emptyDir volumes need a sizeLimit',
        foreach: [
          {
            list: "request.object.spec.volumes[?contains(keys(@), 'emptyDir')]",
            pattern: { emptyDir: { sizeLimit: '?*' } },
          },
        ],
      },
    });
    expect(
      one(p, pod({ volumes: [{ name: 'v', emptyDir: {} }] })),
    ).toMatchObject({
      status: 'fail',
      message:
        'validation failure: validation error: emptyDir volumes need a sizeLimit. rule r failed at path /emptyDir/sizeLimit/',
    });
    expect(
      one(p, pod({ volumes: [{ name: 'v', configMap: {} }] })),
    ).toMatchObject({
      status: 'skip',
      unreported: true,
    });
  });

  it('nests, with element0 for the outer element', () => {
    const p = policy({
      validate: {
        message: 'no env var may hold a secret literal',
        foreach: [
          {
            list: 'request.object.spec.containers',
            foreach: [
              {
                list: 'element.env',
                deny: {
                  conditions: {
                    any: [
                      {
                        key: '{{ element.name }}',
                        operator: 'AnyIn',
                        value: ['*PASSWORD*', '*TOKEN*'],
                        message: '{{ element0.name }} sets {{ element.name }}',
                      },
                    ],
                  },
                },
              },
            ],
          },
        ],
      },
    });
    expect(
      one(
        p,
        pod({
          containers: [
            { name: 'app', env: [{ name: 'MODE', value: 'x' }] },
            { name: 'sidecar', env: [{ name: 'DB_PASSWORD', value: 'x' }] },
          ],
        }),
      ),
    ).toMatchObject({
      status: 'fail',
      message:
        'validation failure: validation failure: no env var may hold a secret literal; sidecar sets DB_PASSWORD',
    });
  });
});

describe('context variables', () => {
  it('resolves variable entries (value, jmesPath, default) and leaves cluster reads to Kyverno', () => {
    const p = policy({
      context: [
        {
          name: 'allowedTeams',
          variable: { value: ['ml', 'search'] },
        },
        {
          name: 'team',
          variable: {
            jmesPath: 'request.object.metadata.labels.team',
            default: 'none',
          },
        },
      ],
      validate: {
        message: 'team {{ team }} is not allowed',
        deny: {
          conditions: {
            all: [
              {
                key: '{{ team }}',
                operator: 'AnyNotIn',
                value: '{{ allowedTeams }}',
              },
            ],
          },
        },
      },
    });
    expect(one(p, pod({}, { team: 'ml' })).status).toBe('pass');
    expect(one(p, pod({}))).toMatchObject({
      status: 'fail',
      message: 'team none is not allowed',
    });
    const fromCluster = policy({
      context: [
        { name: 'cm', configMap: { name: 'teams', namespace: 'kyverno' } },
      ],
      validate: {
        deny: {
          conditions: {
            all: [{ key: '{{ cm.data.x }}', operator: 'Equals', value: 'y' }],
          },
        },
      },
    });
    expect(one(fromCluster, pod({}))).toMatchObject({
      status: 'notEvaluated',
      feature: 'context.configMap',
      reason: 'context entry cm reads a ConfigMap from the cluster',
      failureAction: 'Enforce',
    });
  });
});

describe('validate.cel', () => {
  const cel = policy({
    validate: {
      cel: {
        variables: [{ name: 'replicas', expression: 'object.spec.replicas' }],
        expressions: [
          {
            expression: 'variables.replicas <= 5',
            messageExpression:
              "'replicas must be no greater than 5, got ' + string(variables.replicas)",
          },
          {
            expression: "namespaceObject.metadata.name != 'default'",
            message: "Using 'default' namespace is not allowed.",
          },
        ],
      },
    },
  });

  it('fails with the messageExpression or message of the first false expression', () => {
    expect(one(cel, pod({ replicas: 7 }))).toMatchObject({
      status: 'fail',
      message: 'replicas must be no greater than 5, got 7',
    });
    expect(
      one(cel, {
        ...pod({ replicas: 2 }),
        metadata: { name: 'w', namespace: 'default' },
      }),
    ).toMatchObject({
      status: 'fail',
      message: "Using 'default' namespace is not allowed.",
    });
    expect(one(cel, pod({ replicas: 2 }))).toMatchObject({
      status: 'pass',
      message: "Validation rule 'r' passed.",
    });
  });

  it('skips on false celPreconditions', () => {
    const p = policy({
      celPreconditions: [
        { name: 'red', expression: "object.metadata.labels['color'] == 'red'" },
      ],
      validate: {
        cel: { expressions: [{ expression: '!has(object.spec.volumes)' }] },
      },
    });
    expect(one(p, pod({ volumes: [] }, { color: 'blue' }))).toMatchObject({
      status: 'skip',
      message: 'cel preconditions not met',
    });
    expect(one(p, pod({ volumes: [] }, { color: 'red' }))).toMatchObject({
      status: 'fail',
      message: 'failed expression: !has(object.spec.volumes)',
    });
  });
});
