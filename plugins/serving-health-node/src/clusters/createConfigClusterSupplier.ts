import { Config } from '@backstage/config';
import { ServingHealthClusterSupplier } from './types';
import { readClusterConnections } from './readClusterConnections';

/**
 * The default cluster supplier: the clusters of `kubernetes.clusterLocatorMethods` (type config) and
 * `servingHealth.clusters`, read with the plugin's own credentials.
 *
 * @public
 */
export function createConfigClusterSupplier(
  config: Config,
): ServingHealthClusterSupplier {
  return {
    async getClusters() {
      return readClusterConnections(config).map(connection => ({
        name: connection.name,
        authScope: 'server' as const,
        connection: () => connection,
      }));
    },
  };
}
