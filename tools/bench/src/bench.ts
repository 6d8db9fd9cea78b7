import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import {
  KubeProxy,
  ProxiedRequest,
  startKubeProxy,
  testEnvServingCert,
} from '@internal/fault-proxy';
import {
  KUBERNETES_VERSION,
  KubeClient,
  TestEnv,
  applyFiles,
  listScenarios,
  startTestEnv,
} from '@internal/testenv';
import { startBenchBackend } from './backend';
import { CatalogEntity, ClusterFleet, generateClusterFleet } from './fleet';
import {
  findKubectl,
  kubectlVersion,
  runRunbook,
  runbook,
  warmKubectl,
} from './kubectl';
import {
  DesignResult,
  FreshnessCluster,
  measureDesign,
  percentile,
} from './freshness';

export interface BenchOptions {
  /**
   * InferenceServices in the fleet, each with its Argo CD Application and catalog entity; entities
   * cloned from a scenario entity whose InferenceService was never created come on top.
   */
  inferenceServices: number;
  /** one testenv cluster per scenario */
  scenarios: string[];
  /** entities measured with ?refresh=true (a fresh snapshot each) */
  coldSample: number;
  /** entities triaged by hand with kubectl, and fetched through the Kubernetes plugin */
  sideBySideSample: number;
  /** write the results as JSON here too */
  json?: string;
  skipKubectl?: boolean;
  skipKubernetesPlugin?: boolean;
  /**
   * Scale mode: after the runs above, today's TTL design (snapshotTtlSeconds 30) and watched snapshots side
   * by side: change-to-report latency, steady-state API load and RSS.
   */
  scale?: { steadySeconds: number; heapMb?: number };
}

export const DEFAULT_SCENARIOS = [
  'label-policy-mismatch',
  'combo-webhook-and-labels',
  'combo-stale-and-policy-engine',
];

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const fmtMs = (ms: number) => {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
};
const fmtMb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const fmtX = (x: number) =>
  x >= 100 ? `${x.toFixed(0)}x` : `${x.toFixed(1)}x`;

/** Columns padded to their widest cell, the header underlined. */
function table(t: string[][]): string {
  const widths = t[0].map((_, i) => Math.max(...t.map(r => r[i].length)));
  return t
    .map((r, j) => {
      const line = r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd();
      return j === 0
        ? `${line}\n${widths.map(w => '-'.repeat(w)).join('  ')}`
        : line;
    })
    .join('\n');
}

/** The scale phase's table: one column per snapshot design. */
function scaleTable(results: DesignResult[]): string[] {
  const perMinute = (r: DesignResult, k: 'requests' | 'lists' | 'bytes') =>
    Object.values(r.steady.perClusterPerMinute)
      .map(v =>
        k === 'bytes' ? `${(v[k] / 1024).toFixed(0)} KB` : v[k].toFixed(1),
      )
      .join(' / ');
  const rows: string[][] = [
    [
      'scale: snapshot design',
      ...results.map(
        r =>
          `${r.design} (TTL ${r.snapshotTtlSeconds} s)${
            r.heapMb ? `, heap <= ${r.heapMb} MB` : ''
          }`,
      ),
    ],
    ['cold fleet scan', ...results.map(r => fmtMs(r.coldFleetScanMs))],
    [
      'report, warm, p50 / p95',
      ...results.map(
        r => `${fmtMs(r.warmReport.p50)} / ${fmtMs(r.warmReport.p95)}`,
      ),
    ],
    [
      'change to report, p50 / p95 (n)',
      ...results.map(
        r =>
          `${fmtMs(r.changeToReport.p50)} / ${fmtMs(r.changeToReport.p95)} (${
            r.changeToReport.n
          })`,
      ),
    ],
    [
      'steady: API requests / min per cluster',
      ...results.map(r => perMinute(r, 'requests')),
    ],
    [
      'steady: LIST calls / min per cluster',
      ...results.map(r => perMinute(r, 'lists')),
    ],
    [
      'steady: bytes / min per cluster',
      ...results.map(r => perMinute(r, 'bytes')),
    ],
    [
      'backend RSS after warm-up / steady',
      ...results.map(
        r => `${fmtMb(r.rss.afterWarmUp)} / ${fmtMb(r.rss.afterSteady)}`,
      ),
    ],
    [
      'live heap after steady (after a full GC)',
      ...results.map(r => fmtMb(r.liveHeapAfterSteady)),
    ],
  ];
  const steady = results[0]?.steady;
  return [
    table(rows),
    steady
      ? `steady state: ${steady.seconds} s with a fleet scan every ${steady.scanEverySeconds} s; a change is an InferenceService deleted`
      : '',
  ];
}

