import { mockServices } from '@backstage/backend-test-utils';
import { staticCredentials } from '@serving-health/plugin-serving-health-kube';
import { ServingHealthCluster } from '@serving-health/plugin-serving-health-node';
import { createClusterClients } from './createClusterClients';

const cluster = (
  name: string,
  url = `https://${name}.example:6443`,
): ServingHealthCluster => ({
  name,
  authScope: 'server',
  connection: () => ({
    name,
    url,
    credentials: staticCredentials({ token: 't' }),
  }),
});

describe('createClusterClients', () => {
  it('merges the suppliers (a later one replaces a cluster by name), reads lazily and again after the TTL', async () => {
    let clock = 0;
    let calls = 0;
    let plugin: ServingHealthCluster[] = [cluster('a'), cluster('b')];
    const clients = createClusterClients({
      suppliers: [
        {
          getClusters: async () => {
            calls++;
            return plugin;
          },
        },
        { getClusters: async () => [cluster('b', 'https://direct:6443')] },
      ],
      logger: mockServices.logger.mock(),
      now: () => clock,
    });
    expect(clients.names()).toEqual([]);
    await clients.refresh();
    expect(clients.names()).toEqual(['a', 'b']);
    expect(clients.cluster('b')!.connection().url).toBe('https://direct:6443');
    const a = clients.client('a');
    expect(clients.client('a')).toBe(a);

    plugin = [cluster('a'), cluster('c')];
    clock = 59_000;
    await clients.refresh();
    expect(calls).toBe(1);
    clock = 61_000;
    await clients.refresh();
    expect(calls).toBe(2);
    expect(clients.names()).toEqual(['a', 'c', 'b']);
    // Same address, same client (its connections and counters are kept).
    expect(clients.client('a')).toBe(a);
  });

  it('keeps the last good list of a supplier that fails, and says why', async () => {
    let clock = 0;
    let fail = false;
    const clients = createClusterClients({
      suppliers: [
        {
          getClusters: async () => {
            if (fail)
              throw new Error(
                "The Kubernetes plugin's cluster list could not be read: HTTP 503",
              );
            return [cluster('a')];
          },
        },
      ],
      logger: mockServices.logger.mock(),
      now: () => clock,
    });
    await clients.refresh();
    expect(clients.problem()).toBeUndefined();
    fail = true;
    clock = 120_000;
    await clients.refresh();
    expect(clients.names()).toEqual(['a']);
    expect(clients.problem()).toContain('HTTP 503');
  });
});
