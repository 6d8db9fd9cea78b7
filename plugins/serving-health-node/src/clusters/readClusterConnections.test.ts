import { ConfigReader } from '@backstage/config';
import { readClusterConnections } from './readClusterConnections';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('readClusterConnections', () => {
  it('reads servingHealth.clusters only: the Kubernetes plugin\'s clusters are read through that plugin', async () => {
    const config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'config', clusters: [{ name: 'k', url: 'https://k:6443', authProvider: 'serviceAccount', serviceAccountToken: 't-k' }] },
        ],
      },
      servingHealth: {
        requestTimeoutMs: 1234,
        clusters: [
          { name: 'a', url: 'https://a:6443', serviceAccountToken: 't-a', caData: Buffer.from(PEM).toString('base64') },
          { name: 'b', url: 'https://b:6443', serviceAccountToken: 't-b', skipTLSVerify: true },
        ],
      },
    });
    const conns = readClusterConnections(config);
    const tokens = await Promise.all(conns.map(async c => (await c.credentials()).token));
    expect(conns.map((c, i) => [c.name, c.url, tokens[i]])).toEqual([
      ['a', 'https://a:6443', 't-a'],
      ['b', 'https://b:6443', 't-b'],
    ]);
    expect(conns[0].caData).toBe(PEM);
    expect(conns[0].timeoutMs).toBe(1234);
    expect(conns[1].skipTLSVerify).toBe(true);
  });

  it('keeps a cluster of an auth provider it cannot use, whose every request fails naming why', async () => {
    const config = new ConfigReader({
      servingHealth: {
        clusters: [
          { name: 'gke', url: 'https://x', authProvider: 'google' },
          { name: 'ok', url: 'https://y', authProvider: 'serviceAccount', serviceAccountToken: 't' },
        ],
      },
    });
    const [gke, ok] = readClusterConnections(config);
    expect(ok.name).toBe('ok');
    await expect(gke.credentials()).rejects.toThrow(
      "Cluster 'gke': servingHealth.clusters takes authProvider serviceAccount (or a kubeconfig), not 'google'",
    );
  });
});
