import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { useTestEnv } from './jest';
import { KubeApiError, KubeClient } from './kube';
import { repoRoot, scenariosDir } from './paths';
import { listScenarios } from './scenario';
import { Identity, TestEnv } from './testenv';

/**
 * Loader tests: every scenario is loaded into a real API server and read back through the
 * API, as the plugin's reader identity where the plugin would read it. They prove the
 * scenarios hold the cluster states they claim (and that the API server enforces them, e.g.
 * denying creates through a dead webhook), not the triage: that is the backend's and the
 * CLI's scenario tests. One API server per scenario, started once.
 */

// Reads against a real API server: a loaded two-core machine needs more than jest's 5 s default.
jest.setTimeout(60_000);

const FAILURE_MODES = [
  'webhook-no-endpoints',
  'crd-missing',
  'label-policy-mismatch',
  'policy-engine-not-ready',
  'stale-webhook',
  'webhook-unavailable',
];

const ISVCS =
  '/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices';
const APPS = '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications';
const VWCS =
  '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';
const MWCS =
  '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations';

/** Every LIST the plugin's checks make (DESIGN.md), as deploy/rbac.yaml grants them. */
const PLUGIN_LISTS = [
  '/api/v1/nodes',
  '/api/v1/namespaces',
  '/api/v1/services',
  '/api/v1/pods',
  '/api/v1/events',
  '/apis/discovery.k8s.io/v1/endpointslices',
  '/apis/apps/v1/deployments',
  '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
  VWCS,
  MWCS,
  '/apis/argoproj.io/v1alpha1/applications',
  '/apis/kyverno.io/v1/clusterpolicies',
  '/apis/kyverno.io/v1/policies',
  '/apis/wgpolicyk8s.io/v1alpha2/policyreports',
];

async function call<T = any>(
  env: TestEnv,
  identity: Identity,
  method: string,
  urlPath: string,
  body?: unknown,
): Promise<T> {
  const client = new KubeClient(env.access(identity));
  try {
    return await client.request<T>(method, urlPath, body);
  } finally {
    client.close();
  }
}

const get = (env: TestEnv, urlPath: string, identity: Identity = 'reader') =>
  call(env, identity, 'GET', urlPath);

/** The reader may only LIST (deploy/rbac.yaml): one object is a filtered list. */
async function one(env: TestEnv, collection: string, name: string) {
  const { items } = await get(
    env,
    `${collection}?fieldSelector=${encodeURIComponent(
      `metadata.name=${name}`,
    )}`,
  );
  return items[0];
}

async function failure(promise: Promise<unknown>): Promise<KubeApiError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof KubeApiError) {
      return e;
    }
    throw e;
  }
  throw new Error('expected the API server to refuse the request');
}

function isvc(name: string, labels: Record<string, string>) {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, namespace: 'models', labels },
    spec: {
      predictor: {
        model: {
          modelFormat: { name: 'sklearn' },
          storageUri: `s3://ml-models/${name}/v1`,
        },
      },
    },
  };
}

const condition = (obj: any, type: string) =>
  obj.status?.conditions?.find((c: any) => c.type === type)?.status;

/** The reads and RBAC every scenario must satisfy, whatever it breaks. */
function commonChecks(env: () => TestEnv) {
  it('gives the reader every list the plugin makes, and nobody none of them', async () => {
    for (const urlPath of PLUGIN_LISTS) {
      await expect(get(env(), urlPath)).resolves.toHaveProperty('items');
      const denied = await failure(get(env(), urlPath, 'nobody'));
      expect(denied.statusCode).toBe(403);
    }
  });

  it('has a Ready node and both control planes with their webhook Services', async () => {
    const nodes = (await get(env(), '/api/v1/nodes')).items;
    expect(nodes.map((n: any) => condition(n, 'Ready'))).toEqual(['True']);
    const services = (await get(env(), '/api/v1/services')).items.map(
      (s: any) => `${s.metadata.namespace}/${s.metadata.name}`,
    );
    expect(services).toEqual(
      expect.arrayContaining([
        'kserve/kserve-webhook-server-service',
        'kyverno/kyverno-svc',
      ]),
    );
  });

  it('keeps Argo CD status as written (Application has no status subresource)', async () => {
    const apps = (await get(env(), APPS)).items;
    expect(apps.length).toBeGreaterThan(0);
    for (const app of apps) {
      expect(app.status.sync.status).toMatch(/^(Synced|OutOfSync|Unknown)$/);
    }
  });
}

