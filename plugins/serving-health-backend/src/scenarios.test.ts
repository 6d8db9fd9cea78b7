import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  TestEnv,
  expectedOverall,
  listScenarios,
  scenarioArgocdInstances,
  startTestEnv,
} from '@internal/testenv';
import { TriageReport } from '@serving-health/plugin-serving-health-common';
import request from 'supertest';
import {
  scenarioEntities,
  testenvClusterConfig,
} from './__testUtils__/clusters';
import { servingHealthPlugin } from './plugin';

jest.setTimeout(120_000);

/** Which testenv identity a token is, so another cluster is read as the same identity. */
function identityOf(env: TestEnv, token: string) {
  return (Object.keys(env.tokens) as Array<keyof TestEnv['tokens']>).find(
    k => env.tokens[k] === token,
  )!;
}

async function startBackend(
  env: TestEnv,
  token: string,
  entities: Entity[],
  permission:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  // By default the scenario's namespaces belong to its entities' owners (tenancy has its own tests below).
  namespaceOwners: Array<{ namespace: string; owners: string[] }> = [
    {
      namespace: '*',
      owners: [...new Set(entities.map(e => String(e.spec?.owner)))],
    },
  ],
  /** Hub and spoke: the other clusters (read as the same identity) and the Argo CD instances on them. */
  hubs: {
    envs: TestEnv[];
    argocdInstances: ReturnType<typeof scenarioArgocdInstances>;
  } = {
    envs: [],
    argocdInstances: [],
  },
) {
  const { server } = await startTestBackend({
    features: [
      servingHealthPlugin,
      catalogServiceMock.factory({ entities }),
      mockServices.permissions.factory({ result: permission }),
      mockServices.rootConfig.factory({
        data: {
          servingHealth: {
            clusters: [env, ...hubs.envs].flatMap(e =>
              testenvClusterConfig(
                e,
                e === env ? token : e.tokens[identityOf(env, token)],
              ),
            ),
            argocdInstances: hubs.argocdInstances,
            requestTimeoutMs: 5000,
            namespaceOwners,
          },
        },
      }),
    ],
  });
  return server;
}

/**
 * The check whose reading of the cluster names each failure mode. Argo CD messages may confirm a mode, but a
 * mode seen only there would mean the authoritative check missed it.
 */
const AUTHORITATIVE_CHECK: Record<string, string> = {
  'crd-missing': 'kserve.crds',
  'webhook-no-endpoints': 'kserve.webhook-endpoints',
  'policy-engine-not-ready': 'policy-engine.admission',
  'stale-webhook': 'webhooks.stale',
  'webhook-unavailable': 'webhooks.unavailable',
  'label-policy-mismatch': 'policy.labels',
};

/** No cluster credential of the testenv may appear in anything the REST API answers. */
function expectNoToken(env: TestEnv, body: string) {
  for (const token of Object.values(env.tokens)) {
    expect(body.includes(token)).toBe(false);
  }
}

const reportPath = (ref: string) => {
  const [kind, rest] = ref.split(':');
  const [ns, name] = rest.split('/');
  return `/api/serving-health/entities/${ns}/${kind}/${name}/report`;
};

