import {
  describeRules,
  entityAdmissionRequests,
  interception,
  listWebhooks,
  webhookIntercepts,
  WebhookEntry,
} from './webhooks';
import { checkContext } from './__fixtures__/context';
import {
  forbidden,
  healthySnapshot,
  itemsOf,
  withInferenceService,
  withReadError,
  withStaleIngressNginxWebhook,
  withStaleWebhook,
} from './__fixtures__/snapshots';

const MODELS_NS = {
  'kubernetes.io/metadata.name': 'models',
  owner: 'team-ml-platform',
};

function entry(over: Partial<WebhookEntry>): WebhookEntry {
  return {
    configKind: 'ValidatingWebhookConfiguration',
    configName: 'example',
    webhookName: 'validate.example.io',
    service: { namespace: 'example', name: 'example-webhook' },
    failurePolicy: 'Fail',
    rules: [],
    ...over,
  };
}

const isvcCreate = {
  group: 'serving.kserve.io',
  resource: 'inferenceservices',
  operation: 'CREATE',
};

const verdict = (w: WebhookEntry, r: Parameters<typeof webhookIntercepts>[1]) =>
  webhookIntercepts(w, r).verdict;

describe('listWebhooks', () => {
  it('flattens every webhook of the mutating and validating configurations with its Service', () => {
    const { webhooks, unreadable } = listWebhooks(healthySnapshot());
    expect(unreadable).toEqual([]);
    expect(webhooks.map(w => `${w.configName}: ${w.webhookName}`)).toEqual([
      'inferenceservice.serving.kserve.io: inferenceservice.kserve-webhook-server.defaulter',
      'inferenceservice.serving.kserve.io: inferenceservice.kserve-webhook-server.pod-mutator',
      'kyverno-resource-mutating-webhook-cfg: mutate.kyverno.svc-fail',
      'inferenceservice.serving.kserve.io: inferenceservice.kserve-webhook-server.validator',
      'servingruntime.serving.kserve.io: servingruntime.kserve-webhook-server.validator',
      'kyverno-resource-validating-webhook-cfg: validate.kyverno.svc-fail',
      'kyverno-resource-validating-webhook-cfg: validate.kyverno.svc-ignore',
    ]);
    expect(webhooks[0].service).toEqual({
      namespace: 'kserve',
      name: 'kserve-webhook-server-service',
      port: 443,
      path: '/mutate-serving-kserve-io-v1beta1-inferenceservice',
    });
  });

  it('defaults a missing failurePolicy to Fail, as admissionregistration/v1 does', () => {
    const s = healthySnapshot();
    delete itemsOf(s, 'validatingWebhookConfigurations')[0].webhooks[0]
      .failurePolicy;
    const w = listWebhooks(s).webhooks.find(
      x => x.webhookName === 'inferenceservice.kserve-webhook-server.validator',
    );
    expect(w?.failurePolicy).toBe('Fail');
  });

  it('names the collection it could not read', () => {
    const s = withReadError(
      healthySnapshot(),
      'mutatingWebhookConfigurations',
      forbidden(
        'mutatingwebhookconfigurations',
        'admissionregistration.k8s.io',
      ),
    );
    expect(listWebhooks(s).unreadable).toEqual([
      'mutatingWebhookConfigurations',
    ]);
  });
});

