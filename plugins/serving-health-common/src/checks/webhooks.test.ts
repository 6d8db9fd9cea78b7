import { describeRules, entityAdmissionRequests, listWebhooks, webhookIntercepts, WebhookEntry } from './webhooks';
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

const MODELS_NS = { 'kubernetes.io/metadata.name': 'models', owner: 'team-ml-platform' };

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

const isvcCreate = { group: 'serving.kserve.io', resource: 'inferenceservices', operation: 'CREATE' };

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
    delete itemsOf(s, 'validatingWebhookConfigurations')[0].webhooks[0].failurePolicy;
    const w = listWebhooks(s).webhooks.find(x => x.webhookName === 'inferenceservice.kserve-webhook-server.validator');
    expect(w?.failurePolicy).toBe('Fail');
  });

  it('names the collection it could not read', () => {
    const s = withReadError(
      healthySnapshot(),
      'mutatingWebhookConfigurations',
      forbidden('mutatingwebhookconfigurations', 'admissionregistration.k8s.io'),
    );
    expect(listWebhooks(s).unreadable).toEqual(['mutatingWebhookConfigurations']);
  });
});

describe('webhookIntercepts', () => {
  it('matches a rule naming the group, resource and operation', () => {
    const [defaulter] = listWebhooks(healthySnapshot()).webhooks;
    expect(webhookIntercepts(defaulter, isvcCreate)).toBe(true);
  });

  it('does not match an operation the rule does not list', () => {
    const [defaulter] = listWebhooks(healthySnapshot()).webhooks;
    expect(webhookIntercepts(defaulter, { ...isvcCreate, operation: 'DELETE' })).toBe(false);
  });

  it('does not let the ingress-nginx webhook intercept InferenceServices', () => {
    const { webhooks } = listWebhooks(withStaleIngressNginxWebhook(healthySnapshot()));
    const nginx = webhooks.find(w => w.webhookName === 'validate.nginx.ingress.kubernetes.io')!;
    expect(webhookIntercepts(nginx, isvcCreate)).toBe(false);
    expect(webhookIntercepts(nginx, { group: 'networking.k8s.io', resource: 'ingresses', operation: 'CREATE' })).toBe(true);
  });

  it('matches "*" groups, resources and operations', () => {
    const w = entry({ rules: [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: ['*'] }] });
    expect(webhookIntercepts(w, isvcCreate)).toBe(true);
  });

  it('matches "<resource>/*" (the resource and all its subresources)', () => {
    const w = entry({ rules: [{ apiGroups: ['serving.kserve.io'], apiVersions: ['*'], resources: ['inferenceservices/*'], operations: ['CREATE'] }] });
    expect(webhookIntercepts(w, isvcCreate)).toBe(true);
  });

  it('does not treat a subresource-only rule ("inferenceservices/status") as matching the resource', () => {
    const w = entry({ rules: [{ apiGroups: ['serving.kserve.io'], apiVersions: ['*'], resources: ['inferenceservices/status'], operations: ['UPDATE'] }] });
    expect(webhookIntercepts(w, { ...isvcCreate, operation: 'UPDATE' })).toBe(false);
  });

  // BUG (see report): kube-apiserver's rule matcher treats "*/*" as every resource
  // and every subresource; webhookIntercepts only knows "*" and "<resource>/*".
  it('matches "*/*" (every resource and subresource)', () => {
    const w = entry({ rules: [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*/*'], operations: ['*'] }] });
    expect(webhookIntercepts(w, isvcCreate)).toBe(true);
  });

  it('excludes a namespace that does not match the namespaceSelector', () => {
    const { webhooks } = listWebhooks(withStaleWebhook(healthySnapshot(), {
      namespaceSelector: { matchLabels: { 'policy.example.io/enforce': 'true' } },
    }));
    const w = webhooks.find(x => x.webhookName === 'validation.gatekeeper.sh')!;
    expect(webhookIntercepts(w, { ...isvcCreate, namespaceLabels: MODELS_NS })).toBe(false);
    expect(webhookIntercepts(w, { ...isvcCreate, namespaceLabels: { ...MODELS_NS, 'policy.example.io/enforce': 'true' } })).toBe(true);
  });

  it('evaluates namespaceSelector matchExpressions (DoesNotExist / NotIn)', () => {
    const { webhooks } = listWebhooks(healthySnapshot());
    const kyverno = webhooks.find(w => w.webhookName === 'validate.kyverno.svc-fail')!;
    expect(webhookIntercepts(kyverno, { ...isvcCreate, namespaceLabels: MODELS_NS })).toBe(true);
    expect(webhookIntercepts(kyverno, { ...isvcCreate, namespaceLabels: { 'kubernetes.io/metadata.name': 'kyverno' } })).toBe(false);
  });

  it('excludes an object whose labels do not match the objectSelector', () => {
    const { webhooks } = listWebhooks(healthySnapshot());
    const podMutator = webhooks.find(w => w.webhookName.endsWith('.pod-mutator'))!;
    const podCreate = { group: '', resource: 'pods', operation: 'CREATE' };
    expect(webhookIntercepts(podMutator, { ...podCreate, objectLabels: { app: 'web' } })).toBe(false);
    expect(webhookIntercepts(podMutator, { ...podCreate, objectLabels: { 'serving.kserve.io/inferenceservice': 'fraud-detector' } })).toBe(true);
  });
});

describe('webhookIntercepts: scope', () => {
  it('does not let a Cluster-scoped rule intercept a namespaced object', () => {
    const w = entry({ rules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], operations: ['CREATE'], scope: 'Cluster' }] });
    expect(webhookIntercepts(w, { group: '', resource: 'pods', operation: 'CREATE' })).toBe(false);
    const any = entry({ rules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], operations: ['CREATE'], scope: '*' }] });
    expect(webhookIntercepts(any, { group: '', resource: 'pods', operation: 'CREATE' })).toBe(true);
  });
});

describe('entityAdmissionRequests', () => {
  const kinds = (s = healthySnapshot()) =>
    [...new Set(entityAdmissionRequests(checkContext({ snapshot: s })).map(r => `${r.group || 'core'}/${r.resource}`))].sort();

  it('covers the InferenceService, its predictor Pods and Deployments, and a Knative Service in Serverless mode (KServe\'s default)', () => {
    expect(kinds()).toEqual(['apps/deployments', 'core/pods', 'serving.knative.dev/services', 'serving.kserve.io/inferenceservices']);
  });

  it.each(['RawDeployment', 'Standard'])('covers Service, Ingress, HTTPRoute and HPA in %s mode', mode => {
    const s = withInferenceService(healthySnapshot(), i => {
      i.metadata.annotations = { 'serving.kserve.io/deploymentMode': mode };
    });
    expect(kinds(s)).toEqual([
      'apps/deployments',
      'autoscaling/horizontalpodautoscalers',
      'core/pods',
      'core/services',
      'gateway.networking.k8s.io/httproutes',
      'networking.k8s.io/ingresses',
      'serving.kserve.io/inferenceservices',
    ]);
  });

  it('gives what KServe creates the InferenceService\'s labels plus its own, and its namespace\'s labels', () => {
    const pods = entityAdmissionRequests(checkContext()).find(r => r.resource === 'pods')!;
    expect(pods.operation).toBe('CREATE');
    expect(pods.objectLabels).toMatchObject({ owner: 'team-fraud', 'serving.kserve.io/inferenceservice': 'fraud-detector', component: 'predictor' });
    expect(pods.namespaceLabels).toMatchObject({ 'kubernetes.io/metadata.name': 'models', 'cost-center': 'cc-4200' });
  });
});

describe('describeRules', () => {
  it('says which operations, resources and groups a webhook intercepts, core group named "core"', () => {
    const w = entry({
      rules: [
        { apiGroups: ['serving.kserve.io'], apiVersions: ['v1beta1'], resources: ['inferenceservices'], operations: ['CREATE', 'UPDATE'] },
        { apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], operations: ['CREATE'] },
      ],
    });
    expect(describeRules(w)).toBe('CREATE,UPDATE inferenceservices in serving.kserve.io; CREATE pods in core');
  });
});
