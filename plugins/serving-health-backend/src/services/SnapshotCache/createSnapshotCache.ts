import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { ControlPlaneNamespaces } from '@serving-health/plugin-serving-health-common';
import {
  createClusterSnapshotLoader,
  readControllerLogs,
} from '@serving-health/plugin-serving-health-kube';
import {
  KubernetesCallerAuth,
  ServingHealthClusterClients,
  ServingHealthSnapshotSource,
  SnapshotEntry,
} from '@serving-health/plugin-serving-health-node';
import { readScope } from '../../lib/principalKey';

interface Slot {
  startedAt: number;
  loadedAt?: number;
  ttlMs: number;
  promise: Promise<SnapshotEntry>;
}

const UNREACHABLE_TTL_MS = 5_000;

/**
 * The default snapshot source: one round of LIST calls per cluster per TTL, shared by concurrent callers
 * (single-flight). Snapshots of a cluster read with server credentials are shared by every caller; those
 * read with a caller's own credentials are kept per caller and never served to anyone else.
 */
export function createSnapshotCache(options: {
  clusters: ServingHealthClusterClients;
  logger: LoggerService;
  namespaces: ControlPlaneNamespaces;
  ttlMs: number;
  refreshMinIntervalMs: number;
  logTailLines: number;
  now?: () => number;
}): ServingHealthSnapshotSource {
  const { clusters, logger, namespaces, ttlMs, refreshMinIntervalMs } = options;
  const now = options.now ?? Date.now;
  const slots = new Map<string, Slot>();

  function load(
    key: string,
    cluster: string,
    caller: BackstageCredentials | undefined,
    callerAuth: KubernetesCallerAuth | undefined,
  ): Slot {
    const client = clusters.client(cluster, caller, callerAuth);
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
        client,
        expiresInMs: () =>
          Math.max(0, (slot.loadedAt ?? now()) + slot.ttlMs - now()),
        controllerLogs: () =>
          (logs ??= readControllerLogs(client, snapshot, {
            tailLines: options.logTailLines,
          })),
      };
    })();
    slot.promise.catch(() => {
      // A failed load must not be served from the cache.
      if (slots.get(key) === slot) slots.delete(key);
    });
    slots.set(key, slot);
    return slot;
  }

  return {
    async get(cluster, opts) {
      await clusters.refresh();
      const key = `${cluster}\u0000${readScope(clusters, cluster, opts?.caller, opts?.callerAuth)}`;
      const slot = slots.get(key);
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
      return load(key, cluster, opts?.caller, opts?.callerAuth).promise;
    },
  };
}
