import {
  MatchConditionInput,
  UNKNOWN,
  evaluateMatchConditions,
  partialMap,
} from './matchConditions';

/** A Deployment KServe creates: its kind, namespace and the labels KServe gives it are known, the rest is not. */
const deploymentCreate: MatchConditionInput = {
  object: partialMap({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: partialMap({
      namespace: 'models',
      labels: partialMap({
        'serving.kserve.io/inferenceservice': 'fraud-detector',
        component: 'predictor',
      }),
    }),
  }),
  oldObject: null,
  request: partialMap({
    operation: 'CREATE',
    namespace: 'models',
    kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
    resource: { group: 'apps', version: 'v1', resource: 'deployments' },
    subResource: '',
    dryRun: false,
    userInfo: UNKNOWN,
  }),
};

/** The InferenceService itself, as the cluster shows it: every field known. */
const isvcUpdate: MatchConditionInput = {
  object: {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name: 'fraud-detector',
      namespace: 'models',
      labels: { team: 'risk' },
      annotations: {},
    },
    spec: {
      predictor: {
        minReplicas: 3,
        model: { modelFormat: { name: 'sklearn' } },
      },
    },
  },
  oldObject: UNKNOWN,
  request: partialMap({
    operation: 'UPDATE',
    namespace: 'models',
    name: 'fraud-detector',
    resource: {
      group: 'serving.kserve.io',
      version: 'v1beta1',
      resource: 'inferenceservices',
    },
    userInfo: UNKNOWN,
  }),
};

const cond = (expression: string, name = 'c') => ({ name, expression });

