import { parse } from 'yaml';
import { KubeObject } from '../types';
import { fixtureFiles } from '../__testUtils__/fixtures';
import { evaluatePolicy, isKyvernoPolicy } from './policy';

const [vpol] = fixtureFiles('policies/validating-policy.yaml').map(
  f => parse(f.content) as KubeObject,
);
const isvc = (labels: Record<string, string>, minReplicas = 1): KubeObject => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'fraud', namespace: 'models', labels },
  spec: { predictor: { minReplicas } },
});
const labelsOf = (labels: Record<string, string>) => () => labels;
const CREATE = { operation: 'CREATE' as const, namespaceLabels: labelsOf({}) };

describe('ValidatingPolicy', () => {
  it('is one of the policies the evaluator runs', () => {
    expect(isKyvernoPolicy(vpol)).toBe(true);
  });

  it('passes every validation of a compliant resource', () => {
    expect(
      evaluatePolicy(vpol, isvc({ 'cost-center': 'cc' }), CREATE).map(
        o => o.status,
      ),
    ).toEqual(['pass', 'pass']);
  });

  it('fails a violated validation with its messageExpression, enforced by Deny', () => {
    const [labels, replicas] = evaluatePolicy(
      vpol,
      isvc({ costCenter: 'cc' }, 0),
      CREATE,
    );
    expect(labels).toEqual({
      policy: 'require-cost-center',
      rule: 'validations[0]',
      status: 'fail',
      message: 'InferenceService fraud needs the label cost-center',
      path: '',
      failureAction: 'Enforce',
      actionSource: 'validationActions [Deny]',
    });
    expect(replicas).toMatchObject({
      status: 'fail',
      message: 'minReplicas must be at least 1',
    });
  });

  it('only reports with Audit actions or admission disabled', () => {
    const audit = {
      ...vpol,
      spec: { ...vpol.spec, validationActions: ['Audit', 'Warn'] },
    };
    expect(evaluatePolicy(audit, isvc({}), CREATE)[0]).toMatchObject({
      status: 'fail',
      failureAction: 'Audit',
    });
    const background = {
      ...vpol,
      spec: { ...vpol.spec, evaluation: { admission: { enabled: false } } },
    };
    expect(evaluatePolicy(background, isvc({}), CREATE)[0]).toMatchObject({
      failureAction: 'Audit',
      actionSource: expect.stringContaining('admission.enabled: false'),
    });
  });

  it('skips what matchConstraints do not select: other resources, operations and namespaces', () => {
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'models' },
    };
    expect(evaluatePolicy(vpol, cm, CREATE)[0].status).toBe('skip');
    expect(
      evaluatePolicy(vpol, isvc({}), {
        operation: 'CREATE',
        namespaceLabels: labelsOf({ 'serving-health.io/policy': 'exempt' }),
      })[0].status,
    ).toBe('skip');
    const createOnly = {
      ...vpol,
      spec: {
        ...vpol.spec,
        matchConstraints: {
          resourceRules: [
            {
              ...vpol.spec.matchConstraints.resourceRules[0],
              operations: ['CREATE'],
            },
          ],
        },
      },
    };
    expect(
      evaluatePolicy(createOnly, isvc({}), {
        operation: 'UPDATE',
        oldObject: isvc({}),
      })[0].status,
    ).toBe('skip');
  });

  it('cannot decide without the namespace labels its namespaceSelector needs', () => {
    expect(
      evaluatePolicy(vpol, isvc({}), { operation: 'CREATE' })[0],
    ).toMatchObject({
      status: 'notEvaluated',
      feature: 'matchConstraints.namespaceSelector',
    });
  });

  it('reports an expression the CEL library cannot evaluate as not evaluated, never as a pass or a failure', () => {
    const quantity = {
      ...vpol,
      spec: {
        ...vpol.spec,
        validations: [
          {
            expression:
              "quantity(object.spec.predictor.memory).isLessThan(quantity('8Gi'))",
          },
        ],
      },
    };
    expect(evaluatePolicy(quantity, isvc({}), CREATE)).toEqual([
      expect.objectContaining({
        status: 'notEvaluated',
        feature: 'CEL',
        failureAction: 'Enforce',
        reason: expect.stringContaining('cannot be decided'),
      }),
    ]);
    const badVariable = {
      ...vpol,
      spec: {
        ...vpol.spec,
        variables: [{ name: 'labels', expression: 'image(object.spec.x)' }],
      },
    };
    expect(evaluatePolicy(badVariable, isvc({}), CREATE)[0]).toMatchObject({
      status: 'notEvaluated',
      reason: expect.stringContaining('variable labels'),
    });
  });

  it('skips when a matchCondition is false and cannot decide when one errors', () => {
    const withCondition = (expression: string) => ({
      ...vpol,
      spec: { ...vpol.spec, matchConditions: [{ name: 'c', expression }] },
    });
    expect(
      evaluatePolicy(
        withCondition("request.operation == 'UPDATE'"),
        isvc({}),
        CREATE,
      )[0].status,
    ).toBe('skip');
    expect(
      evaluatePolicy(
        withCondition("request.userInfo.username == 'x'"),
        isvc({}),
        CREATE,
      )[0].status,
    ).toBe('notEvaluated');
  });
});
