import fs from 'node:fs';
import path from 'node:path';
import {
  Scenario,
  TestEnv,
  listScenarios,
  scenarioArgocdInstances,
  startTestEnv,
} from '@internal/testenv';
import {
  ClusterSnapshot,
  DEFAULT_CHECKS,
  KubeObject,
  SnapshotCollection,
  TriageReport,
  applicationDestinationCluster,
  bindTarget,
  resolveArgocdInstance,
  resolveTriageTarget,
  withApplicationsFrom,
} from '@serving-health/plugin-serving-health-common';
import { parseAllDocuments } from 'yaml';
import { createKubernetesClient } from '../client/createKubernetesClient';
import { KubernetesClient } from '../client/types';
import { staticCredentials } from '../credentials/staticCredentials';
import { triageTarget } from '../triage/triageTarget';
import { createClusterSnapshotLoader } from './createClusterSnapshotLoader';
import { slimObject } from './slimObject';

jest.setTimeout(180_000);

const namespaces = { kserve: 'kserve', kyverno: 'kyverno' };

/**
 * The loader's own snapshot (projected) and the same snapshot with every object as the API server sent it: a
 * client that keeps each listed item by uid before the loader projects it.
 */
async function loadBoth(env: TestEnv): Promise<{
  client: KubernetesClient;
  projected: ClusterSnapshot;
  full: ClusterSnapshot;
}> {
  const client = createKubernetesClient({
    name: env.name,
    url: env.url,
    caData: env.caData,
    credentials: staticCredentials({ token: env.tokens.reader }),
  });
  const raw = new Map<string, KubeObject>();
  const recording: KubernetesClient = {
    cluster: client.cluster,
    requestCount: () => client.requestCount(),
    async request(req) {
      const res = await client.request<any>(req);
      if (res.ok && Array.isArray(res.body?.items)) {
        for (const item of res.body.items)
          raw.set(item.metadata.uid, structuredClone(item));
      }
      return res;
    },
  };
  const projected = await createClusterSnapshotLoader({
    client: recording,
    namespaces,
  }).load();
  const collections: ClusterSnapshot['collections'] = {};
  for (const [name, read] of Object.entries(projected.collections)) {
    collections[name as SnapshotCollection] = read.ok
      ? {
          ok: true,
          items: read.items.map(i => raw.get(String(i.metadata.uid))!),
        }
      : read;
  }
  const full = { ...projected, collections };
  const items = Object.values(full.collections).flatMap(r =>
    r.ok ? r.items : [],
  );
  expect(items.every(Boolean)).toBe(true);
  return { client, projected, full };
}

function scenarioEntities(dir: string) {
  const text = fs.readFileSync(path.join(dir, 'catalog-info.yaml'), 'utf8');
  return parseAllDocuments(text)
    .map(d => d.toJS())
    .filter(e => e?.kind && e.kind !== 'Location');
}

/** JSON bytes per collection: as read, after slimObject alone, as the snapshot keeps it. */
const bytes = new Map<string, { raw: number; slim: number; kept: number }>();
const size = (o: unknown) => Buffer.byteLength(JSON.stringify(o));

function count(full: ClusterSnapshot, projected: ClusterSnapshot) {
  for (const [name, read] of Object.entries(full.collections)) {
    if (!read.ok) continue;
    const kept = projected.collections[name as SnapshotCollection];
    const row = bytes.get(name) ?? { raw: 0, slim: 0, kept: 0 };
    row.raw += size(read.items);
    row.slim += size(read.items.map(slimObject));
    row.kept += kept?.ok ? size(kept.items) : 0;
    bytes.set(name, row);
  }
}

afterAll(() => {
  const rows = [...bytes.entries()].sort((a, b) => b[1].raw - a[1].raw);
  const total = rows.reduce(
    (t, [, r]) => ({
      raw: t.raw + r.raw,
      slim: t.slim + r.slim,
      kept: t.kept + r.kept,
    }),
    { raw: 0, slim: 0, kept: 0 },
  );
  const pct = (a: number, b: number) =>
    `${b ? Math.round((100 * (b - a)) / b) : 0}%`;
  const line = (name: string, r: typeof total) =>
    `${name.padEnd(32)} ${String(r.raw).padStart(9)} ${String(r.slim).padStart(
      9,
    )} ${String(r.kept).padStart(9)} ${pct(r.kept, r.raw).padStart(5)}`;
  // eslint-disable-next-line no-console
  console.log(
    [
      `JSON bytes of every scenario's snapshot (${
        listScenarios().length
      } scenarios)`,
      `${'collection'.padEnd(32)} ${'as read'.padStart(
        9,
      )} ${'slimObject'.padStart(9)} ${'projected'.padStart(9)} saved`,
      ...rows.map(([name, r]) => line(name, r)),
      line('total', total),
    ].join('\n'),
  );
});

