import { LoggerService } from '@backstage/backend-plugin-api';
import { ServingHealthClusterClients, ServingHealthClusterSupplier } from '@serving-health/plugin-serving-health-node';
import {
  createKubernetesClient,
  KubernetesClient,
} from '@serving-health/plugin-serving-health-kube';

/** One client per server-credential cluster; a fresh one per call for clusters read as the caller. */
export async function createClusterClients(options: {
  supplier: ServingHealthClusterSupplier;
  logger: LoggerService;
}): Promise<ServingHealthClusterClients> {
  const clusters = await options.supplier.getClusters();
  const byName = new Map(clusters.map(c => [c.name, c]));
  const shared = new Map<string, KubernetesClient>();
  options.logger.info('Serving Health clusters configured', {
    clusters: clusters.map(c => c.name).join(', ') || 'none',
  });
  return {
    names: () => [...byName.keys()],
    cluster: name => byName.get(name),
    client(name, caller) {
      const cluster = byName.get(name);
      if (!cluster) return undefined;
      if (cluster.authScope === 'user') {
        return createKubernetesClient(cluster.connection(caller));
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
