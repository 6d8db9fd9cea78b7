import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { TestEnv, startTestEnv } from '@internal/testenv';
import { createClusterSnapshotLoader } from '../snapshot/createClusterSnapshotLoader';
import { staticCredentials } from '../credentials/staticCredentials';
import { loadKubeconfig } from '../kubeconfig/loadKubeconfig';
import { createKubernetesClient } from './createKubernetesClient';
import { listAll } from './listAll';

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
    const client = createKubernetesClient(
      conn(env.tokens.reader, { caData: undefined }),
    );
    const res = await client.request({ path: '/version' });
    expect(res.ok).toBe(false);
    expect(!res.ok && res.error.reason).toBe('tls');
  });

  it('classifies a bad token as unauthorized (401)', async () => {
    const client = createKubernetesClient(conn('not-a-token'));
    const res = await client.request({ path: '/api/v1/nodes' });
    expect(!res.ok && res.error).toMatchObject({
      reason: 'unauthorized',
      httpStatus: 401,
    });
  });

  it('names the missing RBAC rule when the identity has no binding', async () => {
    const client = createKubernetesClient(conn(env.tokens.nobody));
    const snapshot = await createClusterSnapshotLoader({
      client,
      namespaces: { kserve: 'kserve', kyverno: 'kyverno' },
    }).load();
    const crds = snapshot.collections.customResourceDefinitions!;
    expect(crds.ok).toBe(false);
    expect(!crds.ok && crds.error).toMatchObject({
      reason: 'forbidden',
      httpStatus: 403,
      missingRule: {
        apiGroup: 'apiextensions.k8s.io',
        resource: 'customresourcedefinitions',
        verb: 'list',
      },
    });
  });

  it('reads a whole snapshot: one call per collection and namespace, Services only where webhooks point', async () => {
    const client = createKubernetesClient(conn(env.tokens.reader));
    const snapshot = await createClusterSnapshotLoader({
      client,
      namespaces: { kserve: 'kserve', kyverno: 'kyverno' },
    }).load();
    // /version + 11 cluster-wide LISTs + 3 kinds (deployments, pods, events) x 2 control-plane namespaces
    // + Services and EndpointSlices x 2 namespaces (kserve, kyverno: where the healthy scenario's webhooks
    // point, which are the control-plane ones); every LIST is one page of at most 500 items here.
    expect(snapshot.requestCount).toBe(22);
    for (const [name, r] of Object.entries(snapshot.collections)) {
      // The healthy scenario runs Kyverno 1.12, which has no ValidatingPolicy CRD (1.14+).
      expect([name, r!.ok ? 'read' : r!.error.reason]).toEqual([
        name,
        name === 'validatingPolicies' ? 'not-installed' : 'read',
      ]);
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
    const res = await createKubernetesClient(c).request({
      path: '/api/v1/namespaces',
    });
    expect(res.ok).toBe(true);
  });

  describe('against a local HTTPS server (transport-level classification only)', () => {
    let server: https.Server;
    let url: string;
    let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void;
    beforeAll(async () => {
      // The API server's own certificate: valid for 127.0.0.1 and signed by the CA the tests trust.
      server = https.createServer(
        {
          cert: fs.readFileSync(path.join(env.dataDir, 'certs/apiserver.crt')),
          key: fs.readFileSync(path.join(env.dataDir, 'certs/apiserver.key')),
        },
        (req, res) => handler(req, res),
      );
      await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
      url = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise(r => server.close(r));
    });
    const local = (extra = {}) =>
      createKubernetesClient({
        name: 'local',
        url,
        caData: env.caData,
        credentials: staticCredentials({}),
        ...extra,
      });

    it('fails an answer over the size cap instead of cutting it short', async () => {
      handler = (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            kind: 'List',
            items: Array.from({ length: 5000 }, (_, i) => ({ i })),
          }),
        );
      };
      const res = await local({ maxBodyBytes: 10_000 }).request({
        path: '/api/v1/services',
      });
      expect(!res.ok && res.error).toMatchObject({
        reason: 'failed',
        request: 'GET /api/v1/services',
        message:
          'the answer is larger than 10000 bytes, the most this client reads',
      });
    });

    it('fails a 200 that is not JSON when JSON was asked for', async () => {
      handler = (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<html>login page of a proxy</html>');
      };
      const res = await local().request({ path: '/api/v1/services' });
      expect(!res.ok && res.error).toMatchObject({
        reason: 'failed',
        message:
          'the answer is not JSON (Content-Type text/html): <html>login page of a proxy</html>',
      });
    });

    it('fails a LIST whose answer has no items array, or that hands back the same continue token', async () => {
      handler = (req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          req.url!.startsWith('/api/v1/services')
            ? '{}'
            : '{"items":[{}],"metadata":{"continue":"again"}}',
        );
      };
      const empty = await listAll(local(), '/api/v1/services');
      expect(!empty.ok && empty.error).toMatchObject({
        reason: 'failed',
        request: 'GET /api/v1/services',
        message: 'the answer is not a list: it has no items array',
      });
      const looping = await listAll(local(), '/api/v1/pods');
      expect(!looping.ok && looping.error.message).toBe(
        'the server answered a continue token with the same token',
      );
    });

    it('waits a 503 Retry-After once and returns the second answer', async () => {
      let calls = 0;
      handler = (_req, res) => {
        calls += 1;
        if (calls === 1) {
          res.writeHead(503, { 'Retry-After': '1' });
          res.end();
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"items":[]}');
      };
      const client = local();
      const started = Date.now();
      const res = await client.request({ path: '/api/v1/services' });
      expect(res.ok).toBe(true);
      expect(client.requestCount()).toBe(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    });

    it('waits a 429 Retry-After once, then reports throttled', async () => {
      handler = (_req, res) => {
        res.writeHead(429, {
          'Retry-After': '1',
          'Content-Type': 'application/json',
        });
        res.end(
          '{"kind":"Status","message":"Too many requests, please try again later.","code":429}',
        );
      };
      const client = local();
      const started = Date.now();
      const res = await client.request({ path: '/api/v1/services' });
      expect(!res.ok && res.error).toMatchObject({
        reason: 'throttled',
        httpStatus: 429,
        message:
          'Too many requests, please try again later. (refused again after waiting 1000 ms as asked)',
      });
      expect(client.requestCount()).toBe(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    });

    it('reports throttled at once when the Retry-After does not fit in the timeout', async () => {
      handler = (_req, res) => {
        res.writeHead(429, { 'Retry-After': '2' });
        res.end('{"message":"too many requests"}');
      };
      const client = local({ timeoutMs: 1000 });
      const res = await client.request({ path: '/api/v1/services' });
      expect(!res.ok && res.error).toMatchObject({
        reason: 'throttled',
        message:
          'too many requests (the server asked to retry after 2000 ms, past the 1000 ms timeout)',
      });
      expect(client.requestCount()).toBe(1);
    });

    it('times out from the start of the request, however slowly the bytes keep coming', async () => {
      handler = (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        const timer = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(timer));
      };
      const started = Date.now();
      const res = await local({ timeoutMs: 400 }).request({
        path: '/api/v1/services',
      });
      expect(!res.ok && res.error.reason).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(1500);
    });

    it('counts the time credentials take against the same timeout', async () => {
      handler = (_req, res) => res.end('{}');
      const client = local({
        timeoutMs: 300,
        credentials: () => new Promise(() => {}),
      });
      const started = Date.now();
      const res = await client.request({ path: '/version' });
      expect(!res.ok && res.error).toMatchObject({
        reason: 'timeout',
        message: 'no credentials for cluster local within 300 ms',
      });
      expect(Date.now() - started).toBeLessThan(1500);
    });
  });
});