async function readyEndpoints(
  env: TestEnv,
  namespace: string,
  service: string,
) {
  const slices = (
    await get(
      env,
      `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices?labelSelector=${encodeURIComponent(
        `kubernetes.io/service-name=${service}`,
      )}`,
    )
  ).items;
  expect(slices).toHaveLength(1);
  return slices[0].endpoints.filter((e: any) => e.conditions.ready !== false);
}

describe('the scenario library', () => {
  const scenarios = listScenarios();

  it('has a healthy base, every failure mode and at least two combinations', () => {
    const expected = scenarios.flatMap(s =>
      s.manifest!.expect.flatMap(e => e.failureModes),
    );
    expect(new Set(expected)).toEqual(new Set(FAILURE_MODES));
    expect(scenarios.map(s => s.name)).toContain('healthy');
    const combos = scenarios.filter(s =>
      s.manifest!.expect.some(e => e.failureModes.length > 1),
    );
    expect(combos.length).toBeGreaterThanOrEqual(2);
  });

  it('describes each expected entity in the scenario catalog, named uniquely, on its own cluster', () => {
    const seen = new Set<string>();
    for (const scenario of scenarios) {
      const entities = YAML.parseAllDocuments(
        fs.readFileSync(path.join(scenario.dir, 'catalog-info.yaml'), 'utf8'),
      ).map(d => d.toJS());
      for (const entity of entities) {
        const ref = `component:default/${entity.metadata.name}`;
        expect(seen.has(ref)).toBe(false);
        seen.add(ref);
        expect(entity.spec.type).toBe('model-endpoint');
        // Hub and spoke: an entity may leave its cluster to its Application's destination.
        const cluster =
          entity.metadata.annotations['backstage.io/kubernetes-cluster'];
        const viaDestination = scenario.manifest?.argocdInstances?.some(
          i => i.name === entity.metadata.annotations['argocd/instance-name'],
        );
        expect(cluster ?? (viaDestination ? scenario.name : undefined)).toBe(
          scenario.name,
        );
      }
      const refs = entities.map(e => `component:default/${e.metadata.name}`);
      for (const { entity, failureModes } of scenario.manifest!.expect) {
        expect(refs).toContain(entity);
        failureModes.forEach(m => expect(FAILURE_MODES).toContain(m));
      }
    }
  });

  it('is registered in the root catalog-info.yaml, every scenario catalog listed', () => {
    const docs = YAML.parseAllDocuments(
      fs.readFileSync(path.join(repoRoot, 'catalog-info.yaml'), 'utf8'),
    ).map(d => d.toJS());
    const location = docs.find(d => d.kind === 'Location');
    expect(location.spec.targets).toEqual(
      expect.arrayContaining(
        scenarios.map(
          s =>
            `./${path.relative(
              repoRoot,
              path.join(scenariosDir, s.name),
            )}/catalog-info.yaml`,
        ),
      ),
    );
  });
});