// A scenario that expects nothing (a hub holding only Applications) is loaded by the scenarios that use it.
describe.each(
  listScenarios()
    .filter(s => s.manifest?.expect.length)
    .map(s => [s.name, s] as const),
)('scenario %s through the REST API', (_name, scenario) => {
  let env: TestEnv;
  let entities: Entity[];
  const hubs = {
    envs: [] as TestEnv[],
    argocdInstances: scenarioArgocdInstances(scenario.manifest),
  };

  beforeAll(async () => {
    env = await startTestEnv({ scenario: scenario.dir });
    for (const hub of new Set(hubs.argocdInstances.map(i => i.cluster))) {
      hubs.envs.push(await startTestEnv({ scenario: hub }));
    }
    entities = scenarioEntities(scenario.name);
  });
  afterAll(async () => {
    await env?.stop();
    await Promise.all(hubs.envs.map(h => h.stop()));
  });

  it('reports exactly the declared failure modes, as the read-only identity', async () => {
    const server = await startBackend(
      env,
      env.tokens.reader,
      entities,
      AuthorizeResult.ALLOW,
      undefined,
      hubs,
    );
    for (const expected of scenario.manifest!.expect) {
      const res = await request(server).get(reportPath(expected.entity));
      expect(res.status).toBe(200);
      const report: TriageReport = res.body;
      expectNoToken(env, res.text);
      expect(report.failureModes.map(m => m.id).sort()).toEqual(
        [...expected.failureModes].sort(),
      );
      for (const mode of report.failureModes) {
        expect([mode.id, mode.seenBy]).toEqual([
          mode.id,
          expect.arrayContaining([
            AUTHORITATIVE_CHECK[mode.id] ??
              'an authoritative check declared above',
          ]),
        ]);
      }
      // The read-only ClusterRole allows every read the checks make. The controller logs exist only where
      // the scenario provides them (the testenv's stand-in kubelet answers 404 for the others).
      const logsProvided = (scenario.manifest!.logSecrets ?? []).length > 0;
      const errors = report.checks.filter(
        c =>
          c.status === 'error' &&
          (logsProvided || c.id !== 'kserve.controller-logs'),
      );
      expect(errors).toEqual([]);
      expect(
        (scenario.manifest!.logSecrets ?? []).filter(s => res.text.includes(s)),
      ).toEqual([]);
      expect([expected.entity, report.overall]).toEqual([
        expected.entity,
        expectedOverall(expected),
      ]);
      // Hub and spoke: the report says the Applications were read on the hub, the rest on the workload cluster.
      expect(report.sources?.map(s => s.cluster)).toEqual(
        hubs.argocdInstances.length
          ? [hubs.argocdInstances[0].cluster, env.name]
          : undefined,
      );
      for (const [id, want] of Object.entries(expected.checks ?? {})) {
        const check = report.checks.find(c => c.id === id);
        expect({
          id,
          status: check?.status,
          failureMode: check?.failureMode,
        }).toEqual({
          id,
          status: want.status ?? check?.status,
          failureMode:
            'failureMode' in want ? want.failureMode : check?.failureMode,
        });
        for (const words of want.summaryIncludes ?? [])
          expect(check?.summary).toContain(words);
      }
    }
  });

  it('returns a report with error checks, not a 500, for an identity without bindings', async () => {
    const server = await startBackend(
      env,
      env.tokens.nobody,
      entities,
      AuthorizeResult.ALLOW,
      undefined,
      hubs,
    );
    const ref = scenario.manifest!.expect[0].entity;
    const res = await request(server).get(reportPath(ref));
    expect(res.status).toBe(200);
    const report: TriageReport = res.body;
    expect(report.checks.find(c => c.id === 'cluster.reachable')?.status).toBe(
      'pass',
    );
    const crds = report.checks.find(c => c.id === 'kserve.crds')!;
    expect(crds.status).toBe('error');
    expect(crds.summary).toContain(
      'customresourcedefinitions.apiextensions.k8s.io',
    );
    expect(report.overall).not.toBe('healthy');
  });

  it('lists every entity of the scenario in the fleet with its failure modes', async () => {
    const server = await startBackend(
      env,
      env.tokens.reader,
      entities,
      AuthorizeResult.ALLOW,
      undefined,
      hubs,
    );
    const res = await request(server).get('/api/serving-health/fleet');
    expect(res.status).toBe(200);
    expectNoToken(env, res.text);
    for (const expected of scenario.manifest!.expect) {
      const entry = res.body.entries.find(
        (e: any) => e.entityRef === expected.entity,
      );
      expect(entry).toBeDefined();
      expect([...entry.failureModes].sort()).toEqual(
        [...expected.failureModes].sort(),
      );
    }
  });
});

describe.each(
  listScenarios()
    .filter(s => (s.manifest?.logSecrets ?? []).length > 0)
    .map(s => [s.name, s] as const),
)('scenario %s: controller logs through the API server', (_name, scenario) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv({ scenario: scenario.dir });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("reads the log through pods/log and shows only the entity's own lines, redacted", async () => {
    const server = await startBackend(
      env,
      env.tokens.reader,
      scenarioEntities(scenario.name),
    );
    for (const expected of scenario.manifest!.expect) {
      const res = await request(server).get(reportPath(expected.entity));
      const report: TriageReport = res.body;
      const logs = report.checks.find(c => c.id === 'kserve.controller-logs')!;
      expect(logs.status).toBe('fail');
      const isvc = report.target.inferenceService!.name;
      const lines = logs.evidence.flatMap(e => e.lines ?? []);
      expect(lines.length).toBeGreaterThan(0);
      expect(
        lines.filter(l => !l.includes(isvc) || !l.includes('[REDACTED')),
      ).toEqual([]);
      expect(
        scenario.manifest!.logSecrets!.filter(s => res.text.includes(s)),
      ).toEqual([]);
    }
  });
});