describe('evaluateMatchConditions', () => {
  it('calls the webhook when every condition is true', () => {
    expect(
      evaluateMatchConditions(
        [
          cond("request.resource.group == 'apps'"),
          cond("object.metadata.labels['component'] == 'predictor'"),
        ],
        deploymentCreate,
      ),
    ).toEqual({ verdict: 'match' });
  });

  it('skips the webhook when a condition is false, naming it', () => {
    expect(
      evaluateMatchConditions(
        [
          cond("request.operation == 'CREATE'", 'creates'),
          cond(
            "!(request.resource.group in ['apps', 'batch'])",
            'not-workloads',
          ),
        ],
        deploymentCreate,
      ),
    ).toEqual({ verdict: 'no-match', condition: 'not-workloads' });
  });

  it('evaluates the exclusions of the Kubernetes documentation (leases, RBAC)', () => {
    const leases = cond(
      "!(request.resource.group == 'coordination.k8s.io' && request.resource.resource == 'leases')",
    );
    const rbac = cond("request.resource.group != 'rbac.authorization.k8s.io'");
    expect(
      evaluateMatchConditions([leases, rbac], deploymentCreate).verdict,
    ).toBe('match');
  });

  it('says a condition on the requesting user is undecidable, naming what it depends on', () => {
    const out = evaluateMatchConditions(
      [cond("!('system:nodes' in request.userInfo.groups)", 'not-kubelet')],
      deploymentCreate,
    );
    expect(out).toEqual({
      verdict: 'undecidable',
      condition: 'not-kubelet',
      why: expect.stringContaining('request.userInfo'),
    });
  });

  it("decides a condition whose unknown part cannot change its value, as CEL's && and || do", () => {
    expect(
      evaluateMatchConditions(
        [
          cond(
            "request.resource.resource == 'pods' && request.userInfo.username == 'x'",
          ),
        ],
        deploymentCreate,
      ),
    ).toEqual({ verdict: 'no-match', condition: 'c' });
    expect(
      evaluateMatchConditions(
        [
          cond(
            "request.userInfo.username == 'x' || request.namespace == 'models'",
          ),
        ],
        deploymentCreate,
      ),
    ).toEqual({ verdict: 'match' });
  });

  it('lets a false condition win over an undecidable one (the webhook is skipped either way)', () => {
    const out = evaluateMatchConditions(
      [
        cond("request.userInfo.username != 'admin'", 'not-admin'),
        cond("request.namespace != 'models'", 'other-namespaces'),
      ],
      deploymentCreate,
    );
    expect(out).toEqual({ verdict: 'no-match', condition: 'other-namespaces' });
  });

  it('reports an evaluation error of a known object (failurePolicy decides)', () => {
    const out = evaluateMatchConditions(
      [cond("object.metadata.labels['owner'] == 'x'", 'owner')],
      isvcUpdate,
    );
    expect(out).toEqual({
      verdict: 'error',
      condition: 'owner',
      message: expect.stringContaining('owner'),
    });
  });

  it('keeps a condition undecidable when another one errors (it may be false)', () => {
    const out = evaluateMatchConditions(
      [
        cond("object.metadata.labels['owner'] == 'x'", 'errors'),
        cond("request.userInfo.username == 'x'", 'user'),
      ],
      isvcUpdate,
    );
    expect(out).toMatchObject({ verdict: 'undecidable', condition: 'user' });
  });

  it('treats a label KServe may add but the triage does not know as unknown, not absent', () => {
    expect(
      evaluateMatchConditions(
        [cond('!has(object.metadata.labels.app)')],
        deploymentCreate,
      ),
    ).toMatchObject({
      verdict: 'undecidable',
      why: expect.stringContaining('object.metadata.labels.app'),
    });
    expect(
      evaluateMatchConditions(
        [cond('has(object.metadata.labels.component)')],
        deploymentCreate,
      ).verdict,
    ).toBe('match');
  });

  it('cannot count or iterate a map known only in part', () => {
    expect(
      evaluateMatchConditions(
        [cond('size(object.metadata.labels) > 1')],
        deploymentCreate,
      ).verdict,
    ).toBe('undecidable');
    expect(
      evaluateMatchConditions(
        [cond("object.metadata.labels.all(k, k != 'app')")],
        deploymentCreate,
      ).verdict,
    ).toBe('undecidable');
    expect(
      evaluateMatchConditions(
        [cond("'component' in object.metadata.labels")],
        deploymentCreate,
      ).verdict,
    ).toBe('match');
    expect(
      evaluateMatchConditions(
        [cond("'app' in object.metadata.labels")],
        deploymentCreate,
      ).verdict,
    ).toBe('undecidable');
  });

  it('treats a field of a fully known object that is absent as absent', () => {
    expect(
      evaluateMatchConditions(
        [cond('!has(object.metadata.labels.owner)')],
        isvcUpdate,
      ).verdict,
    ).toBe('match');
    expect(
      evaluateMatchConditions(
        [cond("object.metadata.labels.exists(k, k == 'team')")],
        isvcUpdate,
      ).verdict,
    ).toBe('match');
  });

  it('compares JSON integers as CEL ints', () => {
    expect(
      evaluateMatchConditions(
        [cond('object.spec.predictor.minReplicas > 1')],
        isvcUpdate,
      ).verdict,
    ).toBe('match');
  });

  it('sees oldObject as null on CREATE', () => {
    expect(
      evaluateMatchConditions([cond('oldObject == null')], deploymentCreate)
        .verdict,
    ).toBe('match');
  });

  it('supports optional field selection', () => {
    expect(
      evaluateMatchConditions(
        [cond("object.?metadata.?labels.?team.orValue('') == 'risk'")],
        isvcUpdate,
      ).verdict,
    ).toBe('match');
  });

  it('never decides a condition that asks the authorizer', () => {
    const out = evaluateMatchConditions(
      [
        cond(
          "authorizer.group('').resource('pods').namespace(request.namespace).check('create').allowed()",
          'may-create-pods',
        ),
      ],
      deploymentCreate,
    );
    expect(out).toMatchObject({
      verdict: 'undecidable',
      condition: 'may-create-pods',
      why: expect.stringContaining('authorizer'),
    });
  });

  it('says so when a condition uses a function this evaluator lacks', () => {
    const out = evaluateMatchConditions(
      [cond("quantity('1Gi').isGreaterThan(quantity('1Mi'))")],
      deploymentCreate,
    );
    expect(out).toMatchObject({
      verdict: 'undecidable',
      why: expect.stringContaining('cannot evaluate'),
    });
  });

  it('does not run regular expressions read from the cluster', () => {
    const out = evaluateMatchConditions(
      [cond("object.metadata.name.matches('^(a+)+$')")],
      isvcUpdate,
    );
    expect(out).toMatchObject({
      verdict: 'undecidable',
      why: expect.stringContaining('regular expression'),
    });
  });

  it('treats data keys named like JavaScript properties as data', () => {
    const input = {
      ...isvcUpdate,
      object: { metadata: { labels: {} }, spec: { constructor: 'x' } },
    };
    expect(
      evaluateMatchConditions([cond("object.spec.constructor == 'x'")], input)
        .verdict,
    ).toBe('match');
    expect(
      evaluateMatchConditions(
        [cond('has(object.metadata.labels.constructor)')],
        input,
      ),
    ).toEqual({
      verdict: 'no-match',
      condition: 'c',
    });
  });
});