describe('webhookIntercepts', () => {
  it('matches a rule naming the group, resource and operation', () => {
    const [defaulter] = listWebhooks(healthySnapshot()).webhooks;
    expect(verdict(defaulter, isvcCreate)).toBe('yes');
  });

  it('does not match an operation the rule does not list', () => {
    const [defaulter] = listWebhooks(healthySnapshot()).webhooks;
    expect(verdict(defaulter, { ...isvcCreate, operation: 'DELETE' })).toBe(
      'no',
    );
  });

  it('does not let the ingress-nginx webhook intercept InferenceServices', () => {
    const { webhooks } = listWebhooks(
      withStaleIngressNginxWebhook(healthySnapshot()),
    );
    const nginx = webhooks.find(
      w => w.webhookName === 'validate.nginx.ingress.kubernetes.io',
    )!;
    expect(verdict(nginx, isvcCreate)).toBe('no');
    expect(
      verdict(nginx, {
        group: 'networking.k8s.io',
        resource: 'ingresses',
        operation: 'CREATE',
      }),
    ).toBe('yes');
  });

  it('matches "*" groups, resources and operations', () => {
    const w = entry({
      rules: [
        {
          apiGroups: ['*'],
          apiVersions: ['*'],
          resources: ['*'],
          operations: ['*'],
        },
      ],
    });
    expect(verdict(w, isvcCreate)).toBe('yes');
  });

  it('matches "<resource>/*" (the resource and all its subresources)', () => {
    const w = entry({
      rules: [
        {
          apiGroups: ['serving.kserve.io'],
          apiVersions: ['*'],
          resources: ['inferenceservices/*'],
          operations: ['CREATE'],
        },
      ],
    });
    expect(verdict(w, isvcCreate)).toBe('yes');
  });

  it('does not treat a subresource-only rule ("inferenceservices/status") as matching the resource', () => {
    const w = entry({
      rules: [
        {
          apiGroups: ['serving.kserve.io'],
          apiVersions: ['*'],
          resources: ['inferenceservices/status'],
          operations: ['UPDATE'],
        },
      ],
    });
    expect(verdict(w, { ...isvcCreate, operation: 'UPDATE' })).toBe('no');
  });

  // BUG (see report): kube-apiserver's rule matcher treats "*/*" as every resource
  // and every subresource; webhookIntercepts only knows "*" and "<resource>/*".
  it('matches "*/*" (every resource and subresource)', () => {
    const w = entry({
      rules: [
        {
          apiGroups: ['*'],
          apiVersions: ['*'],
          resources: ['*/*'],
          operations: ['*'],
        },
      ],
    });
    expect(verdict(w, isvcCreate)).toBe('yes');
  });

  it('excludes a namespace that does not match the namespaceSelector', () => {
    const { webhooks } = listWebhooks(
      withStaleWebhook(healthySnapshot(), {
        namespaceSelector: {
          matchLabels: { 'policy.example.io/enforce': 'true' },
        },
      }),
    );
    const w = webhooks.find(x => x.webhookName === 'validation.gatekeeper.sh')!;
    expect(
      verdict(w, { ...isvcCreate, namespaceLabels: { labels: MODELS_NS } }),
    ).toBe('no');
    expect(
      verdict(w, {
        ...isvcCreate,
        namespaceLabels: {
          labels: { ...MODELS_NS, 'policy.example.io/enforce': 'true' },
        },
      }),
    ).toBe('yes');
  });

  it('evaluates namespaceSelector matchExpressions (DoesNotExist / NotIn)', () => {
    const { webhooks } = listWebhooks(healthySnapshot());
    const kyverno = webhooks.find(
      w => w.webhookName === 'validate.kyverno.svc-fail',
    )!;
    expect(
      verdict(kyverno, {
        ...isvcCreate,
        namespaceLabels: { labels: MODELS_NS },
      }),
    ).toBe('yes');
    expect(
      verdict(kyverno, {
        ...isvcCreate,
        namespaceLabels: {
          labels: { 'kubernetes.io/metadata.name': 'kyverno' },
        },
      }),
    ).toBe('no');
  });

  it('excludes an object whose labels do not match the objectSelector', () => {
    const { webhooks } = listWebhooks(healthySnapshot());
    const podMutator = webhooks.find(w =>
      w.webhookName.endsWith('.pod-mutator'),
    )!;
    const podCreate = { group: '', resource: 'pods', operation: 'CREATE' };
    expect(
      verdict(podMutator, {
        ...podCreate,
        objectLabels: { labels: { app: 'web' } },
      }),
    ).toBe('no');
    expect(
      verdict(podMutator, {
        ...podCreate,
        objectLabels: {
          labels: { 'serving.kserve.io/inferenceservice': 'fraud-detector' },
        },
      }),
    ).toBe('yes');
  });
});

describe('webhookIntercepts: scope', () => {
  it('does not let a Cluster-scoped rule intercept a namespaced object', () => {
    const w = entry({
      rules: [
        {
          apiGroups: [''],
          apiVersions: ['v1'],
          resources: ['pods'],
          operations: ['CREATE'],
          scope: 'Cluster',
        },
      ],
    });
    expect(
      verdict(w, { group: '', resource: 'pods', operation: 'CREATE' }),
    ).toBe('no');
    const any = entry({
      rules: [
        {
          apiGroups: [''],
          apiVersions: ['v1'],
          resources: ['pods'],
          operations: ['CREATE'],
          scope: '*',
        },
      ],
    });
    expect(
      verdict(any, { group: '', resource: 'pods', operation: 'CREATE' }),
    ).toBe('yes');
  });
});