describe('createKubernetesClient against a stalled server', () => {
  it('gives up after its timeout with reason timeout', async () => {
    const sockets: net.Socket[] = [];
    const server = net
      .createServer(s => sockets.push(s))
      .listen(0, '127.0.0.1');
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

describe('createKubernetesClient through a Backstage backend (the Kubernetes plugin proxy)', () => {
  let server: http.Server;
  let url: string;
  const seen: http.IncomingHttpHeaders[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.headers);
      res.setHeader('content-type', 'application/json');
      if (req.url?.endsWith('/version')) {
        res.end(JSON.stringify({ gitVersion: 'v1.36.3' }));
        return;
      }
      // How a Backstage backend answers its own failures, e.g. an unknown cluster.
      res.statusCode = 404;
      res.end(
        JSON.stringify({
          error: { name: 'NotFoundError', message: "Cluster 'gone' not found" },
        }),
      );
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${
      (server.address() as net.AddressInfo).port
    }/api/kubernetes/proxy`;
  });
  afterAll(async () => {
    await new Promise(r => server.close(r));
  });

  it('never sends a token over plain http unless the connection allows it (a discovered backend URL)', async () => {
    const refused = createKubernetesClient({
      name: 'c',
      url,
      credentials: staticCredentials({ token: 't' }),
    });
    const r = await refused.request({ path: '/version' });
    expect(r.ok ? 'sent' : r.error.message).toContain(
      'is not https; tokens are never sent in clear text',
    );
    expect(seen).toHaveLength(0);
  });

  it('sends the extra headers of the credentials, and reads a Backstage error as a failed read, not a missing resource', async () => {
    const client = createKubernetesClient({
      name: 'c',
      url,
      allowPlainHttp: true,
      credentials: async () => ({
        token: 'plugin-token',
        headers: { 'Backstage-Kubernetes-Cluster': 'prod' },
      }),
    });
    const ok = await client.request({ path: '/version' });
    expect(ok.ok && ok.body.gitVersion).toBe('v1.36.3');
    expect(seen[0]).toMatchObject({
      authorization: 'Bearer plugin-token',
      'backstage-kubernetes-cluster': 'prod',
    });
    const missing = await client.request({
      path: '/apis/serving.kserve.io/v1beta1/inferenceservices',
    });
    expect(
      missing.ok ? undefined : [missing.error.reason, missing.error.message],
    ).toEqual(['failed', "NotFoundError: Cluster 'gone' not found"]);
  });
});