describe('scenario loader: healthy', () => {
  const env = useTestEnv({ scenario: 'healthy' });
  commonChecks(env);

  it('serves both models Ready, with the labels the policy requires', async () => {
    const items = (await get(env(), ISVCS)).items;
    expect(items.map((i: any) => i.metadata.name).sort()).toEqual([
      'fraud-detector',
      'sentiment-analysis',
    ]);
    for (const item of items) {
      expect(condition(item, 'Ready')).toBe('True');
      expect(Object.keys(item.metadata.labels)).toEqual(
        expect.arrayContaining(['owner', 'cost-center']),
      );
    }
  });

  it('finds the kubernetes-id entity by label, as the Kubernetes plugin does', async () => {
    const items = (
      await get(
        env(),
        `${ISVCS}?labelSelector=${encodeURIComponent(
          'backstage.io/kubernetes-id=sentiment-analysis',
        )}`,
      )
    ).items;
    expect(items.map((i: any) => i.metadata.name)).toEqual([
      'sentiment-analysis',
    ]);
  });

  it('has every webhook Service backed by a ready endpoint of a Ready pod', async () => {
    for (const [ns, svc] of [
      ['kserve', 'kserve-webhook-server-service'],
      ['kyverno', 'kyverno-svc'],
    ]) {
      const [endpoint] = await readyEndpoints(env(), ns, svc);
      const pod = await one(
        env(),
        `/api/v1/namespaces/${ns}/pods`,
        endpoint.targetRef.name,
      );
      expect(condition(pod, 'Ready')).toBe('True');
      expect(pod.spec.nodeName).toBe('ml-worker-1');
      expect(pod.status.podIP).toBe(endpoint.addresses[0]);
    }
  });

  it('registers the upstream webhook names', async () => {
    const webhooks = [
      ...(await get(env(), VWCS)).items,
      ...(await get(env(), MWCS)).items,
    ].flatMap((c: any) => (c.webhooks ?? []).map((w: any) => w.name));
    expect(webhooks).toEqual(
      expect.arrayContaining([
        'inferenceservice.kserve-webhook-server.defaulter',
        'inferenceservice.kserve-webhook-server.pod-mutator',
        'inferenceservice.kserve-webhook-server.validator',
        'trainedmodel.kserve-webhook-server.validator',
        'inferencegraph.kserve-webhook-server.validator',
        'clusterservingruntime.kserve-webhook-server.validator',
        'servingruntime.kserve-webhook-server.validator',
        'validate.kyverno.svc-fail',
        'validate-policy.kyverno.svc',
      ]),
    );
  });

  it('admits a new InferenceService through the served KServe and Kyverno webhooks', async () => {
    const body = isvc('churn-v2', { owner: 'team-ml', 'cost-center': 'cc-1' });
    const created = await call(env(), 'admin', 'POST', ISVCS, body);
    expect(created.metadata.name).toBe('churn-v2');
    await call(env(), 'admin', 'DELETE', `${ISVCS}/churn-v2`);
  });

  it('reports every app Synced and Healthy', async () => {
    const apps = (await get(env(), APPS)).items;
    expect(
      apps.map((a: any) => [a.status.sync.status, a.status.health.status]),
    ).toEqual([
      ['Synced', 'Healthy'],
      ['Synced', 'Healthy'],
    ]);
  });

  it('deletes every InferenceService when their CRD is deleted (what crd-missing is built on)', async () => {
    await call(
      env(),
      'admin',
      'DELETE',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/inferenceservices.serving.kserve.io',
    );
    for (;;) {
      const crds = (
        await get(
          env(),
          '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
        )
      ).items.map((c: any) => c.metadata.name);
      if (!crds.includes('inferenceservices.serving.kserve.io')) {
        break;
      }
      await new Promise(r => setTimeout(r, 100));
    }
    const gone = await failure(get(env(), ISVCS));
    expect(gone.statusCode).toBe(404);
  });
});

