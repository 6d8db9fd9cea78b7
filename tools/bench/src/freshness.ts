import { KubeClient } from '@internal/testenv';
import { Entity } from '@backstage/catalog-model';
import { KubeProxy } from '@internal/fault-proxy';
import { BenchBackend, startBenchBackend } from './backend';

/** One cluster of the bench as the freshness phase needs it. */
export interface FreshnessCluster {
  name: string;
  proxy: KubeProxy;
  admin: KubeClient;
  entities: Entity[];
}

/** How snapshots are kept current: today's LIST every TTL, or LIST once then WATCH. */
export type SnapshotDesign = 'poll' | 'watch';

export interface DesignResult {
  design: SnapshotDesign;
  /** The backend's V8 old-space cap (--max-old-space-size), when the run set one. */
  heapMb?: number;
  snapshotTtlSeconds: number;
  coldFleetScanMs: number;
  warmReport: { n: number; p50: number; p95: number };
  /** ms from a cluster change (an InferenceService deleted) until the entity's next report shows it. */
  changeToReport: { n: number; p50: number; p95: number; max: number };
  /** At steady state, a fleet scan every `scanEverySeconds`, per cluster per minute. */
  steady: {
    seconds: number;
    scanEverySeconds: number;
    perClusterPerMinute: Record<
      string,
      { requests: number; lists: number; bytes: number }
    >;
  };
  rss: { afterWarmUp: number; afterSteady: number };
  /** The backend's V8 heap in use after a full garbage collection, after the steady state (bytes). */
  liveHeapAfterSteady: number;
}

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[
    Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))
  ];
}

const reportPath = (e: Entity) =>
  `/api/serving-health/entities/default/component/${e.metadata.name}/report`;

const isvcSummary = (body: any): string | undefined =>
  body?.checks?.find((c: any) => c.id === 'kserve.inferenceservice')?.summary;

function isvcPath(e: Entity): string | undefined {
  const ref = e.metadata.annotations?.['serving.kserve.io/inferenceservice'];
  if (!ref?.includes('/')) return undefined;
  const [ns, name] = ref.split('/');
  return `/apis/serving.kserve.io/v1beta1/namespaces/${ns}/inferenceservices/${name}`;
}

/** Deletes the entity's InferenceService and waits until a report of it differs from `before`. */
async function changeToReport(
  backend: BenchBackend,
  cluster: FreshnessCluster,
  e: Entity,
  limitMs: number,
): Promise<number | undefined> {
  const path = isvcPath(e);
  if (!path) return undefined;
  const before = isvcSummary((await backend.get(reportPath(e))).body);
  try {
    await cluster.admin.delete(path);
  } catch {
    return undefined; // never created (a webhook denied it): not a change
  }
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    const now = isvcSummary((await backend.get(reportPath(e))).body);
    if (now !== before) return performance.now() - started;
    await sleep(20);
  }
  return Infinity;
}

/**
 * One backend with one snapshot design over the same clusters: cold fleet scan, warm reports, change-to-report
 * latency, and the API load of a steady state in which the portal is in use (a fleet scan every few seconds).
 */
export async function measureDesign(options: {
  design: SnapshotDesign;
  heapMb?: number;
  config: Record<string, any>;
  entities: Entity[];
  clusters: FreshnessCluster[];
  workDir: string;
  snapshotTtlSeconds: number;
  steadySeconds: number;
  warmSample: number;
  /** Entities whose InferenceService this design may delete (not shared with another design). */
  changes: Array<{ cluster: FreshnessCluster; entity: Entity }>;
}): Promise<DesignResult> {
  const { design, clusters } = options;
  const config = {
    ...options.config,
    servingHealth: {
      ...options.config.servingHealth,
      snapshotTtlSeconds: options.snapshotTtlSeconds,
      refreshMinIntervalSeconds: 5,
      snapshots: { mode: design },
    },
  };
  const backend = await startBenchBackend({
    config,
    entities: options.entities,
    workDir: options.workDir,
    heapMb: options.heapMb,
  });
  try {
    const cold = await backend.get('/api/serving-health/fleet');
    if (cold.status !== 200)
      throw new Error(`${design}: cold fleet scan HTTP ${cold.status}`);
    await backend.get('/api/serving-health/fleet');
    const warmLat: number[] = [];
    const step = Math.max(
      1,
      Math.floor(options.entities.length / options.warmSample),
    );
    for (let i = 0; i < options.entities.length; i += step) {
      warmLat.push((await backend.get(reportPath(options.entities[i]))).ms);
    }
    const rssAfterWarmUp = backend.rss();
    log(
      `${design}: cold fleet scan ${cold.ms.toFixed(
        0,
      )} ms, warm report p50 ${percentile(warmLat, 50).toFixed(1)} ms`,
    );

    const changes: number[] = [];
    for (const { cluster, entity } of options.changes) {
      const ms = await changeToReport(
        backend,
        cluster,
        entity,
        (options.snapshotTtlSeconds + 30) * 1000,
      );
      if (ms !== undefined) changes.push(ms);
    }
    log(
      `${design}: change to report p50 ${percentile(changes, 50).toFixed(
        0,
      )} ms (n=${changes.length})`,
    );

    for (const c of clusters) c.proxy.reset();
    const scanEverySeconds = 5;
    const steadyStarted = performance.now();
    while (performance.now() - steadyStarted < options.steadySeconds * 1000) {
      await backend.get('/api/serving-health/fleet');
      await sleep(scanEverySeconds * 1000);
    }
    const minutes = (performance.now() - steadyStarted) / 60_000;
    const afterSteady = backend.rss();
    const perClusterPerMinute = Object.fromEntries(
      clusters.map(c => {
        const r = c.proxy.requests();
        return [
          c.name,
          {
            requests: r.length / minutes,
            lists:
              r.filter(q => q.list && !q.path.includes('watch=')).length /
              minutes,
            bytes: c.proxy.bytesDown() / minutes,
          },
        ];
      }),
    );
    return {
      design,
      ...(options.heapMb ? { heapMb: options.heapMb } : {}),
      snapshotTtlSeconds: options.snapshotTtlSeconds,
      coldFleetScanMs: cold.ms,
      warmReport: {
        n: warmLat.length,
        p50: percentile(warmLat, 50),
        p95: percentile(warmLat, 95),
      },
      changeToReport: {
        n: changes.length,
        p50: percentile(changes, 50),
        p95: percentile(changes, 95),
        max: Math.max(...changes),
      },
      steady: {
        seconds: options.steadySeconds,
        scanEverySeconds,
        perClusterPerMinute,
      },
      rss: { afterWarmUp: rssAfterWarmUp, afterSteady },
      liveHeapAfterSteady: (await backend.liveMemory()).heapUsed,
    };
  } finally {
    await backend.stop();
  }
}