interface Cluster {
  fleet: ClusterFleet;
  env: TestEnv;
  proxy: KubeProxy;
}

/** Requests each cluster's API server was sent since the last reset, then resets. */
function take(clusters: Cluster[]) {
  const per = clusters.map(c => {
    const r = c.proxy.requests();
    c.proxy.reset();
    return { cluster: c.fleet.cluster, requests: r };
  });
  const all: ProxiedRequest[] = per.flatMap(p => p.requests);
  return {
    total: all.length,
    lists: all.filter(r => r.list).length,
    perCluster: Object.fromEntries(
      per.map(p => [
        p.cluster,
        {
          total: p.requests.length,
          lists: p.requests.filter(r => r.list).length,
        },
      ]),
    ),
  };
}

function resetAll(clusters: Cluster[]) {
  for (const c of clusters) c.proxy.reset();
}

async function startClusters(fleets: ClusterFleet[]): Promise<TestEnv[]> {
  // Two at a time: each start is CPU-bound, and the machine has few cores.
  const envs: TestEnv[] = new Array(fleets.length);
  const queue = fleets.map((f, i) => ({ f, i }));
  const started: TestEnv[] = [];
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      const t = performance.now();
      const env = await startTestEnv({ name: item.f.cluster });
      started.push(env);
      // One load: the scenario's files and the generated fleet together, so the
      // loader creates every InferenceService before the admission webhooks
      // (whose Services have no live backend here) exist to reject them.
      const loaded = await applyFiles(env.access('admin'), item.f.files);
      envs[item.i] = env;
      log(
        `cluster ${item.f.cluster}: ${loaded.applied.length} objects (${
          item.f.inferenceServices
        } InferenceServices, ${
          item.f.applications
        } Applications cloned) in ${fmtMs(performance.now() - t)}`,
      );
    }
  };
  try {
    await Promise.all([worker(), worker()]);
  } catch (e) {
    await Promise.all(started.map(env => env.stop()));
    throw e;
  }
  return envs;
}

function proxiedKubeconfig(env: TestEnv, proxy: KubeProxy, file: string) {
  const doc = YAML.parse(fs.readFileSync(env.kubeconfigPath, 'utf8'));
  for (const c of doc.clusters) c.cluster.server = proxy.url;
  fs.writeFileSync(file, YAML.stringify(doc), { mode: 0o600 });
  return file;
}

const entityRef = (e: CatalogEntity) => `component:default/${e.metadata.name}`;
const reportPath = (e: CatalogEntity, refresh = false) =>
  `/api/serving-health/entities/default/component/${e.metadata.name}/report${
    refresh ? '?refresh=true' : ''
  }`;

/** Spread `n` picks evenly over a list. */
function spread<T>(items: T[], n: number): T[] {
  if (n >= items.length) return items;
  return Array.from(
    { length: n },
    (_, i) => items[Math.floor((i * items.length) / n)],
  );
}

