import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { ControlPlaneNamespaces } from '@serving-health/plugin-serving-health-common';
import {
  WatchedSnapshot,
  createWatchedSnapshot,
  readControllerLogs,
} from '@serving-health/plugin-serving-health-kube';
import {
  ServingHealthClusterClients,
  ServingHealthSnapshotSource,
  SnapshotEntry,
} from '@serving-health/plugin-serving-health-node';
import { readScope } from '../../lib/principalKey';

interface Watched {
  store: WatchedSnapshot;
  client: NonNullable<ReturnType<ServingHealthClusterClients['client']>>;
  logs?: {
    version: string;
    at: number;
    promise: ReturnType<SnapshotEntry['controllerLogs']>;
  };
}

/**
 * Snapshots kept current by LIST+WATCH per cluster (started on first use), for clusters read with the
 * plugin's own credentials; a read with a caller's own credentials is never kept open and goes to `perCaller`
 * (the TTL cache). A report is as fresh as the watch: `version` changes with the cluster's objects.
 */
export function createSnapshotWatcher(options: {
  clusters: ServingHealthClusterClients;
  logger: LoggerService;
  namespaces: ControlPlaneNamespaces;
  /** A collection whose watch is refused is listed this often; reports made from it live as long. */
  pollIntervalMs: number;
  logTailLines: number;
  perCaller: ServingHealthSnapshotSource;
  /** Called after the objects of a watched cluster change (coalesced per tick). */
  onChange?: (cluster: string) => void;
  now?: () => number;
}): ServingHealthSnapshotSource & { stop(): void } {
  const { clusters, logger, namespaces, pollIntervalMs } = options;
  const now = options.now ?? Date.now;
  const watched = new Map<string, Watched>();

  function watch(cluster: string): Watched {
    const existing = watched.get(cluster);
    if (existing) return existing;
    const client = clusters.client(cluster, undefined, undefined);
    if (!client)
      throw new NotFoundError(`Cluster '${cluster}' is not configured`);
    const started = now();
    const store = createWatchedSnapshot({ client, namespaces, pollIntervalMs });
    const entry: Watched = { store, client };
    watched.set(cluster, entry);
    if (options.onChange) store.onChange(() => options.onChange!(cluster));
    void store.ready().then(() => {
      const polled = Object.entries(store.freshness()).filter(
        ([, f]) => f.mode === 'poll',
      );
      logger.info('Cluster snapshot watched', {
        cluster,
        ms: now() - started,
        ...store.stats(),
        polled: polled.map(([path]) => path).join(', ') || 'none',
      });
      for (const [path, f] of polled) {
        if (f.mode === 'poll')
          logger.warn(
            `Not watched, listed every ${pollIntervalMs} ms: ${path}: ${f.reason}`,
            { cluster },
          );
      }
    });
    return entry;
  }

  const shared = (
    cluster: string,
    opts?: Parameters<ServingHealthSnapshotSource['get']>[1],
  ) =>
    readScope(clusters, cluster, opts?.caller, opts?.callerAuth) === 'shared';

  return {
    async get(cluster, opts) {
      await clusters.refresh();
      if (!shared(cluster, opts)) return options.perCaller.get(cluster, opts);
      const w = watch(cluster);
      await w.store.ready();
      const snapshot = w.store.snapshot();
      const version = w.store.version();
      return {
        snapshot,
        client: w.client,
        version,
        expiresInMs: () => pollIntervalMs,
        controllerLogs() {
          // Logs are not watched: read once per snapshot version and poll interval, shared by every entity.
          if (
            !w.logs ||
            w.logs.version !== version ||
            now() - w.logs.at >= pollIntervalMs
          ) {
            w.logs = {
              version,
              at: now(),
              promise: readControllerLogs(w.client, snapshot, {
                tailLines: options.logTailLines,
              }),
            };
          }
          return w.logs.promise;
        },
      };
    },
    async version(cluster, opts) {
      if (!shared(cluster, opts)) return undefined;
      const w = watched.get(cluster);
      return w ? w.store.version() : undefined;
    },
    stop() {
      for (const w of watched.values()) w.store.stop();
      watched.clear();
    },
  };
}
