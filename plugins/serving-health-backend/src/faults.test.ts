/*
 * Fault, load and bad-input tests against real API servers (tools/testenv),
 * with a TCP proxy (@internal/fault-proxy) in front of one of them that can
 * pass, stall or drop connections and that counts the requests the API
 * server is sent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Server } from 'node:http';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  KubeProxy,
  startKubeProxy,
  testEnvServingCert,
} from '@internal/fault-proxy';
import {
  TestEnv,
  applyFiles,
  readScenario,
  startTestEnv,
} from '@internal/testenv';
import {
  DEFAULT_CHECKS,
  TRIAGE_STAGES,
  TriageReport,
} from '@serving-health/plugin-serving-health-common';
import {
  createClusterSnapshotLoader,
  createKubernetesClient,
  redactLog,
  redactLogLine,
  staticCredentials,
} from '@serving-health/plugin-serving-health-kube';
import request from 'supertest';
import { servingHealthPlugin } from './plugin';

jest.setTimeout(120_000);

/**
 * servingHealth.requestTimeoutMs for every backend in this file: long enough that a healthy cluster's cold
 * report (a round of LIST calls) finishes well inside it on a loaded two-core machine, so "answered while the
 * stalled cluster still waits" is not a race.
 */
const TIMEOUT_MS = 2000;
/**
 * Allowance above the timeout on a machine of 2 shared cores (a report is ~10 ms of work). Timeout plus
 * slack stays below the default 5 s timeout, so a backend that ignored the configured value still fails.
 */
const SLACK_MS = 2500;
/** InferenceServices (and Applications) created per cluster for the load test. */
const ISVC_COUNT = 20;
const CONCURRENT = 200;

const timings: Array<[string, number]> = [];
const timed = async <T>(
  label: string,
  fn: () => Promise<T>,
): Promise<[T, number]> => {
  const t = performance.now();
  const value = await fn();
  const ms = Math.round(performance.now() - t);
  timings.push([label, ms]);
  return [value, ms];
};

// ---------------------------------------------------------------- fixtures

const labels = { owner: 'team-ml-platform', 'cost-center': 'cc-4200' };
const ready = (type: string) => ({
  type,
  status: 'True',
  lastTransitionTime: '2026-11-01T10:00:00Z',
});

function isvc(namespace: string, name: string, healthy = true) {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name,
      namespace,
      labels: { ...labels, 'backstage.io/kubernetes-id': name },
    },
    spec: {
      predictor: {
        model: {
          modelFormat: { name: 'sklearn' },
          storageUri: `gs://models/${name}`,
        },
      },
    },
    status: healthy
      ? {
          url: `http://${name}.${namespace}.example.com`,
          conditions: ['IngressReady', 'PredictorReady', 'Ready'].map(ready),
          modelStatus: {
            transitionStatus: 'UpToDate',
            states: { activeModelState: 'Loaded', targetModelState: 'Loaded' },
          },
        }
      : {
          conditions: [
            {
              type: 'PredictorReady',
              status: 'False',
              reason: 'RevisionMissing',
              message: 'predictor pod not ready',
            },
            {
              type: 'Ready',
              status: 'False',
              reason: 'RevisionMissing',
              message: 'predictor pod not ready',
            },
          ],
        },
  };
}

function application(name: string, isvcNamespace: string) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'fault-argocd' },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://git.example.com/ml/models.git',
        path: `models/${name}`,
        targetRevision: 'main',
      },
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: isvcNamespace,
      },
    },
    status: {
      sync: { status: 'Synced', revision: 'abc123' },
      health: { status: 'Healthy' },
    },
  };
}

/** A ClusterPolicy whose only rule needs the cluster (a ConfigMap context entry); it matches namespace fault-policy only. */
const unsupportedPolicy = {
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'fault-unsupported-features' },
  spec: {
    validationFailureAction: 'Enforce',
    background: true,
    rules: [
      {
        name: 'configmap-context',
        match: {
          any: [
            {
              resources: {
                kinds: ['InferenceService'],
                namespaces: ['fault-policy'],
              },
            },
          ],
        },
        // The allowed teams come from a ConfigMap: only Kyverno, reading the cluster, can resolve them.
        context: [
          {
            name: 'allowed',
            configMap: { name: 'allowed-teams', namespace: 'kyverno' },
          },
        ],
        validate: {
          message: 'team must be allowed',
          deny: {
            conditions: {
              any: [
                {
                  key: '{{ request.object.metadata.labels.team }}',
                  operator: 'AnyNotIn',
                  value: '{{ allowed.data.teams }}',
                },
              ],
            },
          },
        },
      },
    ],
  },
};