export async function runBench(options: BenchOptions): Promise<void> {
  const benchStarted = performance.now();
  const known = new Set(listScenarios().map(s => s.name));
  for (const s of options.scenarios) {
    if (!known.has(s))
      throw new Error(`no scenario ${s} (known: ${[...known].join(', ')})`);
  }
  const kubectl = options.skipKubectl ? undefined : findKubectl();
  if (!options.skipKubectl && !kubectl) {
    log(
      'no kubectl on PATH (or $KUBECTL): the manual-triage column is skipped. On Debian: apt-get install kubernetes-client',
    );
  }

  const workDir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'serving-health-bench-'),
  );
  const clusters: Cluster[] = [];
  let envs: TestEnv[] = [];
  let backend: Awaited<ReturnType<typeof startBenchBackend>> | undefined;
  try {
    // ------------------------------------------------------------ fleet
    const n = options.scenarios.length;
    const fleets: ClusterFleet[] = [];
    for (const [i, scenario] of options.scenarios.entries()) {
      const target =
        Math.floor(options.inferenceServices / n) +
        (i < options.inferenceServices % n ? 1 : 0);
      const offset = fleets.reduce((a, f) => a + f.entities.length, 0);
      fleets.push(
        generateClusterFleet({
          scenario,
          cluster: scenario,
          inferenceServices: target,
          offset,
          outDir: workDir,
        }),
      );
    }
    const entities = fleets.flatMap(f => f.entities);
    const isvcs = fleets.reduce((a, f) => a + f.inferenceServices, 0);
    const apps = fleets.reduce((a, f) => a + f.applications, 0);
    log(
      `fleet: ${entities.length} entities, ${isvcs} InferenceServices, ${apps} Applications on ${n} clusters`,
    );

    const setupStarted = performance.now();
    envs = await startClusters(fleets);
    for (let i = 0; i < fleets.length; i++) {
      const env = envs[i];
      clusters.push({
        fleet: fleets[i],
        env,
        proxy: await startKubeProxy({
          target: env.url,
          ca: env.caData,
          ...testEnvServingCert(env.dataDir),
        }),
      });
    }
    const setupMs = performance.now() - setupStarted;

    // ------------------------------------------------------------ backend
    const ca = (env: TestEnv) => Buffer.from(env.caData).toString('base64');
    const config = {
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            // Backstage's Kubernetes plugin reads workloads of every kind: an operator's (admin) token.
            clusters: clusters.map(c => ({
              name: c.fleet.cluster,
              url: c.proxy.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: c.env.tokens.admin,
              caData: ca(c.env),
              skipMetricsLookup: true,
            })),
          },
        ],
        customResources: [
          {
            group: 'serving.kserve.io',
            apiVersion: 'v1beta1',
            plural: 'inferenceservices',
          },
        ],
      },
      servingHealth: {
        // Same clusters, with the token bound to the shipped read-only ClusterRole.
        clusters: clusters.map(c => ({
          name: c.fleet.cluster,
          url: c.proxy.url,
          authProvider: 'serviceAccount',
          serviceAccountToken: c.env.tokens.reader,
          caData: ca(c.env),
        })),
        // Long enough that the warm phases stay warm; refreshes are not rate-limited so that
        // every cold sample really reads a new snapshot.
        snapshotTtlSeconds: 900,
        refreshMinIntervalSeconds: 0,
        // The columns above measure one round of LIST calls per snapshot (cold = ?refresh=true reads one);
        // watched snapshots are measured in the scale phase.
        snapshots: { mode: 'poll' },
        requestTimeoutMs: 10_000,
        // The fleet's namespaces belong to its entities' owners.
        namespaceOwners: [
          {
            namespace: '*',
            owners: [
              ...new Set(entities.map(e => String((e as any).spec?.owner))),
            ],
          },
        ],
      },
    };
    backend = await startBenchBackend({ config, entities, workDir });
    log(
      `backend (serving-health + kubernetes plugins) ready in ${fmtMs(
        backend.startMs,
      )}, pid ${backend.pid}`,
    );
    await new Promise(r => setTimeout(r, 500));
    const rssIdle = backend.rss();

    // ------------------------------------------------------------ cold fleet scan
    resetAll(clusters);
    const stopSampling = backend.sampleRss(20);
    const cold = await backend.get('/api/serving-health/fleet');
    const rssScan = stopSampling();
    if (cold.status !== 200)
      throw new Error(
        `cold fleet scan: HTTP ${cold.status}: ${JSON.stringify(
          cold.body,
        ).slice(0, 500)}`,
      );
    const coldReq = take(clusters);
    const fleetEntries: any[] = cold.body.entries;
    if (fleetEntries.length !== entities.length) {
      throw new Error(
        `the fleet lists ${fleetEntries.length} entities, expected ${entities.length}`,
      );
    }
    const overall: Record<string, number> = {};
    const modes: Record<string, number> = {};
    for (const e of fleetEntries) {
      overall[e.overall] = (overall[e.overall] ?? 0) + 1;
      for (const m of e.failureModes) modes[m] = (modes[m] ?? 0) + 1;
    }
    log(
      `cold fleet scan: ${fmtMs(cold.ms)}, ${coldReq.total} API requests (${
        coldReq.lists
      } LIST)`,
    );

    // ------------------------------------------------------------ warm fleet scan
    const warm = await backend.get('/api/serving-health/fleet');
    const warmReq = take(clusters);
    log(`warm fleet scan: ${fmtMs(warm.ms)}, ${warmReq.total} API requests`);

    // ------------------------------------------------------------ per-entity, warm
    const warmLat: number[] = [];
    for (const e of entities) {
      const r = await backend.get(reportPath(e));
      if (r.status !== 200)
        throw new Error(`report of ${entityRef(e)}: HTTP ${r.status}`);
      warmLat.push(r.ms);
    }
    const warmReportReq = take(clusters);
    log(
      `warm reports: ${entities.length} in ${fmtMs(
        warmLat.reduce((a, b) => a + b, 0),
      )}, ${warmReportReq.total} API requests`,
    );
    const rssAfterWarm = backend.rss();

    // ------------------------------------------------------------ per-entity, cold
    const coldSample = clusters.flatMap(c =>
      spread(c.fleet.entities, Math.ceil(options.coldSample / clusters.length)),
    );
    const coldLat: number[] = [];
    const coldPerReport: number[] = [];
    const coldListsPerCluster: Record<string, number> = {};
    for (const e of coldSample) {
      resetAll(clusters);
      const r = await backend.get(reportPath(e, true));
      if (r.status !== 200)
        throw new Error(`cold report of ${entityRef(e)}: HTTP ${r.status}`);
      coldLat.push(r.ms);
      const req = take(clusters);
      coldPerReport.push(req.total);
      const cluster =
        e.metadata.annotations!['backstage.io/kubernetes-cluster'];
      coldListsPerCluster[cluster] = req.perCluster[cluster].lists;
    }
    log(
      `cold reports: ${coldSample.length}, p50 ${fmtMs(
        percentile(coldLat, 50),
      )}`,
    );

    // ------------------------------------------------------------ side by side
    const sample = clusters
      .flatMap(c =>
        spread(
          c.fleet.entities,
          Math.ceil(options.sideBySideSample / clusters.length),
        ),
      )
      .slice(0, options.sideBySideSample);
    let k8sPlugin:
      | { lat: number[]; requests: number[]; objects: number[]; errors: number }
      | undefined;
    if (!options.skipKubernetesPlugin) {
      k8sPlugin = { lat: [], requests: [], objects: [], errors: 0 };
      for (let round = 0; round < 3; round++) {
        for (const e of sample) {
          resetAll(clusters);
          const r = await backend.post(
            `/api/kubernetes/services/${e.metadata.name}`,
            {
              entity: {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Component',
                metadata: { name: e.metadata.name, namespace: 'default' },
              },
            },
          );
          if (r.status !== 200)
            throw new Error(
              `kubernetes plugin, ${entityRef(e)}: HTTP ${
                r.status
              }: ${JSON.stringify(r.body).slice(0, 300)}`,
            );
          k8sPlugin.lat.push(r.ms);
          k8sPlugin.requests.push(take(clusters).total);
          const items: any[] = r.body.items ?? [];
          k8sPlugin.objects.push(
            items.reduce(
              (a, it) =>
                a +
                (it.resources ?? []).reduce(
                  (b: number, res: any) => b + (res.resources?.length ?? 0),
                  0,
                ),
              0,
            ),
          );
          k8sPlugin.errors += items.reduce(
            (a, it) => a + (it.errors?.length ?? 0),
            0,
          );
        }
      }
      log(
        `kubernetes plugin: ${k8sPlugin.lat.length} fetches, p50 ${fmtMs(
          percentile(k8sPlugin.lat, 50),
        )}`,
      );
    }

    let manual:
      | {
          perEntity: number[];
          requests: number[];
          commands: number;
          failedCommands: number;
          version: string;
        }
      | undefined;
    if (kubectl) {
      manual = {
        perEntity: [],
        requests: [],
        commands: 0,
        failedCommands: 0,
        version: kubectlVersion(kubectl),
      };
      const kubeconfigs = new Map<string, string>();
      for (const c of clusters) {
        const file = proxiedKubeconfig(
          c.env,
          c.proxy,
          path.join(workDir, `kubeconfig-${c.fleet.cluster}.yaml`),
        );
        kubeconfigs.set(c.fleet.cluster, file);
        await warmKubectl({
          kubectl,
          kubeconfig: file,
          context: 'admin',
          cacheDir: path.join(workDir, 'kube-cache'),
        });
      }
      for (const e of sample) {
        const a = e.metadata.annotations!;
        const cluster = a['backstage.io/kubernetes-cluster'];
        const [ns, name] = (
          a['serving.kserve.io/inferenceservice'] ??
          `${a['backstage.io/kubernetes-namespace']}/${e.metadata.name}`
        ).split('/');
        resetAll(clusters);
        const r = await runRunbook({
          kubectl,
          kubeconfig: kubeconfigs.get(cluster)!,
          context: 'admin',
          cacheDir: path.join(workDir, 'kube-cache'),
          target: {
            isvc: { namespace: ns, name },
            app: a['argocd/app-name']
              ? {
                  namespace: a['argocd/app-namespace'] ?? 'argocd',
                  name: a['argocd/app-name'],
                }
              : undefined,
            kserveNamespace: 'kserve',
            kyvernoNamespace: 'kyverno',
          },
        });
        manual.perEntity.push(r.ms);
        manual.requests.push(take(clusters).total);
        manual.commands = r.commands.length;
        manual.failedCommands += r.commands.filter(c => c.code !== 0).length;
      }
      log(
        `kubectl runbook: ${sample.length} entities, mean ${fmtMs(
          mean(manual.perEntity),
        )}`,
      );
    }

    // ------------------------------------------------------------ scale: TTL design vs watches
    let scale: DesignResult[] | undefined;
    if (options.scale) {
      await backend.stop();
      backend = undefined;
      const freshness: FreshnessCluster[] = clusters.map(c => ({
        name: c.fleet.cluster,
        proxy: c.proxy,
        admin: new KubeClient(c.env.access('admin')),
        entities: c.fleet.entities as any[],
      }));
      // Each design deletes InferenceServices of its own entities: two per cluster, never the sample's.
      const changesFor = (offset: number) =>
        freshness.flatMap(c =>
          [offset, offset + 2].map(i => ({
            cluster: c,
            entity: c.entities[c.entities.length - 1 - i],
          })),
        );
      scale = [];
      const runs: Array<{ design: 'poll' | 'watch'; heapMb?: number }> = [
        { design: 'poll' },
        { design: 'watch' },
        ...(options.scale.heapMb
          ? [{ design: 'watch' as const, heapMb: options.scale.heapMb }]
          : []),
      ];
      for (const [i, { design, heapMb }] of runs.entries()) {
        try {
          scale.push(
            await measureDesign({
              design,
              heapMb,
              config,
              entities: entities as any[],
              clusters: freshness,
              workDir,
              snapshotTtlSeconds: 30,
              steadySeconds: options.scale.steadySeconds,
              warmSample: 300,
              // Offsets 0, 1, 4...: each run deletes InferenceServices no earlier run deleted.
              changes: changesFor(4 * Math.floor(i / 2) + (i % 2)),
            }),
          );
        } catch (e) {
          // A capped heap may be too small for the fleet: say so and keep the other columns.
          if (!heapMb) throw e;
          log(`watch with the heap capped at ${heapMb} MB failed: ${e}`);
        }
      }
    }

    // ------------------------------------------------------------ table
    const warmP50 = percentile(warmLat, 50);
    const coldP50 = percentile(coldLat, 50);
    const perSnapshotLists = clusters.map(
      c => coldListsPerCluster[c.fleet.cluster],
    );
    const coldFleetLists = clusters.map(
      c => coldReq.perCluster[c.fleet.cluster].lists,
    );
    const independent = coldFleetLists.every(
      (l, i) => l === perSnapshotLists[i],
    );
    const rows: string[][] = [];
    const row = (...cells: string[]) => rows.push(cells);
    row('measurement', 'time', 'API requests', 'notes');
    row(
      'cold fleet scan',
      fmtMs(cold.ms),
      `${coldReq.total} (${coldReq.lists} LIST)`,
      `${entities.length} entities; LIST per cluster ${coldFleetLists.join(
        '/',
      )}`,
    );
    row(
      'warm fleet scan',
      fmtMs(warm.ms),
      String(warmReq.total),
      'reports from the cache service',
    );
    row(
      `report, cold (refresh), p50 / p95, n=${coldLat.length}`,
      `${fmtMs(coldP50)} / ${fmtMs(percentile(coldLat, 95))}`,
      `${percentile(coldPerReport, 50)} per report`,
      `one snapshot: LIST per cluster ${perSnapshotLists.join('/')}`,
    );
    row(
      `report, warm, p50 / p95, n=${warmLat.length}`,
      `${fmtMs(warmP50)} / ${fmtMs(percentile(warmLat, 95))}`,
      `${warmReportReq.total} in all`,
      'HTTP round trip included',
    );
    row(
      'backend RSS: idle / peak in cold scan / after warm',
      `${fmtMb(rssIdle)} / ${fmtMb(rssScan.peak)} / ${fmtMb(rssAfterWarm)}`,
      '',
      `${rssScan.samples} samples; both plugins in one process`,
    );
    const side: string[][] = [];
    const srow = (...cells: string[]) => side.push(cells);
    srow(
      'per entity',
      'time',
      'API requests',
      'vs warm report',
      'vs cold report',
    );
    srow('Serving Health report, warm (p50)', fmtMs(warmP50), '0', '1x', '');
    srow(
      'Serving Health report, cold (p50)',
      fmtMs(coldP50),
      String(percentile(coldPerReport, 50)),
      fmtX(coldP50 / warmP50),
      '1x',
    );
    if (manual) {
      const m = mean(manual.perEntity);
      srow(
        `manual triage, ${manual.commands} kubectl commands (mean, n=${manual.perEntity.length})`,
        fmtMs(m),
        String(Math.round(mean(manual.requests))),
        fmtX(m / warmP50),
        fmtX(m / coldP50),
      );
    } else {
      srow('manual triage, kubectl', 'skipped', '', '', '');
    }
    if (k8sPlugin) {
      const p = percentile(k8sPlugin.lat, 50);
      srow(
        `Kubernetes plugin /services/:id (p50, n=${k8sPlugin.lat.length})`,
        fmtMs(p),
        String(percentile(k8sPlugin.requests, 50)),
        fmtX(p / warmP50),
        fmtX(p / coldP50),
      );
    }

    const out: string[] = [];
    out.push(
      `Serving Health benchmark: ${entities.length} entities, ${isvcs} InferenceServices, ${apps} Argo CD Applications on ${clusters.length} testenv clusters (kube-apiserver ${KUBERNETES_VERSION})`,
      `clusters (scenario = name): ${clusters
        .map(c => `${c.fleet.cluster} ${c.fleet.entities.length}`)
        .join(', ')}`,
      `fleet result: ${Object.entries(overall)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}; failure modes ${
        Object.entries(modes)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none'
      }`,
      `machine: ${os.cpus().length} cores, load ${os
        .loadavg()
        .map(l => l.toFixed(1))
        .join(' ')}, node ${process.version}${
        manual ? `, kubectl ${manual.version}` : ''
      }`,
      '',
      table(rows),
      '',
      table(side),
      '',
    );
    if (k8sPlugin) {
      out.push(
        `Kubernetes plugin: ${mean(k8sPlugin.objects).toFixed(
          1,
        )} objects per entity returned, ${
          k8sPlugin.errors
        } fetch errors; it lists ${
          k8sPlugin.lat.length
            ? 'every configured object type on every cluster (multiTenant)'
            : ''
        } and explains nothing.`,
      );
    }
    if (manual) {
      out.push(
        `kubectl: machine time of the commands only (no reading, no thinking); ${
          manual.failedCommands
        } of ${
          manual.commands * manual.perEntity.length
        } commands exited non-zero (expected: the testenv's stand-in kubelet has no logs for these pods, and a \`get\` of an InferenceService the scenario never created fails).`,
      );
    }
    const target100 = manual ? mean(manual.perEntity) / warmP50 : NaN;
    out.push(
      `target: warm report >= 100x faster than the kubectl runbook: ${
        manual
          ? `${fmtX(target100)} ${target100 >= 100 ? 'MET' : 'NOT MET'}`
          : 'not measured (no kubectl)'
      }`,
      `target: cold fleet scan LIST calls independent of the number of entities: ${coldFleetLists.join(
        '/',
      )} LIST per cluster for ${
        entities.length
      } entities = ${perSnapshotLists.join('/')} for one entity: ${
        independent ? 'MET' : 'NOT MET'
      }`,
      `setup (clusters + fleet) ${fmtMs(setupMs)}, whole run ${fmtMs(
        performance.now() - benchStarted,
      )}`,
    );
    if (scale) out.push('', ...scaleTable(scale));
    process.stdout.write(`${out.join('\n')}\n`);

    if (options.json) {
      fs.writeFileSync(
        options.json,
        `${JSON.stringify(
          {
            entities: entities.length,
            inferenceServices: isvcs,
            applications: apps,
            clusters: clusters.map(c => ({
              name: c.fleet.cluster,
              entities: c.fleet.entities.length,
              templates: c.fleet.templates,
            })),
            fleet: { overall, failureModes: modes },
            coldFleetScan: { ms: cold.ms, requests: coldReq },
            warmFleetScan: { ms: warm.ms, requests: warmReq },
            warmReport: {
              n: warmLat.length,
              p50: warmP50,
              p95: percentile(warmLat, 95),
              requests: warmReportReq.total,
            },
            coldReport: {
              n: coldLat.length,
              p50: coldP50,
              p95: percentile(coldLat, 95),
              requestsP50: percentile(coldPerReport, 50),
              listsPerCluster: coldListsPerCluster,
            },
            rss: {
              idle: rssIdle,
              peakColdScan: rssScan.peak,
              afterWarm: rssAfterWarm,
            },
            kubectl: manual && {
              ...manual,
              meanMs: mean(manual.perEntity),
              commandsPerEntity: runbook({
                isvc: { namespace: 'x', name: 'x' },
                app: { namespace: 'x', name: 'x' },
                kserveNamespace: 'x',
                kyvernoNamespace: 'x',
              }).map(c => c.args.join(' ')),
            },
            ...(scale ? { scale: { designs: scale } } : {}),
            kubernetesPlugin: k8sPlugin && {
              ...k8sPlugin,
              p50: percentile(k8sPlugin.lat, 50),
            },
          },
          null,
          2,
        )}\n`,
      );
    }
  } finally {
    await backend?.stop();
    await Promise.all(clusters.map(c => c.proxy.close()));
    await Promise.all(envs.map(env => env.stop()));
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
