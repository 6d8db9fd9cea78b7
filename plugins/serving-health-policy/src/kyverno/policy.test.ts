import { parse, parseAllDocuments } from 'yaml';
import { KubeObject } from '../types';
import { fixtureFiles } from '../__testUtils__/fixtures';
import { autogenRules, evaluatePolicy, formatDenial } from './policy';

const [requireLabels] = fixtureFiles('policies/require-labels.yaml').map(
  f => parse(f.content) as KubeObject,
);
const [mixed, celOnly] = fixtureFiles('policies/unsupported.yaml').flatMap(f =>
  parseAllDocuments(f.content).map(d => d.toJS() as KubeObject),
);
const isvc = (
  labels: Record<string, string>,
  namespace = 'models',
): KubeObject => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'credit-scoring', namespace, labels },
  spec: {},
});

describe('evaluatePolicy', () => {
  it('passes a resource with the required labels', () => {
    expect(
      evaluatePolicy(requireLabels, isvc({ owner: 'a', 'cost-center': 'b' })),
    ).toEqual([
      {
        policy: 'require-labels',
        rule: 'check-for-labels',
        status: 'pass',
        message: "validation rule 'check-for-labels' passed.",
      },
    ]);
  });

  it("fails the near miss with Kyverno's message and failure path", () => {
    expect(
      evaluatePolicy(requireLabels, isvc({ owner: 'a', costCenter: 'b' })),
    ).toEqual([
      {
        policy: 'require-labels',
        rule: 'check-for-labels',
        status: 'fail',
        failureAction: 'Enforce',
        path: '/metadata/labels/cost-center/',
        message:
          'validation error: The labels `owner` and `cost-center` are required. rule check-for-labels failed at path /metadata/labels/cost-center/',
      },
    ]);
  });

  it('skips resources the rule does not match', () => {
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
    };
    expect(evaluatePolicy(requireLabels, cm)[0].status).toBe('skip');
  });

  it('words a failure without a message as Kyverno does', () => {
    const policy = {
      ...requireLabels,
      spec: {
        ...requireLabels.spec,
        rules: [
          {
            ...requireLabels.spec.rules[0],
            validate: { pattern: requireLabels.spec.rules[0].validate.pattern },
          },
        ],
      },
    };
    expect(evaluatePolicy(policy, isvc({ owner: 'a' }))[0]).toMatchObject({
      message:
        'validation error: rule check-for-labels failed at path /metadata/labels/cost-center/',
    });
  });

  it('evaluates anyPattern: one matching pattern passes, none lists each failure', () => {
    const policy: KubeObject = {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'cost-owner' },
      spec: {
        validationFailureAction: 'Audit',
        rules: [
          {
            name: 'cost-or-budget',
            match: { any: [{ resources: { kinds: ['InferenceService'] } }] },
            validate: {
              message: 'Needs a cost-center or a budget label',
              anyPattern: [
                { metadata: { labels: { 'cost-center': '?*' } } },
                { metadata: { labels: { budget: '?*' } } },
              ],
            },
          },
        ],
      },
    };
    expect(evaluatePolicy(policy, isvc({ budget: 'x' }))[0].status).toBe(
      'pass',
    );
    expect(evaluatePolicy(policy, isvc({ owner: 'a' }))[0]).toMatchObject({
      status: 'fail',
      failureAction: 'Audit',
      path: '/metadata/labels/cost-center/',
      message:
        'validation error: Needs a cost-center or a budget label. rule cost-or-budget[0] failed at path /metadata/labels/cost-center/ rule cost-or-budget[1] failed at path /metadata/labels/budget/',
    });
  });

  it('takes the failure action from the rule, then the namespace overrides, then the policy', () => {
    const policy: KubeObject = {
      ...requireLabels,
      spec: {
        ...requireLabels.spec,
        validationFailureAction: 'Audit',
        validationFailureActionOverrides: [
          { action: 'Enforce', namespaces: ['prod-*'] },
        ],
      },
    };
    expect(evaluatePolicy(policy, isvc({}, 'prod-eu'))[0]).toMatchObject({
      failureAction: 'Enforce',
    });
    expect(evaluatePolicy(policy, isvc({}, 'dev'))[0]).toMatchObject({
      failureAction: 'Audit',
    });
    const perRule = {
      ...policy,
      spec: {
        ...policy.spec,
        rules: [
          {
            ...policy.spec.rules[0],
            validate: {
              ...policy.spec.rules[0].validate,
              failureAction: 'Enforce',
            },
          },
        ],
      },
    };
    expect(evaluatePolicy(perRule, isvc({}, 'dev'))[0]).toMatchObject({
      failureAction: 'Enforce',
    });
  });

  it('applies a namespaced Policy only in its namespace', () => {
    const policy = {
      ...requireLabels,
      kind: 'Policy',
      metadata: { name: 'p', namespace: 'team-a' },
    };
    expect(evaluatePolicy(policy, isvc({}, 'models'))[0].status).toBe('skip');
    expect(evaluatePolicy(policy, isvc({}, 'team-a'))[0].status).toBe('fail');
  });

  it('substitutes request.object variables it can resolve', () => {
    const policy: KubeObject = {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'instance-label' },
      spec: {
        validationFailureAction: 'Enforce',
        rules: [
          {
            name: 'instance-is-name',
            match: { any: [{ resources: { kinds: ['InferenceService'] } }] },
            validate: {
              message:
                '{{ request.object.metadata.name }} needs app.kubernetes.io/instance',
              pattern: {
                metadata: {
                  labels: {
                    'app.kubernetes.io/instance':
                      '{{ request.object.metadata.name }}',
                  },
                },
              },
            },
          },
        ],
      },
    };
    expect(
      evaluatePolicy(
        policy,
        isvc({ 'app.kubernetes.io/instance': 'credit-scoring' }),
      )[0].status,
    ).toBe('pass');
    expect(evaluatePolicy(policy, isvc({}))[0]).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(
        /^validation error: credit-scoring needs app\.kubernetes\.io\/instance\. rule/,
      ),
    });
  });

  it('reports every feature it cannot evaluate as notEvaluated, never as a pass', () => {
    const outcomes = evaluatePolicy(
      mixed,
      isvc({ owner: 'a', 'cost-center': 'b' }),
    );
    expect(
      outcomes
        .filter(o => !o.rule.startsWith('autogen-'))
        .map(o => [o.rule, o.status, 'feature' in o ? o.feature : undefined]),
    ).toEqual([
      ['deny-default-namespace', 'notEvaluated', 'validate.deny'],
      ['each-container', 'skip', undefined],
      ['cel-check', 'notEvaluated', 'validate.cel'],
      ['jmespath-variable', 'notEvaluated', 'variables'],
      ['admins-only', 'notEvaluated', 'match.subjects'],
    ]);
    expect(celOnly.kind).toBe('ValidatingPolicy');
  });

  it('auto-generates Pod controller rules, as Kyverno does', () => {
    const podPolicy: KubeObject = {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'no-latest' },
      spec: {
        validationFailureAction: 'Enforce',
        rules: [
          {
            name: 'no-latest-tag',
            match: { any: [{ resources: { kinds: ['Pod'] } }] },
            validate: {
              message: 'No latest tag.',
              pattern: { spec: { containers: [{ image: '!*:latest' }] } },
            },
          },
        ],
      },
    };
    expect(autogenRules(podPolicy).map(r => r.name)).toEqual([
      'autogen-no-latest-tag',
      'autogen-cronjob-no-latest-tag',
    ]);
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'x' },
      spec: {
        template: {
          spec: { containers: [{ name: 'c', image: 'nginx:latest' }] },
        },
      },
    };
    const outcomes = evaluatePolicy(podPolicy, deployment);
    expect(outcomes.find(o => o.status === 'fail')).toMatchObject({
      rule: 'autogen-no-latest-tag',
      path: '/spec/template/spec/containers/0/image/',
    });
  });
});

describe('formatDenial', () => {
  it("renders the API server's denial text", () => {
    expect(
      formatDenial(isvc({}), [
        {
          policy: 'require-labels',
          rule: 'check-for-labels',
          message: 'validation error: x',
        },
      ]),
    ).toBe(
      "resource InferenceService/models/credit-scoring was blocked due to the following policies\n\nrequire-labels:\n  check-for-labels: 'validation error: x'",
    );
  });
});
