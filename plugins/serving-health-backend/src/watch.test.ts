import { createBackendModule } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { KubeProxy } from '@internal/fault-proxy';
import { KubeClient, TestEnv, startTestEnv } from '@internal/testenv';
import { snapshotCollections } from '@serving-health/plugin-serving-health-kube';
import {
  ServingHealthReportStore,
  ServingHealthSnapshotSource,
  servingHealthReportStoreExtensionPoint,
  servingHealthSnapshotSourceExtensionPoint,
} from '@serving-health/plugin-serving-health-node';
import request from 'supertest';
import {
  proxyTo,
  scenarioEntities,
  testenvBackendFeatures,
} from './__testUtils__/clusters';
import { servingHealthPlugin } from './plugin';

jest.setTimeout(180_000);

const ISVC =
  '/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/fraud-detector';

/** The snapshot's collection paths: a GET of one of them without `watch` is a LIST. */
const snapshotPaths = new Set(
  snapshotCollections({ kserve: 'kserve', kyverno: 'kyverno' }, [
    'kserve',
    'kyverno',
  ]).map(s => s.path),
);

describe('watched snapshots (servingHealth.snapshots.mode: watch, the default)', () => {
  let env: TestEnv;
  let proxy: KubeProxy;
  let entity: Entity;

  beforeAll(async () => {
    env = await startTestEnv({ scenario: 'healthy' });
    proxy = await proxyTo(env);
    entity = scenarioEntities('healthy').find(
      e => e.metadata.name === 'fraud-detector',
    )!;
  });
  afterAll(async () => {
    await proxy?.close();
    await env?.stop();
  });

  it('a cluster change reaches the next report within about a second, with no new LIST', async () => {
    const { server } = await startTestBackend({
      features: [
        servingHealthPlugin,
        ...testenvBackendFeatures({
          env,
          url: proxy.url,
          entity,
          // Long, so only the watch can explain a fresh report.
          servingHealth: { snapshotTtlSeconds: 600 },
        }),
      ],
    });
    const reportPath = `/api/serving-health/entities/default/component/${entity.metadata.name}/report`;
    const isvcCheck = (body: any) =>
      body.checks.find((c: any) => c.id === 'kserve.inferenceservice')?.status;

    const warm = await request(server).get(reportPath).expect(200);
    expect(isvcCheck(warm.body)).toBe('pass');
    const warmUp = proxy.requests();
    expect(warmUp.some(r => r.path.includes('watch=1'))).toBe(true);
    proxy.reset();

    // Served from the watched snapshot and the report cache: the cluster is asked nothing.
    await request(server).get(reportPath).expect(200);
    // (A watch may still be opening: the store is ready once each collection is listed.)
    expect(proxy.requests().filter(r => !r.path.includes('watch=1'))).toEqual(
      [],
    );

    const changedAt = Date.now();
    await new KubeClient(env.access('admin')).delete(ISVC);
    let status = 'pass';
    while (status === 'pass' && Date.now() - changedAt < 10_000) {
      await new Promise(r => setTimeout(r, 50));
      status = isvcCheck(
        (await request(server).get(reportPath).expect(200)).body,
      );
    }
    const ms = Date.now() - changedAt;
    const lists = proxy
      .requests()
      .filter(
        r =>
          snapshotPaths.has(r.path.split('?')[0]) &&
          !r.path.includes('watch=1'),
      );
    process.stderr.write(
      `[watch] change to report: ${ms} ms; warm-up ${warmUp.length} requests; LISTs after the change: ${lists.length}\n`,
    );
    expect(status).toBe('fail');
    expect(ms).toBeLessThan(2_000);
    expect(lists).toEqual([]);
  });

  it('a fleet scan of an unchanged cluster reads summaries, not reports or snapshots; a change shows in the next scan', async () => {
    // The default snapshot source and report store, counted.
    const reads = { snapshots: 0, reports: 0 };
    const counted = createBackendModule({
      pluginId: 'serving-health',
      moduleId: 'counted-reads',
      register(reg) {
        reg.registerInit({
          deps: {
            snapshots: servingHealthSnapshotSourceExtensionPoint,
            reports: servingHealthReportStoreExtensionPoint,
          },
          async init({ snapshots, reports }) {
            snapshots.setSnapshotSource(async ({ getDefault }) => {
              const source: ServingHealthSnapshotSource = await getDefault();
              return {
                ...source,
                get(cluster, opts) {
                  reads.snapshots += 1;
                  return source.get(cluster, opts);
                },
                version: source.version?.bind(source),
              };
            });
            reports.setReportStore(async ({ getDefault }) => {
              const store: ServingHealthReportStore = await getDefault();
              return {
                get(key) {
                  reads.reports += 1;
                  return store.get(key);
                },
                set: (key, report, o) => store.set(key, report, o),
              };
            });
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        servingHealthPlugin,
        counted,
        ...testenvBackendFeatures({
          env,
          url: proxy.url,
          entity,
          servingHealth: { snapshotTtlSeconds: 600 },
        }),
      ],
    });
    const fleet = async () =>
      (await request(server).get('/api/serving-health/fleet').expect(200)).body
        .entries[0];

    // (The test above deleted the InferenceService: the entry is failing, which changes nothing here.)
    const first = await fleet();
    expect(reads.snapshots).toBeGreaterThan(0);
    reads.snapshots = 0;
    reads.reports = 0;
    expect(await fleet()).toEqual(first);
    expect(reads).toEqual({ snapshots: 0, reports: 0 });

    // The summary is kept under the snapshot's version: any change of the cluster is a new key, and the next
    // scan triages again.
    await new KubeClient(env.access('admin')).post('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'fleet-scan-change' },
    });
    const changedAt = Date.now();
    while (reads.snapshots === 0 && Date.now() - changedAt < 5_000) {
      await new Promise(r => setTimeout(r, 50));
      await fleet();
    }
    expect(reads.snapshots).toBeGreaterThan(0);
    const report = (
      await request(server)
        .get(
          `/api/serving-health/entities/default/component/${entity.metadata.name}/report`,
        )
        .expect(200)
    ).body;
    expect(await fleet()).toMatchObject({
      overall: report.overall,
      failureModes: report.failureModes.map((m: any) => m.id),
    });
  });
});