describe('REST API errors', () => {
  let env: TestEnv;
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'malformed',
      namespace: 'default',
      annotations: { 'serving.kserve.io/inferenceservice': 'Not/A/Valid/Name' },
    },
    spec: { type: 'model-endpoint', owner: 'team-ml', lifecycle: 'production' },
  };

  beforeAll(async () => {
    env = await startTestEnv({ scenario: 'healthy' });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('answers 404 for an unknown entity', async () => {
    const server = await startBackend(env, env.tokens.reader, [entity]);
    const res = await request(server).get(
      '/api/serving-health/entities/default/component/nope/report',
    );
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('component:default/nope');
  });

  it('answers 400 naming the annotation for a malformed one', async () => {
    const server = await startBackend(env, env.tokens.reader, [entity]);
    const res = await request(server).get(
      reportPath(stringifyEntityRef(entity)),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'serving.kserve.io/inferenceservice',
    );
  });

  it('answers 400 for a bad path parameter', async () => {
    const server = await startBackend(env, env.tokens.reader, [entity]);
    const res = await request(server).get(
      '/api/serving-health/entities/default/component/..%2F..%2Fetc/report',
    );
    expect(res.status).toBe(400);
  });

  describe("tenancy: an annotation does not open another team's namespace", () => {
    // An entity of team-intruder whose annotation names team-fraud's InferenceService in the healthy cluster.
    const curious: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'curious',
        namespace: 'default',
        annotations: {
          'serving.kserve.io/inferenceservice': 'models/fraud-detector',
          'argocd/app-name': 'fraud-detector',
        },
      },
      spec: {
        type: 'model-endpoint',
        owner: 'team-intruder',
        lifecycle: 'production',
      },
    };
    const curiousPath = reportPath('component:default/curious');

    it('reports the target as unbound and shows nothing read from it', async () => {
      const server = await startBackend(
        env,
        env.tokens.reader,
        [curious],
        AuthorizeResult.ALLOW,
        [{ namespace: 'models', owners: ['group:default/team-fraud'] }],
      );
      const res = await request(server).get(curiousPath);
      expect(res.status).toBe(200);
      const report: TriageReport = res.body;
      expect(report.binding).toMatchObject({ bound: false });
      expect(report.binding!.detail).toContain(
        'does not give the namespace to group:default/team-intruder',
      );
      const withheld = report.checks
        .filter(c => c.summary.startsWith('Not shown:'))
        .map(c => c.id);
      expect(withheld).toEqual(
        expect.arrayContaining([
          'kserve.inferenceservice',
          'policy.labels',
          'argocd.sync',
        ]),
      );
      // Neither the InferenceService's labels nor its status reach the caller.
      expect(res.text).not.toContain('cc-1042');
      expect(res.text).not.toContain('fraud-detector-models.example.com');
    });

    it('shows the target once the namespace is given to the entity owner', async () => {
      const server = await startBackend(
        env,
        env.tokens.reader,
        [curious],
        AuthorizeResult.ALLOW,
        [{ namespace: 'models', owners: ['group:default/team-intruder'] }],
      );
      const res = await request(server).get(curiousPath);
      const report: TriageReport = res.body;
      expect(report.binding).toMatchObject({
        bound: true,
        by: 'namespace-owner',
      });
      expect(
        report.checks.find(c => c.id === 'kserve.inferenceservice')?.status,
      ).toBe('pass');
      expect(res.text).toContain('fraud-detector-models.example.com');
    });
  });

  it("starts with a cluster it cannot use next to one it can, and names why on that cluster's reports", async () => {
    const onGke: Entity = {
      ...entity,
      metadata: {
        name: 'on-gke',
        namespace: 'default',
        annotations: {
          'serving.kserve.io/inferenceservice': 'models/fraud-detector',
          'backstage.io/kubernetes-cluster': 'gke-prod',
        },
      },
    };
    const onTestenv: Entity = {
      ...entity,
      metadata: {
        name: 'on-testenv',
        namespace: 'default',
        annotations: {
          'serving.kserve.io/inferenceservice': 'models/fraud-detector',
          'backstage.io/kubernetes-cluster': env.name,
        },
      },
    };
    const onEks: Entity = {
      ...entity,
      metadata: {
        name: 'on-eks',
        namespace: 'default',
        annotations: {
          'serving.kserve.io/inferenceservice': 'models/fraud-detector',
          'backstage.io/kubernetes-cluster': 'eks-prod',
        },
      },
    };
    const { server } = await startTestBackend({
      features: [
        servingHealthPlugin,
        catalogServiceMock.factory({ entities: [onGke, onTestenv, onEks] }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.rootConfig.factory({
          data: {
            // Clusters of the Kubernetes plugin, which this backend does not run: its list cannot be read.
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'eks-prod',
                      url: 'https://eks.invalid',
                      authProvider: 'aws',
                    },
                  ],
                },
              ],
            },
            servingHealth: {
              clusters: [
                {
                  name: 'gke-prod',
                  url: 'https://gke.invalid',
                  authProvider: 'google',
                },
                ...testenvClusterConfig(env, env.tokens.reader),
              ],
            },
          },
        }),
      ],
    });
    const gke = await request(server).get(
      reportPath('component:default/on-gke'),
    );
    expect(gke.status).toBe(200);
    const reachable = (gke.body as TriageReport).checks.find(
      c => c.id === 'cluster.reachable',
    )!;
    expect(reachable.status).toBe('error');
    expect(JSON.stringify(reachable)).toContain(
      "servingHealth.clusters takes authProvider serviceAccount (or a kubeconfig), not 'google'",
    );
    const eks = await request(server).get(
      reportPath('component:default/on-eks'),
    );
    expect(eks.status).toBe(400);
    expect(eks.body.error.message).toContain(
      "names cluster 'eks-prod', which is not configured",
    );
    expect(eks.body.error.message).toContain(
      "The Kubernetes plugin's cluster list",
    );
    const ok = await request(server).get(
      reportPath('component:default/on-testenv'),
    );
    expect(
      (ok.body as TriageReport).checks.find(c => c.id === 'cluster.reachable')!
        .status,
    ).toBe('pass');
  });

  it('answers 403 when the permission is denied', async () => {
    const server = await startBackend(
      env,
      env.tokens.reader,
      [entity],
      AuthorizeResult.DENY,
    );
    const res = await request(server).get(
      reportPath(stringifyEntityRef(entity)),
    );
    expect(res.status).toBe(403);
  });
});