function fixtureObjects(): object[] {
  const ns = (name: string) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels },
  });
  const out: object[] = [
    ns('fault-models'),
    ns('fault-policy'),
    ns('fault-argocd'),
    unsupportedPolicy,
  ];
  for (let i = 0; i < ISVC_COUNT; i++) {
    const name = `fault-isvc-${String(i).padStart(2, '0')}`;
    out.push(isvc('fault-models', name), application(name, 'fault-models'));
  }
  out.push(
    isvc('fault-models', 'fault-unready', false),
    application('fault-unready', 'fault-models'),
  );
  out.push(
    isvc('fault-policy', 'policy-isvc'),
    application('policy-isvc', 'fault-policy'),
  );
  return out;
}

/**
 * The healthy scenario plus this file's objects, in ONE load: the loader
 * creates admission webhooks last, so the InferenceServices are created
 * before KServe's webhook (which has no live backend here) could reject them.
 */
async function startCluster(name: string): Promise<TestEnv> {
  const env = await startTestEnv({ name });
  try {
    const extra = path.join(env.dataDir, 'fault-fixtures.yaml');
    fs.writeFileSync(
      extra,
      fixtureObjects()
        .map(o => JSON.stringify(o))
        .join('\n---\n'),
    );
    await applyFiles(env.access('admin'), [
      ...readScenario('healthy').files,
      extra,
    ]);
  } catch (e) {
    await env.stop();
    throw e;
  }
  return env;
}

function entity(
  name: string,
  annotations: Record<string, string>,
  specType = 'model-endpoint',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: specType, owner: 'team-ml', lifecycle: 'production' },
  };
}

const servingEntity = (
  name: string,
  cluster: string | undefined,
  isvcRef: string,
  app: string,
) =>
  entity(name, {
    'serving.kserve.io/inferenceservice': isvcRef,
    'argocd/app-name': app,
    'argocd/app-namespace': 'fault-argocd',
    ...(cluster ? { 'backstage.io/kubernetes-cluster': cluster } : {}),
  });

interface ClusterConfig {
  name: string;
  url: string;
  token: string;
  caData: string;
}

