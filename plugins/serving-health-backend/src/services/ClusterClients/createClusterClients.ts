import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ServingHealthCluster,
  ServingHealthClusterClients,
  ServingHealthClusterSupplier,
} from '@serving-health/plugin-serving-health-node';
import {
  createKubernetesClient,
  KubernetesClient,
} from '@serving-health/plugin-serving-health-kube';
import { toError } from '@backstage/errors';

/** How long a cluster list is used before the suppliers are asked again. */
const CLUSTER_LIST_TTL_MS = 60_000;

/**
 * One client per server-credential cluster; a fresh one per call for clusters read as the caller. The cluster
 * list is the suppliers' lists merged, a later supplier's cluster replacing an earlier one of the same name; it
 * is read lazily and again after a TTL, and a supplier that fails keeps its last good list.
 */
export function createClusterClients(options: {
  suppliers: ServingHealthClusterSupplier[];
  logger: LoggerService;
  now?: () => number;
}): ServingHealthClusterClients {
  const { suppliers, logger } = options;
  const now = options.now ?? Date.now;
  const lastGood: ServingHealthCluster[][] = suppliers.map(() => []);
  let byName = new Map<string, ServingHealthCluster>();
  const shared = new Map<string, KubernetesClient>();
  let problem: string | undefined;
  let readAt: number | undefined;
  let inflight: Promise<void> | undefined;

  async function read() {
    const results = await Promise.allSettled(suppliers.map(s => s.getClusters()));
    const problems: string[] = [];
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') lastGood[i] = r.value;
      else problems.push(toError(r.reason).message);
    });
    const next = new Map<string, ServingHealthCluster>();
    for (const list of lastGood) for (const c of list) next.set(c.name, c);
    const names = (m: Map<string, unknown>) => [...m.keys()].join(', ');
    if (names(next) !== names(byName) || problems.join() !== (problem ?? '')) {
      logger.info('Serving Health clusters', { clusters: names(next) || 'none' });
      for (const p of problems) logger.warn(p);
    }
    // A cluster whose address changed (a catalog cluster moved) gets a new client; the others keep theirs.
    for (const name of [...shared.keys()]) {
      const before = byName.get(name);
      const after = next.get(name);
      if (!before || !after || after.authScope !== 'server' || after.connection().url !== before.connection().url) {
        shared.delete(name);
      }
    }
    byName = next;
    problem = problems.length ? problems.join('; ') : undefined;
    readAt = now();
  }

  return {
    async refresh() {
      if (readAt !== undefined && now() - readAt < CLUSTER_LIST_TTL_MS) return;
      inflight ??= read().finally(() => {
        inflight = undefined;
      });
      await inflight;
    },
    problem: () => problem,
    names: () => [...byName.keys()],
    cluster: name => byName.get(name),
    client(name, caller, callerAuth) {
      const cluster = byName.get(name);
      if (!cluster) return undefined;
      if (cluster.authScope === 'user') {
        return createKubernetesClient(cluster.connection(caller, callerAuth));
      }
      let client = shared.get(name);
      if (!client) {
        client = createKubernetesClient(cluster.connection());
        shared.set(name, client);
      }
      return client;
    },
  };
}
