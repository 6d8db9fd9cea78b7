import net from 'node:net';
import { TestEnv, startTestEnv } from '@internal/testenv';
import { createClusterSnapshotLoader } from '../snapshot/createClusterSnapshotLoader';
import { staticCredentials } from '../credentials/staticCredentials';
import { loadKubeconfig } from '../kubeconfig/loadKubeconfig';
import { createKubernetesClient } from './createKubernetesClient';

jest.setTimeout(60_000);

describe('createKubernetesClient against a real API server', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv({ scenario: 'healthy' });
  });
  afterAll(async () => {
    await env?.stop();
  });

  const conn = (token: string, extra = {}) => ({
    name: env.name,
    url: env.url,
    credentials: staticCredentials({ token }),
    caData: env.caData,
    ...extra,
  });

  it('reads with the CA and counts its requests', async () => {
    const client = createKubernetesClient(conn(env.tokens.reader));
    const res = await client.request({ path: '/version' });
    expect(res.ok && res.body.gitVersion).toBe('v1.36.3');
    expect(client.requestCount()).toBe(1);
  });

  it('classifies a wrong CA as a TLS failure', async () => {
    const client = createKubernetesClient(conn(env.tokens.reader, { caData: undefined }));
    const res = await client.request({ path: '/version' });
    expect(res.ok).toBe(false);
    expect(!res.ok && res.error.reason).toBe('tls');
  });

  it('classifies a bad token as unauthorized (401)', async () => {
    const client = createKubernetesClient(conn('not-a-token'));
    const res = await client.request({ path: '/api/v1/nodes' });
    expect(!res.ok && res.error).toMatchObject({ reason: 'unauthorized', httpStatus: 401 });
  });

  it('names the missing RBAC rule when the identity has no binding', async () => {
    const client = createKubernetesClient(conn(env.tokens.nobody));
    const snapshot = await createClusterSnapshotLoader({ client, namespaces: { kserve: 'kserve', kyverno: 'kyverno' } }).load();
    const crds = snapshot.collections.customResourceDefinitions!;
    expect(crds.ok).toBe(false);
    expect(!crds.ok && crds.error).toMatchObject({
      reason: 'forbidden',
      httpStatus: 403,
      missingRule: { apiGroup: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', verb: 'list' },
    });
  });

  it('reads a whole snapshot in one round: one call per collection and namespace', async () => {
    const client = createKubernetesClient(conn(env.tokens.reader));
    const snapshot = await createClusterSnapshotLoader({ client, namespaces: { kserve: 'kserve', kyverno: 'kyverno' } }).load();
    // /version + 10 cluster-wide lists + 3 kinds x 2 control-plane namespaces
    expect(snapshot.requestCount).toBe(17);
    for (const [name, r] of Object.entries(snapshot.collections)) {
      expect([name, r!.ok]).toEqual([name, true]);
    }
  });

  it('asks its credential provider before every request, so a rotated token is used at once', async () => {
    const tokens = [env.tokens.nobody, env.tokens.reader];
    let asked = 0;
    const client = createKubernetesClient({
      ...conn(''),
      credentials: async () => ({ token: tokens[Math.min(asked++, 1)] }),
    });
    const first = await client.request({ path: '/api/v1/nodes' });
    expect(!first.ok && first.error.reason).toBe('forbidden');
    const second = await client.request({ path: '/api/v1/nodes' });
    expect(second.ok).toBe(true);
    expect(asked).toBe(2);
  });

  it('reports a failing credential provider as unauthorized, without sending the request', async () => {
    const client = createKubernetesClient({
      ...conn(''),
      credentials: async () => {
        throw new Error('exec plugin exited with 1');
      },
    });
    const res = await client.request({ path: '/version' });
    expect(!res.ok && res.error).toMatchObject({
      reason: 'unauthorized',
      message: expect.stringContaining('exec plugin exited with 1'),
    });
    expect(!res.ok && res.status).toBeUndefined();
  });

  it('loads the connection from the kubeconfig the testenv wrote', async () => {
    const c = loadKubeconfig(env.kubeconfigPath, 'reader');
    const res = await createKubernetesClient(c).request({ path: '/api/v1/namespaces' });
    expect(res.ok).toBe(true);
  });
});

describe('createKubernetesClient against a stalled server', () => {
  it('gives up after its timeout with reason timeout', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer(s => sockets.push(s)).listen(0, '127.0.0.1');
    await new Promise(r => server.once('listening', r));
    const port = (server.address() as net.AddressInfo).port;
    const client = createKubernetesClient({
      name: 'stalled',
      url: `https://127.0.0.1:${port}`,
      credentials: staticCredentials({}),
      timeoutMs: 300,
    });
    const started = Date.now();
    const res = await client.request({ path: '/version' });
    const took = Date.now() - started;
    expect(!res.ok && res.error.reason).toBe('timeout');
    expect(took).toBeLessThan(3000);
    sockets.forEach(s => s.destroy());
    server.close();
  });

  it('reports a refused connection as unreachable', async () => {
    const client = createKubernetesClient({
      name: 'none',
      url: 'https://127.0.0.1:1',
      credentials: staticCredentials({}),
      timeoutMs: 1000,
    });
    const res = await client.request({ path: '/version' });
    expect(!res.ok && res.error.reason).toBe('unreachable');
  });
});