describe('scenario loader: webhook-no-endpoints', () => {
  const env = useTestEnv({ scenario: 'webhook-no-endpoints' });
  commonChecks(env);

  it('shows the causal chain: sidecar ImagePullBackOff -> pod 1/2 -> endpoint not ready', async () => {
    const pods = (
      await get(
        env(),
        '/api/v1/namespaces/kserve/pods?labelSelector=control-plane%3Dkserve-controller-manager',
      )
    ).items;
    expect(pods).toHaveLength(1);
    const [pod] = pods;
    expect(condition(pod, 'Ready')).toBe('False');
    const statuses = Object.fromEntries(
      pod.status.containerStatuses.map((c: any) => [c.name, c]),
    );
    expect(statuses.manager.ready).toBe(true);
    expect(statuses['kube-rbac-proxy'].state.waiting.reason).toBe(
      'ImagePullBackOff',
    );
    expect(
      await readyEndpoints(env(), 'kserve', 'kserve-webhook-server-service'),
    ).toEqual([]);

    const deployment = await one(
      env(),
      '/apis/apps/v1/namespaces/kserve/deployments',
      'kserve-controller-manager',
    );
    expect(condition(deployment, 'Available')).toBe('False');

    const events = (await get(env(), '/api/v1/namespaces/kserve/events')).items;
    const pull = events.find(
      (e: any) =>
        e.reason === 'Failed' && e.message.startsWith('Failed to pull image'),
    );
    expect(pull.involvedObject.name).toBe(pod.metadata.name);
    expect(pull.message).toContain(
      'Failed to pull image "gcr.io/kubebuilder/kube-rbac-proxy:v0.13.1"',
    );
    expect(pull.message).toContain('403 Forbidden');
  });

  it('has the API server deny InferenceService creation and updates cluster-wide', async () => {
    const created = await failure(
      call(
        env(),
        'admin',
        'POST',
        ISVCS,
        isvc('credit-scoring', {
          owner: 'team-lending',
          'cost-center': 'cc-3310',
        }),
      ),
    );
    const expected =
      'Internal error occurred: failed calling webhook "inferenceservice.kserve-webhook-server.defaulter": failed to call webhook: Post "https://kserve-webhook-server-service.kserve.svc:443/mutate-serving-kserve-io-v1beta1-inferenceservice?timeout=10s": no endpoints available for service "kserve-webhook-server-service"';
    expect(created.statusCode).toBe(500);
    expect(created.message).toBe(expected);

    const existing = await get(env(), `${ISVCS}/fraud-detector`, 'admin');
    existing.spec.predictor.model.storageUri =
      's3://ml-models/fraud-detector/v8';
    const updated = await failure(
      call(env(), 'admin', 'PUT', `${ISVCS}/fraud-detector`, existing),
    );
    expect(updated.message).toBe(expected);
  });

  it('records the same error in the Argo CD app that could not sync', async () => {
    const app = await one(env(), APPS, 'credit-scoring');
    expect(app.status.conditions[0].type).toBe('SyncError');
    expect(app.status.conditions[0].message).toContain(
      'no endpoints available for service "kserve-webhook-server-service"',
    );
    expect(await one(env(), ISVCS, 'credit-scoring')).toBeUndefined();
  });
});

