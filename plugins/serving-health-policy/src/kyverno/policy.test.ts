import { parse, parseAllDocuments } from 'yaml';
import { KubeObject } from '../types';
import { fixtureFiles } from '../__testUtils__/fixtures';
import {
  autogenRules,
  evaluatePolicy as evaluate,
  formatDenial,
  PolicyEvaluationContext,
} from './policy';

const CREATE: PolicyEvaluationContext = { operation: 'CREATE' };
const evaluatePolicy = (
  policy: KubeObject,
  resource: KubeObject,
  ctx: PolicyEvaluationContext = CREATE,
) => evaluate(policy, resource, ctx);

const [requireLabels] = fixtureFiles('policies/require-labels.yaml').map(
  f => parse(f.content) as KubeObject,
);
const [mixed, vap] = fixtureFiles('policies/unsupported.yaml').flatMap(f =>
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

const withValidate = (
  policy: KubeObject,
  validate: Record<string, unknown>,
): KubeObject => ({
  ...policy,
  spec: {
    ...policy.spec,
    rules: policy.spec.rules.map((r: any) => ({
      ...r,
      validate: { ...r.validate, ...validate },
    })),
  },
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
        actionSource: 'spec.validationFailureAction',
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

  it('takes the failure action from a matching namespace override, else the rule, else the policy', () => {
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

  it('lets an UPDATE through when the object already failed the rule (allowExistingViolations)', () => {
    const before = isvc({ owner: 'a', costCenter: 'b' });
    const after = isvc({ owner: 'a', costCenter: 'c' });
    expect(
      evaluatePolicy(requireLabels, after, {
        operation: 'UPDATE',
        oldObject: before,
      })[0],
    ).toMatchObject({
      status: 'skip',
      message:
        'skipping the rule evaluation as pre-existing violations are allowed',
    });
    // An update that breaks a passing object is judged as usual.
    expect(
      evaluatePolicy(requireLabels, after, {
        operation: 'UPDATE',
        oldObject: isvc({ owner: 'a', 'cost-center': 'b' }),
      })[0],
    ).toMatchObject({ status: 'fail', failureAction: 'Enforce' });
    // The same create is denied, and so is the update once the rule opts out.
    expect(evaluatePolicy(requireLabels, after)[0].status).toBe('fail');
    const strict = withValidate(requireLabels, {
      allowExistingViolations: false,
    });
    expect(
      evaluatePolicy(strict, after, {
        operation: 'UPDATE',
        oldObject: before,
      })[0],
    ).toMatchObject({ status: 'fail', failureAction: 'Enforce' });
  });

  it('never enforces a policy with spec.admission: false', () => {
    const background = {
      ...requireLabels,
      spec: { ...requireLabels.spec, admission: false },
    };
    expect(evaluatePolicy(background, isvc({ owner: 'a' }))[0]).toMatchObject({
      status: 'fail',
      failureAction: 'Audit',
      actionSource: expect.stringContaining('spec.admission: false'),
    });
  });

  it('cannot say whether a failure is enforced when an override selects namespaces by unknown labels', () => {
    const policy = withValidate(requireLabels, {
      failureActionOverrides: [
        {
          action: 'Audit',
          namespaceSelector: { matchLabels: { tier: 'sandbox' } },
        },
      ],
    });
    expect(evaluatePolicy(policy, isvc({ owner: 'a' }))[0]).toMatchObject({
      status: 'notEvaluated',
      feature: 'failure action',
    });
    expect(
      evaluatePolicy(policy, isvc({ owner: 'a' }), {
        operation: 'CREATE',
        namespaceLabels: () => ({ tier: 'sandbox' }),
      })[0],
    ).toMatchObject({ status: 'fail', failureAction: 'Audit' });
    // A rule it cannot evaluate still says whether it could block.
    expect(evaluatePolicy(mixed, isvc({}))[0]).toMatchObject({
      status: 'notEvaluated',
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
      ['quota-from-api', 'notEvaluated', 'context.apiCall'],
      ['each-container', 'skip', undefined],
      ['cel-check', 'notEvaluated', 'validate.cel.paramKind'],
      ['jmespath-variable', 'notEvaluated', 'userInfo'],
      ['admins-only', 'notEvaluated', 'match.subjects'],
    ]);
    expect(vap.kind).toBe('ValidatingAdmissionPolicy');
  });

  it("fails a validate.cel rule whose expression errors on a missing key, with cel-go's message, as Kyverno does", () => {
    const celPolicy = (cel: Record<string, unknown>): KubeObject => ({
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'cel' },
      spec: {
        validationFailureAction: 'Enforce',
        rules: [
          {
            name: 'r',
            match: { any: [{ resources: { kinds: ['Pod'] } }] },
            validate: { cel },
          },
        ],
      },
    });
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1', namespace: 'models', labels: {} },
      spec: {},
    };
    // Messages as Kyverno v1.13.4's engine reports them for the same policy and Pod.
    expect(
      evaluatePolicy(
        celPolicy({
          expressions: [
            { expression: "object.metadata.labels.team == 'gold'" },
          ],
        }),
        pod,
      )[0],
    ).toMatchObject({
      status: 'fail',
      message:
        "expression 'object.metadata.labels.team == 'gold'' resulted in error: no such key: team",
    });
    // A variable is evaluated when an expression uses it.
    const images = {
      variables: [
        {
          name: 'images',
          expression: 'object.spec.containers.map(c, c.image)',
        },
      ],
    };
    expect(
      evaluatePolicy(
        celPolicy({ ...images, expressions: [{ expression: 'true' }] }),
        pod,
      )[0].status,
    ).toBe('pass');
    expect(
      evaluatePolicy(
        celPolicy({
          ...images,
          expressions: [{ expression: 'variables.images.all(i, i != "")' }],
        }),
        pod,
      )[0],
    ).toMatchObject({
      status: 'fail',
      message:
        'expression \'variables.images.all(i, i != "")\' resulted in error: composited variable "images" fails to evaluate: no such key: containers',
    });
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