describe('hub and spoke: what cannot be decided is said, never guessed', () => {
  let spoke: TestEnv;
  let hub: TestEnv;
  beforeAll(async () => {
    [spoke, hub] = await Promise.all([
      startTestEnv({ scenario: 'hub-and-spoke-spoke' }),
      startTestEnv({ scenario: 'hub-and-spoke-hub' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([spoke?.stop(), hub?.stop()]);
  });

  const component = (
    name: string,
    annotations: Record<string, string>,
  ): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'serving.kserve.io/inferenceservice': 'models/fraud-detector',
        ...annotations,
      },
    },
    spec: {
      type: 'model-endpoint',
      owner: 'team-risk',
      lifecycle: 'production',
    },
  });
  const entities = [
    component('unknown-instance', {
      'argocd/instance-name': 'elsewhere',
      'argocd/app-name': 'fraud-detector-spoke',
    }),
    // The Application deploys to the spoke; the entity says it runs on the hub.
    component('wrong-cluster', {
      'argocd/instance-name': 'hub',
      'argocd/app-name': 'fraud-detector-spoke',
      'backstage.io/kubernetes-cluster': 'hub-and-spoke-hub',
    }),
    component('missing-app', {
      'argocd/instance-name': 'hub',
      'argocd/app-name': 'not-there',
    }),
  ];

  it('names the unknown instance, the disagreeing cluster and the missing Application', async () => {
    const server = await startBackend(
      spoke,
      spoke.tokens.reader,
      entities,
      AuthorizeResult.ALLOW,
      undefined,
      {
        envs: [hub],
        argocdInstances: [
          {
            name: 'hub',
            cluster: hub.name,
            destinations: [
              {
                destination: 'https://spoke.ml.example.com:6443',
                cluster: spoke.name,
              },
            ],
          },
        ],
      },
    );
    const unknown = await request(server).get(
      reportPath('component:default/unknown-instance'),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain(
      "names Argo CD instance 'elsewhere'",
    );
    const wrong = await request(server).get(
      reportPath('component:default/wrong-cluster'),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toContain(
      "names cluster 'hub-and-spoke-hub', but Application argocd/fraud-detector-spoke on 'hub-and-spoke-hub' deploys to https://spoke.ml.example.com:6443 (cluster 'hub-and-spoke-spoke')",
    );
    const missing = await request(server).get(
      reportPath('component:default/missing-app'),
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain(
      "Application argocd/not-there is not on cluster 'hub-and-spoke-hub'",
    );
    const fleet = await request(server).get('/api/serving-health/fleet');
    expect(
      fleet.body.entries.map((e: any) => [e.entityRef, e.overall]),
    ).toEqual([
      ['component:default/missing-app', 'unknown'],
      ['component:default/unknown-instance', 'unknown'],
      ['component:default/wrong-cluster', 'unknown'],
    ]);
  });

  it("says the workload cluster is unknown when the hub's Applications cannot be read", async () => {
    const server = await startBackend(
      spoke,
      spoke.tokens.nobody,
      entities,
      AuthorizeResult.ALLOW,
      undefined,
      {
        envs: [hub],
        argocdInstances: [{ name: 'hub', cluster: hub.name, destinations: [] }],
      },
    );
    const res = await request(server).get(
      reportPath('component:default/missing-app'),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      "The Applications on cluster 'hub-and-spoke-hub' (Argo CD instance 'hub') could not be read",
    );
  });
});
