import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  ControlPlaneNamespaces,
} from '@serving-health/plugin-serving-health-common';
import {
  createClusterSnapshotLoader,
  readControllerLogs,
} from '@serving-health/plugin-serving-health-node';
import { ClusterRegistry } from '../ClusterRegistry';
import { SnapshotCache, SnapshotEntry } from './types';

interface Slot {
  startedAt: number;
  loadedAt?: number;
  ttlMs: number;
  promise: Promise<SnapshotEntry>;
}

const UNREACHABLE_TTL_MS = 5_000;

export function createSnapshotCache(options: {
  registry: ClusterRegistry;
  logger: LoggerService;
  namespaces: ControlPlaneNamespaces;
  ttlMs: number;
  refreshMinIntervalMs: number;
  logTailLines: number;
  now?: () => number;
}): SnapshotCache {
  const { registry, logger, namespaces, ttlMs, refreshMinIntervalMs } = options;
  const now = options.now ?? Date.now;
  const slots = new Map<string, Slot>();

  function load(cluster: string): Slot {
    const client = registry.client(cluster);
    if (!client) throw new NotFoundError(`Cluster '${cluster}' is not configured`);
    const slot: Slot = { startedAt: now(), ttlMs, promise: Promise.resolve(undefined as any) };
    slot.promise = (async () => {
      const snapshot = await createClusterSnapshotLoader({ client, namespaces }).load();
      slot.loadedAt = now();
      // An unreachable cluster is asked again soon: recovery should show without a refresh.
      if (!snapshot.version.ok) slot.ttlMs = Math.min(ttlMs, UNREACHABLE_TTL_MS);
      logger.info('Cluster snapshot loaded', {
        cluster,
        requests: snapshot.requestCount,
        ms: slot.loadedAt - slot.startedAt,
        reachable: snapshot.version.ok,
      });
      let logs: ReturnType<SnapshotEntry['controllerLogs']> | undefined;
      return {
        snapshot,
        controllerLogs: () =>
          (logs ??= readControllerLogs(client, snapshot, {
            tailLines: options.logTailLines,
          })),
      };
    })();
    slot.promise.catch(() => {
      // A failed load must not be served from the cache.
      if (slots.get(cluster) === slot) slots.delete(cluster);
    });
    slots.set(cluster, slot);
    return slot;
  }

  return {
    async get(cluster, opts) {
      const slot = slots.get(cluster);
      const t = now();
      if (slot) {
        const inFlight = slot.loadedAt === undefined;
        const fresh = slot.loadedAt !== undefined && t - slot.loadedAt < slot.ttlMs;
        // Refreshes are rate-limited per cluster: a burst of them shares one read.
        const refreshAllowed = t - slot.startedAt >= refreshMinIntervalMs;
        if (inFlight || (fresh && (!opts?.refresh || !refreshAllowed))) {
          return slot.promise;
        }
      }
      return load(cluster).promise;
    },
  };
}