describe('webhookIntercepts: selectors on labels known in part', () => {
  const istioInjector = entry({
    rules: [
      {
        apiGroups: [''],
        apiVersions: ['v1'],
        resources: ['pods'],
        operations: ['CREATE'],
      },
    ],
    objectSelector: {
      matchExpressions: [
        {
          key: 'sidecar.istio.io/inject',
          operator: 'NotIn',
          values: ['false'],
        },
      ],
    },
  });
  const podCreate = { group: '', resource: 'pods', operation: 'CREATE' };

  it('decides on a key no controller adds, as absent', () => {
    const objectLabels = {
      labels: { component: 'predictor' },
      mayAlsoHave: (k: string) => k === 'app',
    };
    expect(verdict(istioInjector, { ...podCreate, objectLabels })).toBe('yes');
  });

  it('says maybe when the selector reads a key a controller may add, naming it', () => {
    const w = entry({
      ...istioInjector,
      objectSelector: { matchLabels: { app: 'web' } },
    });
    const out = webhookIntercepts(w, {
      ...podCreate,
      objectLabels: { labels: {}, mayAlsoHave: k => k === 'app' },
    });
    expect(out).toEqual({
      verdict: 'maybe',
      why: expect.stringContaining('label app'),
    });
  });

  it('says no when a known requirement fails, whatever the unknown one would say', () => {
    const w = entry({
      ...istioInjector,
      objectSelector: { matchLabels: { app: 'web', component: 'transformer' } },
    });
    expect(
      verdict(w, {
        ...podCreate,
        objectLabels: {
          labels: { component: 'predictor' },
          mayAlsoHave: k => k === 'app',
        },
      }),
    ).toBe('no');
  });

  it('says maybe for an objectSelector on an object whose labels were not read (an Argo CD resource)', () => {
    expect(verdict(istioInjector, podCreate)).toBe('maybe');
  });
});

describe('webhookIntercepts: matchConditions', () => {
  const podMutator = (
    expression: string,
    failurePolicy: 'Fail' | 'Ignore' = 'Fail',
  ) =>
    entry({
      rules: [
        {
          apiGroups: [''],
          apiVersions: ['v1'],
          resources: ['pods'],
          operations: ['CREATE'],
        },
      ],
      matchConditions: [{ name: 'only-gpu-pods', expression }],
      failurePolicy,
    });
  const predictorPod = {
    group: '',
    version: 'v1',
    kind: 'Pod',
    resource: 'pods',
    operation: 'CREATE',
    namespace: 'models',
    objectLabels: {
      labels: { component: 'predictor' },
      mayAlsoHave: (k: string) => k === 'app',
    },
  };

  it('does not intercept when a condition is false, naming it', () => {
    expect(
      webhookIntercepts(
        podMutator("request.namespace == 'gpu-jobs'"),
        predictorPod,
      ),
    ).toEqual({
      verdict: 'no',
      why: 'its matchCondition "only-gpu-pods" is false for CREATE pods',
    });
  });

  it('intercepts when every condition is true', () => {
    expect(
      verdict(
        podMutator("object.metadata.labels.component == 'predictor'"),
        predictorPod,
      ),
    ).toBe('yes');
  });

  it('says maybe when a condition depends on the requesting user', () => {
    const out = webhookIntercepts(
      podMutator(
        "request.userInfo.username != 'system:serviceaccount:kube-system:replicaset-controller'",
      ),
      predictorPod,
    );
    expect(out.verdict).toBe('maybe');
    expect(out.why).toContain('request.userInfo');
  });

  it('follows failurePolicy when a condition fails to evaluate: Fail rejects the request, Ignore skips the webhook', () => {
    const isvc = {
      ...isvcCreate,
      namespace: 'models',
      object: {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: { name: 'x', namespace: 'models', labels: {} },
        spec: {},
      },
    };
    const rules = [
      {
        apiGroups: ['*'],
        apiVersions: ['*'],
        resources: ['*'],
        operations: ['*'],
      },
    ];
    const condition = [
      { name: 'team', expression: "object.metadata.labels['team'] == 'ml'" },
    ];
    const fail = webhookIntercepts(
      entry({ rules, matchConditions: condition }),
      isvc,
    );
    expect(fail.verdict).toBe('yes');
    expect(fail.why).toContain('fails to evaluate');
    expect(
      verdict(
        entry({ rules, matchConditions: condition, failurePolicy: 'Ignore' }),
        isvc,
      ),
    ).toBe('no');
  });
});

describe('interception', () => {
  it("takes the strongest verdict over the entity's requests", () => {
    const w = entry({
      rules: [
        {
          apiGroups: [''],
          apiVersions: ['v1'],
          resources: ['pods'],
          operations: ['CREATE'],
        },
      ],
      objectSelector: { matchLabels: { app: 'web' } },
    });
    const known = {
      group: '',
      resource: 'pods',
      operation: 'CREATE',
      objectLabels: { labels: { app: 'api' } },
    };
    const unknown = { group: '', resource: 'pods', operation: 'CREATE' };
    expect(interception(w, [known]).verdict).toBe('no');
    expect(interception(w, [known, unknown]).verdict).toBe('maybe');
    expect(
      interception(w, [
        known,
        unknown,
        { ...known, objectLabels: { labels: { app: 'web' } } },
      ]).verdict,
    ).toBe('yes');
  });
});