/** The report without the times it was made at. */
const timeless = ({
  generatedAt: _g,
  snapshotTime: _s,
  ...report
}: TriageReport) => report;

/**
 * For every scenario (real cluster states in a real API server): the triage of the projected snapshot is the triage
 * of the full one, check for check, evidence and failure modes included.
 */
describe.each(
  listScenarios()
    .filter(s => s.manifest?.expect.length)
    .map(s => [s.name, s] as const),
)('scenario %s: the projected snapshot', (_name, scenario: Scenario) => {
  const envs: TestEnv[] = [];
  afterAll(async () => {
    await Promise.all(envs.map(e => e.stop()));
  });

  it('gives every entity the same report as the full snapshot', async () => {
    const env = await startTestEnv({ scenario: scenario.dir });
    envs.push(env);
    // As the backend's config reads servingHealth.argocdInstances: destinations by name.
    const instances = scenarioArgocdInstances(scenario.manifest).map(i => ({
      ...i,
      destinations: Object.fromEntries(
        i.destinations.map(d => [d.destination, d.cluster]),
      ),
    }));
    const hubs = new Map<string, Awaited<ReturnType<typeof loadBoth>>>();
    for (const hub of new Set(instances.map(i => i.cluster))) {
      const hubEnv = await startTestEnv({ scenario: hub });
      envs.push(hubEnv);
      const loaded = await loadBoth(hubEnv);
      count(loaded.full, loaded.projected);
      hubs.set(hubEnv.name, loaded);
    }
    const workload = await loadBoth(env);
    count(workload.full, workload.projected);
    const clusters = [env.name, ...hubs.keys()];
    const entities = scenarioEntities(scenario.dir);
    const namespaceOwners = [
      {
        namespace: '*',
        owners: [...new Set(entities.map(e => String(e.spec?.owner)))],
      },
    ];
    const expected = new Set(scenario.manifest!.expect.map(e => e.entity));
    const refOf = (e: any) =>
      `${e.kind.toLowerCase()}:${e.metadata.namespace ?? 'default'}/${
        e.metadata.name
      }`;
    let compared = 0;
    const destinationPairs: unknown[][] = [];
    for (const entity of entities.filter(e => expected.has(refOf(e)))) {
      const found = resolveArgocdInstance(entity, instances);
      if (!found.ok) throw new Error(found.message);
      const instance = found.instance;
      const hub = instance ? hubs.get(instance.cluster) : undefined;
      const argocd = instance && {
        instance: instance.name,
        cluster: instance.cluster,
      };
      let destinationCluster = instance?.cluster;
      if (instance && hub) {
        // Hub and spoke: the Application's destination names the workload cluster, read from either snapshot alike.
        const app = resolveTriageTarget(entity, {
          clusters,
          argocd,
          destinationCluster,
        });
        if (!app.ok) throw new Error(app.message);
        if (!app.target.argoApp) throw new Error('no argocd/app-name');
        const { name, namespace } = app.target.argoApp;
        const destinations = [hub.full, hub.projected].map(s => {
          const apps = s.collections.applications;
          const live = apps?.ok
            ? apps.items.find(
                a =>
                  a.metadata.name === name &&
                  a.metadata.namespace === namespace,
              )
            : undefined;
          return (
            live && applicationDestinationCluster(live, instance, clusters)
          );
        });
        destinationPairs.push(destinations);
        if (!destinations[0]?.ok)
          throw new Error(JSON.stringify(destinations[0]));
        destinationCluster = destinations[0].cluster;
      }
      const resolved = resolveTriageTarget(entity, {
        clusters,
        argocd,
        destinationCluster,
      });
      if (!resolved.ok) throw new Error(resolved.message);
      const target = resolved.target;
      expect(target.cluster).toBe(env.name);
      const reports = await Promise.all(
        (['full', 'projected'] as const).map(async which => {
          const snapshot = hub
            ? withApplicationsFrom(workload[which], hub[which])
            : workload[which];
          const binding = bindTarget({
            entity,
            target,
            snapshot,
            namespaceOwners,
          });
          return timeless(
            await triageTarget({
              entityRef: refOf(entity),
              target,
              snapshot,
              checks: DEFAULT_CHECKS,
              client: workload.client,
              binding,
            }),
          );
        }),
      );
      expect(reports[1]).toStrictEqual(reports[0]);
      // Key order too: evidence fields are shown in it.
      expect(JSON.stringify(reports[1])).toBe(JSON.stringify(reports[0]));
      // The comparison means something only when the checks ran on the entity's objects.
      expect(reports[0].binding?.bound).toBe(true);
      compared += 1;
    }
    expect(compared).toBe(expected.size);
    expect(destinationPairs.map(d => d[1])).toEqual(
      destinationPairs.map(d => d[0]),
    );
  });
});
