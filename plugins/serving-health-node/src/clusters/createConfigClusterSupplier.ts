import { Config } from '@backstage/config';
import { ServingHealthClusterSupplier } from './types';
import { readClusterConnections } from './readClusterConnections';

/**
 * The clusters of `servingHealth.clusters`, read directly with their own credentials.
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

/**
 * One supplier of several: their clusters, a later supplier's cluster replacing an earlier one of the same name.
 *
 * @public
 */
export function mergeClusterSuppliers(
  suppliers: ServingHealthClusterSupplier[],
): ServingHealthClusterSupplier {
  return {
    async getClusters() {
      const lists = await Promise.all(suppliers.map(s => s.getClusters()));
      return [...new Map(lists.flat().map(c => [c.name, c])).values()];
    },
  };
}
