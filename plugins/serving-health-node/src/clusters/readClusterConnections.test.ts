import { ConfigReader } from '@backstage/config';
import { readClusterConnections } from './readClusterConnections';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('readClusterConnections', () => {
  it('reads the Kubernetes plugin clusters and lets servingHealth.clusters override by name', async () => {
    const config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'catalog' },
          {
            type: 'config',
            clusters: [
              { name: 'a', url: 'https://a:6443', authProvider: 'serviceAccount', serviceAccountToken: 't-a', caData: Buffer.from(PEM).toString('base64') },
              { name: 'b', url: 'https://b:6443', authProvider: 'serviceAccount', serviceAccountToken: 't-b', skipTLSVerify: true },
            ],
          },
        ],
      },
      servingHealth: {
        requestTimeoutMs: 1234,
        clusters: [{ name: 'b', url: 'https://b2:6443', serviceAccountToken: 't-b2' }],
      },
    });
    const conns = readClusterConnections(config);
    const tokens = await Promise.all(conns.map(async c => (await c.credentials()).token));
    expect(conns.map((c, i) => [c.name, c.url, tokens[i]])).toEqual([
      ['a', 'https://a:6443', 't-a'],
      ['b', 'https://b2:6443', 't-b2'],
    ]);
    expect(conns[0].caData).toBe(PEM);
    expect(conns[0].timeoutMs).toBe(1234);
  });

  it('keeps a cluster of an auth provider it cannot use, whose every request fails naming why', async () => {
    const config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              { name: 'gke', url: 'https://x', authProvider: 'google' },
              { name: 'ok', url: 'https://y', authProvider: 'serviceAccount', serviceAccountToken: 't' },
            ],
          },
        ],
      },
    });
    const [gke, ok] = readClusterConnections(config);
    expect(ok.name).toBe('ok');
    await expect(gke.credentials()).rejects.toThrow("Cluster 'gke': authProvider 'google' is not supported");
  });
});