describe('scenario loader: crd-missing', () => {
  const env = useTestEnv({ scenario: 'crd-missing' });
  commonChecks(env);

  it('has no InferenceService CRD and therefore no InferenceServices', async () => {
    const crds = (
      await get(
        env(),
        '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      )
    ).items.map((c: any) => c.metadata.name);
    expect(crds).not.toContain('inferenceservices.serving.kserve.io');
    expect(crds).toContain('servingruntimes.serving.kserve.io');
    const gone = await failure(get(env(), ISVCS));
    expect(gone.statusCode).toBe(404);
  });

  it('shows every model app OutOfSync with its InferenceService Missing', async () => {
    const apps = (await get(env(), APPS)).items;
    expect(apps.map((a: any) => a.metadata.name).sort()).toEqual([
      'fraud-detector',
      'product-recommender',
      'sentiment-analysis',
    ]);
    for (const app of apps) {
      expect(app.status.sync.status).toBe('OutOfSync');
      expect(app.status.health.status).toBe('Missing');
      expect(app.status.resources).toEqual([
        expect.objectContaining({
          kind: 'InferenceService',
          health: { status: 'Missing' },
        }),
      ]);
    }
  });
});

describe('scenario loader: label-policy-mismatch', () => {
  const env = useTestEnv({ scenario: 'label-policy-mismatch' });
  commonChecks(env);

  it('has an Enforce policy requiring cost-center and a model labelled costCenter', async () => {
    const policy = await one(
      env(),
      '/apis/kyverno.io/v1/clusterpolicies',
      'require-labels',
    );
    expect(policy.spec.validationFailureAction).toBe('Enforce');
    expect(policy.spec.rules[0].validate.pattern.metadata.labels).toEqual({
      owner: '?*',
      'cost-center': '?*',
    });
    expect(condition(policy, 'Ready')).toBe('True');
    const model = await one(env(), ISVCS, 'churn-predictor');
    expect(model.metadata.labels).toHaveProperty('costCenter');
    expect(model.metadata.labels).not.toHaveProperty('cost-center');
  });

  it("carries Kyverno's denial in the app's failed operation", async () => {
    const app = await one(env(), APPS, 'churn-predictor');
    expect(app.status.sync.status).toBe('OutOfSync');
    expect(app.status.operationState.phase).toBe('Failed');
    expect(app.status.operationState.syncResult.resources[0].message).toContain(
      "require-labels:\n  check-for-labels: 'validation error: The labels `owner` and `cost-center` are required. rule check-for-labels failed at path /metadata/labels/cost-center/'",
    );
  });
});

describe('scenario loader: policy-engine-not-ready', () => {
  const env = useTestEnv({ scenario: 'policy-engine-not-ready' });
  commonChecks(env);

  it('has the admission controller crash-looping and kyverno-svc without ready endpoints', async () => {
    const [pod] = (
      await get(
        env(),
        '/api/v1/namespaces/kyverno/pods?labelSelector=app.kubernetes.io%2Fcomponent%3Dadmission-controller',
      )
    ).items;
    expect(pod.status.containerStatuses[0].state.waiting.reason).toBe(
      'CrashLoopBackOff',
    );
    expect(pod.status.containerStatuses[0].lastState.terminated.reason).toBe(
      'OOMKilled',
    );
    expect(await readyEndpoints(env(), 'kyverno', 'kyverno-svc')).toEqual([]);
    const vwc = await one(
      env(),
      VWCS,
      'kyverno-resource-validating-webhook-cfg',
    );
    expect(vwc.webhooks[0]).toMatchObject({
      name: 'validate.kyverno.svc-fail',
      failurePolicy: 'Fail',
    });
  });

  it("has the API server deny policy changes through Kyverno's unserved webhook", async () => {
    const denied = await failure(
      call(env(), 'admin', 'POST', '/apis/kyverno.io/v1/clusterpolicies', {
        apiVersion: 'kyverno.io/v1',
        kind: 'ClusterPolicy',
        metadata: { name: 'disallow-latest-tag' },
        spec: { rules: [] },
      }),
    );
    expect(denied.message).toBe(
      'Internal error occurred: failed calling webhook "mutate-policy.kyverno.svc": failed to call webhook: Post "https://kyverno-svc.kyverno.svc:443/policymutate?timeout=10s": no endpoints available for service "kyverno-svc"',
    );
  });

  it('shows the app Unknown with a ComparisonError naming kyverno-svc', async () => {
    const app = await one(env(), APPS, 'image-classifier');
    expect(app.status.sync.status).toBe('Unknown');
    expect(app.status.conditions[0].type).toBe('ComparisonError');
    expect(app.status.conditions[0].message).toContain(
      'no endpoints available for service "kyverno-svc"',
    );
  });
});

describe('scenario loader: stale-webhook', () => {
  const env = useTestEnv({ scenario: 'stale-webhook' });
  commonChecks(env);

  it('keeps KServe healthy and leaves webhooks whose Services are gone', async () => {
    expect(
      await readyEndpoints(env(), 'kserve', 'kserve-webhook-server-service'),
    ).toHaveLength(1);
    const namespaces = (await get(env(), '/api/v1/namespaces')).items.map(
      (n: any) => n.metadata.name,
    );
    expect(namespaces).not.toContain('opendatahub');
    expect(namespaces).not.toContain('ingress-nginx');
    const odh = await one(
      env(),
      VWCS,
      'validating.odh-model-controller.opendatahub.io',
    );
    expect(odh.webhooks[0]).toMatchObject({
      failurePolicy: 'Fail',
      clientConfig: {
        service: { name: 'odh-model-controller-webhook-service' },
      },
      rules: [
        expect.objectContaining({
          resources: ['inferenceservices'],
          operations: ['CREATE'],
        }),
      ],
    });
  });

  it('has the API server deny Ingresses through the stale ingress-nginx webhook', async () => {
    const denied = await failure(
      call(
        env(),
        'admin',
        'POST',
        '/apis/networking.k8s.io/v1/namespaces/models/ingresses',
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'fraud-detector', namespace: 'models' },
          spec: {
            defaultBackend: {
              service: {
                name: 'fraud-detector-predictor',
                port: { number: 80 },
              },
            },
          },
        },
      ),
    );
    expect(denied.statusCode).toBe(500);
    expect(denied.message).toBe(
      'Internal error occurred: failed calling webhook "validate.nginx.ingress.kubernetes.io": failed to call webhook: Post "https://ingress-nginx-controller-admission.ingress-nginx.svc:443/networking/v1/ingresses?timeout=10s": service "ingress-nginx-controller-admission" not found',
    );
  });

  // KServe's and Kyverno's webhooks are served (by the testenv's stand-in
  // webhook server), so the request gets past them to the stale one.
  it('has the API server deny new InferenceServices through the stale odh webhook', async () => {
    const expected =
      'Internal error occurred: failed calling webhook "validating.isvc.odh-model-controller.opendatahub.io": failed to call webhook: Post "https://odh-model-controller-webhook-service.opendatahub.svc:443/validate-serving-kserve-io-v1beta1-inferenceservice?timeout=10s": service "odh-model-controller-webhook-service" not found';
    const denied = await failure(
      call(
        env(),
        'admin',
        'POST',
        ISVCS,
        isvc('text-summarizer', {
          owner: 'team-support-ai',
          'cost-center': 'cc-8810',
        }),
      ),
    );
    expect(denied.message).toBe(expected);
    const app = await one(env(), APPS, 'text-summarizer');
    expect(app.status.conditions[0].message).toContain(expected);
  });
});