async function startBackend(
  clusters: ClusterConfig[],
  entities: Entity[],
): Promise<Server> {
  const { server } = await startTestBackend({
    features: [
      servingHealthPlugin,
      catalogServiceMock.factory({ entities }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootConfig.factory({
        data: {
          servingHealth: {
            clusters: clusters.map(c => ({
              name: c.name,
              url: c.url,
              serviceAccountToken: c.token,
              caData: Buffer.from(c.caData).toString('base64'),
            })),
            requestTimeoutMs: TIMEOUT_MS,
            refreshMinIntervalSeconds: 0,
            // These faults are measured per round of LIST calls (the TTL design); watch.test.ts covers watches.
            snapshots: { mode: 'poll' },
            // The test entities' owner owns the test namespaces (tenancy has its own tests).
            namespaceOwners: [
              { namespace: '*', owners: ['group:default/team-ml'] },
            ],
          },
        },
      }),
    ],
  });
  return server;
}

const reportPath = (e: Entity | string, refresh = false) => {
  const ref = typeof e === 'string' ? e : stringifyEntityRef(e);
  const [kind, rest] = ref.split(':');
  const [ns, name] = rest.split('/');
  return `/api/serving-health/entities/${ns}/${kind}/${name}/report${
    refresh ? '?refresh=true' : ''
  }`;
};

const check = (r: TriageReport, id: string) => r.checks.find(c => c.id === id);

function expectCompleteReport(report: TriageReport, ref: string) {
  expect(report.entityRef).toBe(ref);
  expect(report.checks.map(c => c.id).sort()).toEqual(
    DEFAULT_CHECKS.map(c => c.id).sort(),
  );
  expect(new Set(report.checks.map(c => c.stage))).toEqual(
    new Set(TRIAGE_STAGES.map(s => s.id)),
  );
  for (const c of report.checks) {
    expect(['pass', 'warn', 'fail', 'skipped', 'error']).toContain(c.status);
    expect(typeof c.summary).toBe('string');
  }
  expect(['healthy', 'degraded', 'failing', 'unknown']).toContain(
    report.overall,
  );
}

function percentile(values: number[], p: number) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

// ---------------------------------------------------------------- setup

let main: TestEnv;
let other: TestEnv;
let proxy: KubeProxy;
/** What one snapshot of the main cluster costs, measured through the proxy. */
let snapshotLists: number;
let snapshotRequests: number;

beforeAll(async () => {
  [[main, other]] = await timed(
    'start two testenvs (healthy scenario + fixtures)',
    () =>
      Promise.all([startCluster('fault-main'), startCluster('fault-other')]),
  );
  proxy = await startKubeProxy({
    target: main.url,
    ca: main.caData,
    ...testEnvServingCert(main.dataDir),
  });

  // The baseline: one snapshot read by the plugin's own loader, counted at the proxy.
  const client = createKubernetesClient({
    name: 'baseline',
    url: proxy.url,
    caData: main.caData,
    credentials: staticCredentials({ token: main.tokens.reader }),
  });
  const snapshot = await createClusterSnapshotLoader({
    client,
    namespaces: { kserve: 'kserve', kyverno: 'kyverno' },
  }).load();
  if (!snapshot.version.ok)
    throw new Error(
      'baseline snapshot: the API server did not answer through the proxy',
    );
  snapshotLists = proxy.requests().filter(r => r.list).length;
  snapshotRequests = proxy.requests().length;
  if (snapshotRequests !== client.requestCount()) {
    throw new Error(
      `proxy saw ${snapshotRequests} requests, the client sent ${client.requestCount()}`,
    );
  }
  proxy.reset();
}, 180_000);

afterAll(async () => {
  await proxy?.close();
  await Promise.all([main?.stop(), other?.stop()]);
  // eslint-disable-next-line no-console
  console.log(
    `fault test timings (requestTimeoutMs ${TIMEOUT_MS}):\n${timings
      .map(([l, ms]) => `  ${String(ms).padStart(6)} ms  ${l}`)
      .join('\n')}`,
  );
}, 60_000);

const viaProxy = (name: string): ClusterConfig => ({
  name,
  url: proxy.url,
  token: main.tokens.reader,
  caData: main.caData,
});
const direct = (name: string, env: TestEnv): ClusterConfig => ({
  name,
  url: env.url,
  token: env.tokens.reader,
  caData: env.caData,
});

// ---------------------------------------------------------------- (c) load

describe('200 concurrent report requests on one cluster', () => {
  it('cost the API server one snapshot of LIST calls, and every request gets a complete report', async () => {
    const entities = Array.from({ length: CONCURRENT }, (_, i) => {
      const n = `fault-isvc-${String(i % ISVC_COUNT).padStart(2, '0')}`;
      return servingEntity(
        `load-${String(i).padStart(3, '0')}`,
        undefined,
        `fault-models/${n}`,
        n,
      );
    });
    const server = await startBackend([viaProxy('main')], entities);
    proxy.setMode('pass');
    proxy.reset();

    const latencies: number[] = [];
    const [responses] = await timed(
      `${CONCURRENT} concurrent cold reports, all`,
      () =>
        Promise.all(
          entities.map(async e => {
            const t = performance.now();
            const res = await request(server).get(reportPath(e));
            latencies.push(performance.now() - t);
            return res;
          }),
        ),
    );
    timings.push([
      `${CONCURRENT} concurrent cold reports, p50`,
      Math.round(percentile(latencies, 50)),
    ]);
    timings.push([
      `${CONCURRENT} concurrent cold reports, p95`,
      Math.round(percentile(latencies, 95)),
    ]);

    responses.forEach((res, i) => {
      expect(res.status).toBe(200);
      expectCompleteReport(res.body, stringifyEntityRef(entities[i]));
      expect(check(res.body, 'cluster.reachable')?.status).toBe('pass');
      expect(res.body.checks.filter((c: any) => c.status === 'error')).toEqual(
        [],
      );
    });

    const seen = proxy.requests();
    const lists = seen.filter(r => r.list);
    // eslint-disable-next-line no-console
    console.log(
      `API server saw ${seen.length} requests (${lists.length} LIST) for ${CONCURRENT} concurrent reports; one snapshot is ${snapshotRequests} (${snapshotLists} LIST)`,
    );
    expect(lists.length).toBe(snapshotLists);
    expect(seen.filter(r => r.path === '/version')).toHaveLength(1);
    expect(seen.length).toBe(snapshotRequests);

    // Served from the cache afterwards: no request at all.
    proxy.reset();
    const [again] = await timed(
      `${CONCURRENT} concurrent warm reports, all`,
      () => Promise.all(entities.map(e => request(server).get(reportPath(e)))),
    );
    again.forEach(res => expect(res.status).toBe(200));
    expect(proxy.requests()).toHaveLength(0);
  });
});

// ---------------------------------------------------------------- (a) stall / drop

describe('a stalled or dropping connection to one cluster', () => {
  const stalledEntity = servingEntity(
    'on-stalled',
    'stalled',
    'fault-models/fault-isvc-00',
    'fault-isvc-00',
  );
  const otherEntity = servingEntity(
    'on-other',
    'other',
    'fault-models/fault-isvc-01',
    'fault-isvc-01',
  );
  /** Never requested before the stall: no cached report, so they must wait for the snapshot. */
  const joiners = Array.from({ length: 20 }, (_, i) =>
    servingEntity(
      `on-stalled-${i}`,
      'stalled',
      `fault-models/fault-isvc-${String(i).padStart(2, '0')}`,
      'fault-isvc-00',
    ),
  );

  it('yields cluster.reachable error within the timeout, while the other cluster keeps serving', async () => {
    const server = await startBackend(
      [viaProxy('stalled'), direct('other', other)],
      [stalledEntity, otherEntity, ...joiners],
    );
    proxy.setMode('pass');

    // Warm: the connection works, and the client now holds a keep-alive socket to the proxy.
    const warm = await request(server).get(reportPath(stalledEntity));
    expect(warm.status).toBe(200);
    expect(check(warm.body, 'cluster.reachable')?.status).toBe('pass');
    expect((await request(server).get(reportPath(otherEntity))).status).toBe(
      200,
    );

    proxy.setMode('stall');
    const started = performance.now();
    let stalledDoneAt = 0;
    // A refresh on the open (now silent) keep-alive socket, and 20 first reports of other entities joining it.
    const stalled = Promise.all([
      request(server).get(reportPath(stalledEntity, true)),
      ...joiners.map(e => request(server).get(reportPath(e))),
    ]).then(r => {
      stalledDoneAt = performance.now();
      return r;
    });
    await new Promise(r => setTimeout(r, 100));
    const [otherRes] = await timed(
      'other cluster, fresh snapshot, while the first stalls',
      () => request(server).get(reportPath(otherEntity, true)),
    );
    const otherDoneAt = performance.now();
    expect(otherRes.status).toBe(200);
    expect(check(otherRes.body, 'cluster.reachable')?.status).toBe('pass');

    const results = await stalled;
    const stalledMs = Math.round(stalledDoneAt - started);
    timings.push([
      'stalled cluster (open keep-alive socket), 21 requests sharing one snapshot',
      stalledMs,
    ]);
    // Not queued behind the stalled cluster: answered while that one still waits.
    expect(otherDoneAt).toBeLessThan(stalledDoneAt);
    for (const res of results) {
      expect(res.status).toBe(200);
      const reachable = check(res.body, 'cluster.reachable')!;
      expect(reachable.status).toBe('error');
      expect(reachable.summary).toContain(`no answer within ${TIMEOUT_MS} ms`);
      // Everything behind the gate is skipped, never pass or fail.
      expect(
        res.body.checks.filter(
          (c: any) => c.status === 'pass' || c.status === 'fail',
        ),
      ).toEqual([]);
      expect(res.body.overall).not.toBe('healthy');
    }
    expect(stalledMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(stalledMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);

    // The fleet answers in the same bound and still triages the other cluster.
    const [fleet, fleetMs] = await timed(
      'fleet (refresh) with one cluster stalled',
      () => request(server).get('/api/serving-health/fleet?refresh=true'),
    );
    expect(fleet.status).toBe(200);
    expect(fleetMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    const entries = Object.fromEntries(
      fleet.body.entries.map((e: any) => [e.entityRef, e]),
    );
    expect(entries['component:default/on-other'].overall).toBe('healthy');
    expect(entries['component:default/on-stalled'].overall).not.toBe('healthy');

    // Connections reset by the peer: an error at once, no waiting for the timeout.
    proxy.setMode('drop');
    const [dropped, droppedMs] = await timed(
      'dropping cluster (connection reset)',
      () => request(server).get(reportPath(stalledEntity, true)),
    );
    expect(dropped.status).toBe(200);
    const reachable = check(dropped.body, 'cluster.reachable')!;
    expect(reachable.status).toBe('error');
    expect(reachable.summary).toMatch(/ECONNRESET|socket hang up|disconnected/);
    expect(droppedMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);

    // A new connection (the drop closed every pooled one): accepted, the TLS handshake never answered.
    proxy.setMode('stall');
    const accepted = proxy.connectionsAccepted();
    const [fresh, freshMs] = await timed(
      'stalled cluster (new connection, no TLS handshake)',
      () => request(server).get(reportPath(stalledEntity, true)),
    );
    expect(proxy.connectionsAccepted()).toBeGreaterThan(accepted);
    expect(fresh.status).toBe(200);
    expect(check(fresh.body, 'cluster.reachable')?.status).toBe('error');
    expect(freshMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);

    // And it recovers as soon as the cluster answers again.
    proxy.setMode('pass');
    const [back, backMs] = await timed('recovered cluster (refresh)', () =>
      request(server).get(reportPath(stalledEntity, true)),
    );
    expect(back.status).toBe(200);
    expect(check(back.body, 'cluster.reachable')?.status).toBe('pass');
    expect(back.body.overall).toBe('healthy');
    expect(backMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);
  });

  // Node words this ECONNRESET "... before secure TLS connection was established":
  // the code, not the wording, must decide (else the fix offered is "set caData").
  it('a connection closed during the TLS handshake is unreachable (error), not a TLS misconfiguration', async () => {
    const server = await startBackend([viaProxy('stalled')], [stalledEntity]);
    proxy.setMode('hangup');
    try {
      const [res, ms] = await timed('cluster hanging up mid-handshake', () =>
        request(server).get(reportPath(stalledEntity, true)),
      );
      expect(res.status).toBe(200);
      expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      const reachable = check(res.body, 'cluster.reachable')!;
      expect(reachable.status).toBe('error');
      expect(reachable.summary).toContain('ECONNRESET');
    } finally {
      proxy.setMode('pass');
    }
  });
});

// ---------------------------------------------------------------- (d) bad input

describe('bad input', () => {
  const good = servingEntity(
    'good',
    undefined,
    'fault-models/fault-isvc-02',
    'fault-isvc-02',
  );
  const malformed: Array<[Entity, string]> = [
    [
      servingEntity('bad-isvc-slashes', undefined, 'Not/A/Valid/Name', 'x'),
      'serving.kserve.io/inferenceservice',
    ],
    [
      servingEntity(
        'bad-isvc-case',
        undefined,
        'fault-models/Fraud_Detector',
        'x',
      ),
      'serving.kserve.io/inferenceservice',
    ],
    [
      servingEntity('bad-isvc-traversal', undefined, '../../etc/passwd', 'x'),
      'serving.kserve.io/inferenceservice',
    ],
    [
      servingEntity(
        'bad-isvc-huge',
        undefined,
        `fault-models/${'a'.repeat(100_000)}`,
        'x',
      ),
      'serving.kserve.io/inferenceservice',
    ],
    [
      servingEntity(
        'bad-argo',
        undefined,
        'fault-models/fault-isvc-00',
        'bad app!',
      ),
      'argocd/app-name',
    ],
    [
      servingEntity(
        'bad-cluster',
        'no-such-cluster',
        'fault-models/fault-isvc-00',
        'fault-isvc-00',
      ),
      'backstage.io/kubernetes-cluster',
    ],
    [
      entity('bad-kubernetes-id', {
        'backstage.io/kubernetes-id': 'has spaces/and slashes',
      }),
      'backstage.io/kubernetes-id',
    ],
  ];
  const unready = servingEntity(
    'unready',
    undefined,
    'fault-models/fault-unready',
    'fault-unready',
  );
  const policy = servingEntity(
    'policy',
    undefined,
    'fault-policy/policy-isvc',
    'policy-isvc',
  );
  let server: Server;

  beforeAll(async () => {
    proxy.setMode('pass');
    server = await startBackend(
      [viaProxy('main')],
      [good, unready, policy, ...malformed.map(([e]) => e)],
    );
  });

  it.each(
    malformed.map(
      ([e, annotation]) => [e.metadata.name, e, annotation] as const,
    ),
  )(
    'malformed annotations (%s): 400 naming the annotation',
    async (_name, e, annotation) => {
      const [res, ms] = await timed(
        `malformed annotation ${e.metadata.name}`,
        () => request(server).get(reportPath(e)),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(annotation);
      expect(res.body.error.message.length).toBeLessThan(2000);
      expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    },
  );

  it('echoes a huge annotation value only in part', async () => {
    const huge = malformed.find(
      ([e]) => e.metadata.name === 'bad-isvc-huge',
    )![0];
    const res = await request(server).get(reportPath(huge));
    expect(res.status).toBe(400);
    expect(res.body.error.message.length).toBeLessThan(1000);
    expect(res.body.error.message).toMatch(
      /serving\.kserve\.io\/inferenceservice .*\(\d+ characters\)/,
    );
  });

  it('the fleet lists malformed entities as unknown with the reason, and still triages the good one', async () => {
    const res = await request(server).get('/api/serving-health/fleet');
    expect(res.status).toBe(200);
    const byRef = Object.fromEntries(
      res.body.entries.map((e: any) => [e.entityRef, e]),
    );
    for (const [e, annotation] of malformed) {
      const entry = byRef[stringifyEntityRef(e)];
      expect(entry.overall).toBe('unknown');
      expect(entry.error).toContain(annotation);
      expect(entry.error.length).toBeLessThan(2000);
    }
    expect(byRef[stringifyEntityRef(good)].overall).toBe('healthy');
  });

  it('unknown entities: 404 naming the entity', async () => {
    const res = await request(server).get(
      '/api/serving-health/entities/default/component/no-such-entity/report',
    );
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain(
      'component:default/no-such-entity',
    );
  });

  it.each([
    '..',
    '..%2F..%2Fetc%2Fpasswd',
    '%2e%2e',
    '%252e%252e%252fetc',
    'a%00b',
    'name%0d%0aSet-Cookie:x',
    '.hidden',
    'x'.repeat(300),
  ])(
    'path traversal and junk in route params (%s): a 4xx, never a lookup',
    async param => {
      for (const url of [
        `/api/serving-health/entities/${param}/component/good/report`,
        `/api/serving-health/entities/default/${param}/good/report`,
        `/api/serving-health/entities/default/component/${param}/report`,
      ]) {
        const res = await request(server).get(url);
        expect([400, 404]).toContain(res.status);
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(
          res.status === 404 ||
            /path parameter '(namespace|kind|name)'/.test(
              res.body?.error?.message ?? '',
            ),
        ).toBe(true);
      }
    },
  );

  it('an invalid query parameter: 400 naming it', async () => {
    const res = await request(server).get(`${reportPath(good)}?refresh=yes`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('refresh');
  });

  it('a report whose controller-log read fails still returns, with that check in error', async () => {
    const [res, ms] = await timed(
      'report whose controller-log read fails',
      () => request(server).get(reportPath(unready, true)),
    );
    expect(res.status).toBe(200);
    expectCompleteReport(res.body, stringifyEntityRef(unready));
    expect(check(res.body, 'kserve.inferenceservice')?.status).toBe('fail');
    // The testenv's stand-in kubelet has no log for this pod (the scenario provides none): the read fails.
    expect(check(res.body, 'kserve.controller-logs')?.status).toBe('error');
    expect(ms).toBeLessThan(2 * TIMEOUT_MS + SLACK_MS);
  });

  it('a ClusterPolicy with unsupported features: policy.labels says not evaluated, never a silent pass', async () => {
    const res = await request(server).get(reportPath(policy, true));
    expect(res.status).toBe(200);
    const labelsCheck = check(res.body, 'policy.labels')!;
    expect(labelsCheck.status).toBe('warn');
    const lines = labelsCheck.evidence.flatMap(e => e.lines ?? []).join('\n');
    expect(lines).toContain('fault-unsupported-features/configmap-context');
    expect(lines).toContain('context.configMap');
  });

  it.each([
    ['plain', 'x'.repeat(5 * 1024 * 1024)],
    [
      'one bearer token',
      `Authorization: Bearer ${'A'.repeat(5 * 1024 * 1024)}`,
    ],
    ['secret key=value', `password=${'p'.repeat(5 * 1024 * 1024)}`],
    [
      'unterminated private key',
      `-----BEGIN RSA PRIVATE KEY-----${'M'.repeat(5 * 1024 * 1024)}`,
    ],
    ['near-miss JWTs', 'eyJabcdefgh.'.repeat(450_000)],
    ['repeated key= prefixes', 'token='.repeat(900_000)],
  ])(
    'a 5 MB log line (%s) is bounded and redacted quickly',
    async (label, line) => {
      const t = performance.now();
      const out = redactLogLine(line);
      const ms = performance.now() - t;
      timings.push([`redactLogLine, 5 MB ${label}`, Math.round(ms)]);
      expect(out.length).toBeLessThan(2100);
      // Either cut (and saying so) or reduced to its redaction; never the 5 MB, never the secret.
      expect(out).toMatch(
        label === 'plain' ? /characters cut\]$/ : /\[REDACTED/,
      );
      expect(out).not.toMatch(/A{100}|p{100}|M{100}/);
      expect(ms).toBeLessThan(2000);
      const [logOut] = [redactLog(`${line}\nsecond line token=abc\n`)];
      expect(logOut).toHaveLength(2);
      expect(logOut[1]).toBe('second line token=[REDACTED]');
    },
  );
});

// ---------------------------------------------------------------- (b) API server stopped

describe('the API server stopped mid-run', () => {
  it('yields cluster.reachable error, never a 500, in bounded time; the other cluster keeps serving', async () => {
    const doomedEntity = servingEntity(
      'on-doomed',
      'doomed',
      'fault-models/fault-isvc-03',
      'fault-isvc-03',
    );
    const survivorEntity = servingEntity(
      'on-survivor',
      'survivor',
      'fault-models/fault-isvc-04',
      'fault-isvc-04',
    );
    proxy.setMode('pass');
    const server = await startBackend(
      [direct('doomed', other), viaProxy('survivor')],
      [doomedEntity, survivorEntity],
    );

    const before = await request(server).get(reportPath(doomedEntity, true));
    expect(before.status).toBe(200);
    expect(check(before.body, 'cluster.reachable')?.status).toBe('pass');

    // A refresh racing the shutdown: whatever it catches, it answers in bounded time.
    const [[racing], racingMs] = await timed(
      'refresh racing the API server shutdown (incl. stop)',
      () =>
        Promise.all([
          request(server).get(reportPath(doomedEntity, true)),
          other.stop(),
        ]),
    );
    expect(racing.status).toBe(200);
    expect(['pass', 'error']).toContain(
      check(racing.body, 'cluster.reachable')?.status,
    );

    const [after, afterMs] = await timed(
      'refresh after the API server stopped',
      () => request(server).get(reportPath(doomedEntity, true)),
    );
    expect(after.status).toBe(200);
    expectCompleteReport(after.body, stringifyEntityRef(doomedEntity));
    const reachable = check(after.body, 'cluster.reachable')!;
    expect(reachable.status).toBe('error');
    expect(reachable.summary).toMatch(/ECONNREFUSED|ECONNRESET|socket hang up/);
    expect(afterMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);

    const [survivor, survivorMs] = await timed(
      'other cluster after the first one died (refresh)',
      () => request(server).get(reportPath(survivorEntity, true)),
    );
    expect(survivor.status).toBe(200);
    expect(check(survivor.body, 'cluster.reachable')?.status).toBe('pass');
    expect(survivor.body.overall).toBe('healthy');
    expect(survivorMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    // Bounded even though the shutdown itself takes its time.
    expect(racingMs).toBeLessThan(60_000);
  });
});
