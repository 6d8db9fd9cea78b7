import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterConnection,
  createKubernetesClient,
  readClusterConnections,
} from '@serving-health/plugin-serving-health-node';
import { ClusterRegistry } from './types';

export function createClusterRegistry(options: {
  config: Config;
  logger: LoggerService;
  /** For tests: connections instead of config. */
  connections?: ClusterConnection[];
}): ClusterRegistry {
  const connections = options.connections ?? readClusterConnections(options.config);
  const clients = new Map(
    connections.map(c => [c.name, createKubernetesClient(c)]),
  );
  options.logger.info('Serving Health clusters configured', {
    clusters: connections.map(c => c.name).join(', ') || 'none',
  });
  return {
    names: () => [...clients.keys()],
    client: name => clients.get(name),
  };
}