describe('scenario loader: combo-webhook-and-labels', () => {
  const env = useTestEnv({ scenario: 'combo-webhook-and-labels' });
  commonChecks(env);

  it('combines the dead KServe webhook with costCenter-labelled models', async () => {
    expect(
      await readyEndpoints(env(), 'kserve', 'kserve-webhook-server-service'),
    ).toEqual([]);
    const labelled = (await get(env(), ISVCS)).items.filter(
      (i: any) => 'costCenter' in i.metadata.labels,
    );
    expect(labelled.map((i: any) => i.metadata.name).sort()).toEqual([
      'churn-predictor',
      'pricing-optimizer',
    ]);
    const app = await one(env(), APPS, 'pricing-optimizer');
    expect(app.status.operationState.message).toContain(
      'no endpoints available for service "kserve-webhook-server-service"',
    );
  });
});

describe('scenario loader: combo-stale-and-policy-engine', () => {
  const env = useTestEnv({ scenario: 'combo-stale-and-policy-engine' });
  commonChecks(env);

  it('combines the stale odh webhook with an unserved Kyverno', async () => {
    expect(await readyEndpoints(env(), 'kyverno', 'kyverno-svc')).toEqual([]);
    expect(
      await readyEndpoints(env(), 'kserve', 'kserve-webhook-server-service'),
    ).toHaveLength(1);
    expect(
      await one(env(), VWCS, 'validating.odh-model-controller.opendatahub.io'),
    ).toBeDefined();
    const app = await one(env(), APPS, 'speech-to-text');
    expect(app.status.sync.status).toBe('Unknown');
    expect(app.status.conditions[0].message).toContain('kyverno-svc');
  });
});