describe('entityAdmissionRequests', () => {
  const kinds = (s = healthySnapshot(), certain = true) =>
    [
      ...new Set(
        entityAdmissionRequests(checkContext({ snapshot: s }))
          .filter(r => !r.onlyIf === certain)
          .map(r => `${r.group || 'core'}/${r.resource}`),
      ),
    ].sort();

  it("covers the InferenceService and, in Knative mode (Knative's revision fields in its status), the Knative Service, Deployment, Services and Pods", () => {
    expect(kinds()).toEqual([
      'apps/deployments',
      'core/pods',
      'core/services',
      'serving.knative.dev/services',
      'serving.kserve.io/inferenceservices',
    ]);
    expect(kinds(healthySnapshot(), false)).toEqual([]);
  });

  it.each(['RawDeployment', 'Standard'])(
    'covers Deployment, Service, Pods and HPA in %s mode, Ingress or HTTPRoute as configured',
    mode => {
      const s = withInferenceService(healthySnapshot(), i => {
        i.metadata.annotations = { 'serving.kserve.io/deploymentMode': mode };
      });
      expect(kinds(s)).toEqual([
        'apps/deployments',
        'autoscaling/horizontalpodautoscalers',
        'core/pods',
        'core/services',
        'serving.kserve.io/inferenceservices',
      ]);
      expect(kinds(s, false)).toEqual([
        'gateway.networking.k8s.io/httproutes',
        'networking.k8s.io/ingresses',
      ]);
    },
  );

  it('prefers the mode KServe recorded in status over the annotation', () => {
    const s = withInferenceService(healthySnapshot(), i => {
      i.metadata.annotations = {
        'serving.kserve.io/deploymentMode': 'Serverless',
      };
      i.status.deploymentMode = 'Standard';
    });
    expect(kinds(s)).toContain('autoscaling/horizontalpodautoscalers');
    expect(kinds(s)).not.toContain('serving.knative.dev/services');
  });

  it('makes what only one mode creates conditional when the mode is not recorded, saying so', () => {
    const s = withInferenceService(healthySnapshot(), i => {
      delete i.status;
    });
    expect(kinds(s)).toEqual([
      'apps/deployments',
      'core/pods',
      'core/services',
      'serving.kserve.io/inferenceservices',
    ]);
    const ksvc = entityAdmissionRequests(checkContext({ snapshot: s })).find(
      r => r.group === 'serving.knative.dev',
    )!;
    expect(ksvc.onlyIf).toContain('Knative/Serverless mode');
    expect(ksvc.onlyIf).toContain('inferenceservice-config');
  });

  it("gives what KServe creates the InferenceService's labels plus its own, and its namespace's labels", () => {
    const pods = entityAdmissionRequests(checkContext()).find(
      r => r.resource === 'pods',
    )!;
    expect(pods.operation).toBe('CREATE');
    expect(pods.objectLabels!.labels).toMatchObject({
      owner: 'team-fraud',
      'serving.kserve.io/inferenceservice': 'fraud-detector',
      component: 'predictor',
    });
    expect(pods.objectLabels!.mayAlsoHave!('pod-template-hash')).toBe(true);
    expect(pods.objectLabels!.mayAlsoHave!('sidecar.istio.io/inject')).toBe(
      false,
    );
    expect(pods.namespaceLabels!.labels).toMatchObject({
      'kubernetes.io/metadata.name': 'models',
      'cost-center': 'cc-4200',
    });
  });

  it('sends the InferenceService itself as the cluster shows it, for matchConditions', () => {
    const isvc = entityAdmissionRequests(checkContext()).find(
      r => r.resource === 'inferenceservices',
    )!;
    expect(isvc).toMatchObject({
      namespace: 'models',
      name: 'fraud-detector',
      object: { metadata: { name: 'fraud-detector' } },
    });
  });
});

describe('describeRules', () => {
  it('says which operations, resources and groups a webhook intercepts, core group named "core"', () => {
    const w = entry({
      rules: [
        {
          apiGroups: ['serving.kserve.io'],
          apiVersions: ['v1beta1'],
          resources: ['inferenceservices'],
          operations: ['CREATE', 'UPDATE'],
        },
        {
          apiGroups: [''],
          apiVersions: ['v1'],
          resources: ['pods'],
          operations: ['CREATE'],
        },
      ],
    });
    expect(describeRules(w)).toBe(
      'CREATE,UPDATE inferenceservices in serving.kserve.io; CREATE pods in core',
    );
  });
});
