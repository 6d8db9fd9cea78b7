import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { useTestEnv } from '@internal/testenv';
import { createKubernetesClient } from '../client/createKubernetesClient';
import { createClusterSnapshotLoader } from '../snapshot/createClusterSnapshotLoader';
import { defaultKubeconfigFiles, loadKubeconfig } from './loadKubeconfig';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('loadKubeconfig', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (text: string, name = `k${Math.random()}.yaml`) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };
  const withUser = (user: string, cluster = '{server: "https://h"}') =>
    write(`
current-context: x
clusters: [{name: c, cluster: ${cluster}}]
users: [{name: u, user: ${user}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
`);

  it('reads the named context with token and CA data', async () => {
    const f = write(`
apiVersion: v1
kind: Config
current-context: one
clusters:
- name: c1
  cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: ${Buffer.from(
    PEM,
  ).toString('base64')}}
users:
- name: u1
  user: {token: secret-token}
- name: u2
  user: {token: other}
contexts:
- name: one
  context: {cluster: c1, user: u1}
- name: two
  context: {cluster: c1, user: u2}
`);
    const one = loadKubeconfig(f);
    expect(one).toMatchObject({
      name: 'c1',
      url: 'https://127.0.0.1:6443',
      caData: PEM,
    });
    expect((await one.credentials()).token).toBe('secret-token');
    expect((await loadKubeconfig(f, 'two').credentials()).token).toBe('other');
  });

  it('names a missing context, an unreadable file, bad YAML and what KubeConfig rejects', () => {
    const f = write('current-context: nope\ncontexts: []\n');
    expect(() => loadKubeconfig(f)).toThrow(
      `Kubeconfig ${f} has no context 'nope'`,
    );
    expect(() => loadKubeconfig(path.join(dir, 'missing.yaml'))).toThrow(
      'Cannot read kubeconfig',
    );
    const bad = write('clusters: [\n  - {name: c\n');
    expect(() => loadKubeconfig(bad)).toThrow(
      `Kubeconfig ${bad} is not valid YAML`,
    );
    const noServer = write('clusters: [{name: c, cluster: {}}]\n');
    expect(() => loadKubeconfig(noServer)).toThrow(
      `Kubeconfig ${noServer}: clusters[0].cluster.server is missing`,
    );
  });

  it('refuses what it would silently get wrong, saying why', () => {
    expect(() =>
      loadKubeconfig(withUser('{username: admin, password: secret}')),
    ).toThrow(
      /user 'u' uses username\/password \(basic auth\), which Kubernetes removed in 1\.19/,
    );
    expect(() =>
      loadKubeconfig(withUser('{token: t, as: someone-else}')),
    ).toThrow(/user 'u' impersonates 'someone-else'/);
    expect(() =>
      loadKubeconfig(
        withUser(
          '{token: t}',
          '{server: "https://h", proxy-url: "socks5://p:1080"}',
        ),
      ),
    ).toThrow(
      /proxy-url with scheme socks5; serving-health tunnels through http:\/\/ and https:\/\/ proxies only/,
    );
    expect(() =>
      loadKubeconfig(withUser('{token: t}', '{server: "http://h:8080"}')),
    ).toThrow(
      /has server http:\/\/h:8080; serving-health talks to API servers over https only/,
    );
  });

  it("reads kubectl's files without --kubeconfig: $KUBECONFIG merged (first wins), else ~/.kube/config", async () => {
    const saved = {
      KUBECONFIG: process.env.KUBECONFIG,
      HOME: process.env.HOME,
    };
    try {
      const first = write(`
current-context: a
clusters: [{name: c, cluster: {server: "https://first"}}]
users: [{name: u, user: {token: from-first}}]
contexts: [{name: a, context: {cluster: c, user: u}}]
`);
      const second = write(`
current-context: b
clusters: [{name: c, cluster: {server: "https://second"}}, {name: d, cluster: {server: "https://d"}}]
users: [{name: u, user: {token: from-second}}]
contexts: [{name: b, context: {cluster: d, user: u}}]
`);
      process.env.KUBECONFIG = [
        path.join(dir, 'absent.yaml'),
        first,
        second,
      ].join(path.delimiter);
      expect(defaultKubeconfigFiles()).toHaveLength(3);
      const a = loadKubeconfig();
      expect(a.url).toBe('https://first');
      expect((await a.credentials()).token).toBe('from-first');
      expect(loadKubeconfig(undefined, 'b').url).toBe('https://d');

      delete process.env.KUBECONFIG;
      const home = fs.mkdtempSync(path.join(dir, 'home-'));
      process.env.HOME = home;
      expect(() => loadKubeconfig()).toThrow(
        `No kubeconfig: none given, and ${path.join(
          home,
          '.kube',
          'config',
        )} does not exist`,
      );
      fs.mkdirSync(path.join(home, '.kube'));
      fs.copyFileSync(first, path.join(home, '.kube', 'config'));
      expect(loadKubeconfig().url).toBe('https://first');
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe('kubeconfig users against a real API server', () => {
  jest.setTimeout(60_000);
  const env = useTestEnv({ scenario: 'healthy' });
  const namespaces = { kserve: 'kserve', kyverno: 'kyverno' };
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-real-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A kubeconfig for the testenv in `dir`, with this user and cluster extras. */
  const kubeconfig = (user: object, cluster: object = {}) => {
    const file = path.join(dir, 'config');
    fs.writeFileSync(
      file,
      YAML.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'test',
        clusters: [
          {
            name: 'testenv',
            cluster: {
              server: env().url,
              'certificate-authority-data': Buffer.from(env().caData).toString(
                'base64',
              ),
              ...cluster,
            },
          },
        ],
        users: [{ name: 'someone', user }],
        contexts: [
          { name: 'test', context: { cluster: 'testenv', user: 'someone' } },
        ],
      }),
    );
    return file;
  };
  /** An executable in `dir` that appends a line to `runs` each time it runs, then prints `output`. */
  const script = (name: string, output: object | string, exitCode = 0) => {
    const file = path.join(dir, name);
    const text = typeof output === 'string' ? output : JSON.stringify(output);
    fs.writeFileSync(
      file,
      `#!/bin/sh\necho run >> "${path.join(dir, 'runs')}"\ncat <<'JSON'${
        exitCode ? ' >&2' : ''
      }\n${text}\nJSON\nexit ${exitCode}\n`,
      { mode: 0o755 },
    );
    return file;
  };
  const runs = () =>
    fs.readFileSync(path.join(dir, 'runs'), 'utf8').trim().split('\n').length;
  const execCredential = (status: object) => ({
    apiVersion: 'client.authentication.k8s.io/v1',
    kind: 'ExecCredential',
    status,
  });

  it('reads a snapshot as an exec credential plugin user, running the plugin once while its credential lasts', async () => {
    script(
      'credential-plugin',
      execCredential({
        token: env().tokens.reader,
        expirationTimestamp: new Date(Date.now() + 3600_000).toISOString(),
      }),
    );
    const file = kubeconfig({
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        // Relative to the kubeconfig's directory, as kubectl resolves it.
        command: './credential-plugin',
        interactiveMode: 'Never',
      },
    });
    const client = createKubernetesClient(loadKubeconfig(file));
    const snapshot = await createClusterSnapshotLoader({
      client,
      namespaces,
    }).load();
    for (const [name, r] of Object.entries(snapshot.collections)) {
      // The healthy scenario runs Kyverno 1.12, which has no ValidatingPolicy CRD (1.14+).
      expect([name, r!.ok ? 'read' : r!.error.reason]).toEqual([
        name,
        name === 'validatingPolicies' ? 'not-installed' : 'read',
      ]);
    }
    expect(runs()).toBe(1);
  });

  it('reports a failing exec plugin as unauthorized with what it printed', async () => {
    script('credential-plugin', 'no cached login; run sso login first', 1);
    const file = kubeconfig({
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: './credential-plugin',
      },
    });
    const res = await createKubernetesClient(loadKubeconfig(file)).request({
      path: '/version',
    });
    expect(!res.ok && res.error).toMatchObject({
      reason: 'unauthorized',
      message: expect.stringContaining('no cached login; run sso login first'),
    });
  });

  it('refreshes an expired auth-provider token through its command', async () => {
    script('gcloud', {
      credential: {
        access_token: env().tokens.reader,
        token_expiry: new Date(Date.now() + 3600_000).toISOString(),
      },
    });
    const file = kubeconfig({
      'auth-provider': {
        name: 'gcp',
        config: {
          'access-token': 'expired-token',
          expiry: '2020-01-01T00:00:00Z',
          'cmd-path': path.join(dir, 'gcloud'),
          'token-key': '{.credential.access_token}',
          'expiry-key': '{.credential.token_expiry}',
        },
      },
    });
    const res = await createKubernetesClient(loadKubeconfig(file)).request({
      path: '/api/v1/nodes',
    });
    expect(res.ok).toBe(true);
    expect(runs()).toBe(1);
  });

  it('reads a rotated token file at the next request', async () => {
    const tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, `${env().tokens.nobody}\n`);
    const client = createKubernetesClient(
      loadKubeconfig(kubeconfig({ tokenFile: './token' })),
    );
    const before = await client.request({ path: '/api/v1/nodes' });
    expect(!before.ok && before.error.reason).toBe('forbidden');
    fs.writeFileSync(tokenFile, `${env().tokens.reader}\n`);
    const after = await client.request({ path: '/api/v1/nodes' });
    expect(after.ok).toBe(true);
  });

  it('tunnels through the proxy-url', async () => {
    const connects: string[] = [];
    const tunnels: net.Socket[] = [];
    const proxy = http.createServer();
    proxy.on(
      'connect',
      (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
        connects.push(req.url!);
        tunnels.push(socket);
        const [host, port] = req.url!.split(':');
        const upstream = net.connect(Number(port), host, () => {
          socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.write(head);
          upstream.pipe(socket).pipe(upstream);
        });
        upstream.on('error', () => socket.destroy());
        socket.on('error', () => upstream.destroy());
      },
    );
    await new Promise<void>(r => proxy.listen(0, '127.0.0.1', r));
    try {
      const { port } = proxy.address() as net.AddressInfo;
      const file = kubeconfig(
        { token: env().tokens.reader },
        { 'proxy-url': `http://127.0.0.1:${port}` },
      );
      const client = createKubernetesClient(loadKubeconfig(file));
      const snapshot = await createClusterSnapshotLoader({
        client,
        namespaces,
      }).load();
      expect(snapshot.version.ok).toBe(true);
      expect(snapshot.collections.inferenceServices?.ok).toBe(true);
      expect(connects.length).toBeGreaterThan(0);
      expect(new Set(connects)).toEqual(new Set([new URL(env().url).host]));
    } finally {
      tunnels.forEach(t => t.destroy());
      await new Promise(r => proxy.close(r));
    }
  });
});
