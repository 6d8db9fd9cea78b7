import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { KUBERNETES_VERSION } from './build';
import { useTestEnv } from './jest';
import { accessFromKubeconfig, KubeClient } from './kube';
import { packageDir, stateDir } from './paths';
import { isRunning, startTestEnv, USERS } from './testenv';

// Every test talks to a real API server: a loaded two-core machine needs more than jest's 5 s default.
jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function waitUntil(what: string, ok: () => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting until ${what}`);
    }
    await sleep(100);
  }
}

describe('startTestEnv', () => {
  const env = useTestEnv({ name: 'lifecycle' });

  it('runs the pinned Kubernetes release, ready within seconds', async () => {
    const client = new KubeClient(env().access('reader'));
    const version = await client.get('/version');
    client.close();
    expect(version.gitVersion).toBe(KUBERNETES_VERSION);
    expect(env().url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(env().timings.readyMs).toBeLessThan(30_000);
  });

  it('has three distinct random identities, only one of them bound to nothing', async () => {
    const tokens = Object.values(env().tokens);
    expect(new Set(tokens).size).toBe(3);
    tokens.forEach(t => expect(t).toMatch(/^[0-9a-f]{48}$/));

    const client = (id: 'admin' | 'reader' | 'nobody') =>
      new KubeClient(env().access(id));
    const status = (c: KubeClient, p: string) =>
      c.get(p).then(
        () => 200,
        e => e.statusCode,
      );
    const [admin, reader, nobody] = [
      client('admin'),
      client('reader'),
      client('nobody'),
    ];
    try {
      expect(await status(admin, '/api/v1/secrets')).toBe(200);
      // the reader has exactly deploy/rbac.yaml: pods yes, secrets no, no writes
      expect(await status(reader, '/api/v1/pods')).toBe(200);
      expect(await status(reader, '/api/v1/secrets')).toBe(403);
      expect(
        await reader
          .post('/api/v1/namespaces', { metadata: { name: 'x' } })
          .catch(e => e.statusCode),
      ).toBe(403);
      // nobody is authenticated (discovery, /version) and authorized for nothing else
      expect(await status(nobody, '/version')).toBe(200);
      expect(await status(nobody, '/api/v1/pods')).toBe(403);
    } finally {
      [admin, reader, nobody].forEach(c => c.close());
    }
  });

  it('writes a kubeconfig with admin, reader and nobody contexts, reader current', async () => {
    const config = YAML.parse(fs.readFileSync(env().kubeconfigPath, 'utf8'));
    expect(config['current-context']).toBe('reader');
    expect(config.contexts.map((c: any) => c.name)).toEqual([
      'admin',
      'reader',
      'nobody',
    ]);
    expect(config.clusters[0].name).toBe('lifecycle');
    expect(accessFromKubeconfig(env().kubeconfigPath)).toEqual(
      env().access('admin'),
    );
    expect(accessFromKubeconfig(env().kubeconfigPath, 'reader')).toEqual(
      env().access('reader'),
    );
  });

  it('binds the shipped ClusterRoles to the reader user', async () => {
    const client = new KubeClient(env().access('admin'));
    const bindings = await client.get(
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
    );
    client.close();
    const ours = bindings.items
      .filter((b: any) => b.metadata.name.endsWith('-testenv'))
      .map((b: any) => [b.roleRef.name, b.subjects[0].name]);
    expect(ours).toEqual([
      ['serving-health-dry-run', USERS.reader.user],
      ['serving-health-reader', USERS.reader.user],
    ]);
  });
});

describe('the network of a testenv', () => {
  const env = useTestEnv({ name: 'egress', scenario: 'healthy' });

  it('answers a URL webhook itself: the API server dials nothing outside the machine', async () => {
    const admin = new KubeClient(env().access('admin'));
    try {
      const ca = (
        await admin.get(
          `/api/v1/namespaces/kube-system/configmaps/testenv-webhook-ca`,
        )
      ).data['ca.crt'];
      // A host under .invalid never resolves anywhere: the call can only succeed through the testenv's
      // in-process egress proxy, which answers it and dials nothing.
      await admin.post(
        '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
        {
          metadata: { name: 'url-webhook' },
          webhooks: [
            {
              name: 'configmaps.outside.example.invalid',
              clientConfig: {
                url: 'https://webhook.outside.example.invalid/validate',
                caBundle: Buffer.from(ca).toString('base64'),
              },
              rules: [
                {
                  apiGroups: [''],
                  apiVersions: ['v1'],
                  operations: ['CREATE'],
                  resources: ['configmaps'],
                },
              ],
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': 'default' },
              },
              failurePolicy: 'Fail',
              sideEffects: 'None',
              admissionReviewVersions: ['v1'],
              timeoutSeconds: 5,
            },
          ],
        },
      );
      const created = await admin.post(
        '/api/v1/namespaces/default/configmaps',
        {
          metadata: { name: 'through-url-webhook' },
          data: { a: 'b' },
        },
      );
      expect(created.metadata.name).toBe('through-url-webhook');
    } finally {
      await admin
        .delete(
          '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/url-webhook',
        )
        .catch(() => undefined);
      admin.close();
    }
  });

  it("serves a container's log through the API server from the scenario's logs/ directory", async () => {
    const admin = new KubeClient(env().access('admin'));
    try {
      // A pod of the scenario, on its node: the API server asks that node's kubelet for the log.
      const pods = await admin.get('/api/v1/namespaces/kserve/pods');
      const pod = pods.items[0].metadata.name;
      const dir = path.join(env().dataDir, 'logs/kserve', pod);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'manager.log'), 'one\ntwo\nthree\n');
      const tail = await admin.get(
        `/api/v1/namespaces/kserve/pods/${pod}/log?container=manager&tailLines=2`,
      );
      expect(tail).toBe('two\nthree\n');
      await expect(
        admin.get(
          `/api/v1/namespaces/kserve/pods/${pod}/log?container=kube-rbac-proxy`,
        ),
      ).rejects.toMatchObject({ statusCode: 404 });
    } finally {
      admin.close();
    }
  });
});

describe('stopping', () => {
  it('leaves neither a process nor files behind', async () => {
    const env = await startTestEnv({ name: 'stop' });
    expect(isRunning(env.pid)).toBe(true);
    await env.stop();
    expect(isRunning(env.pid)).toBe(false);
    expect(fs.existsSync(env.dataDir)).toBe(false);
    await env.stop(); // idempotent
  }, 120_000);

  it('stops and cleans up by itself when its parent process is killed', async () => {
    // A parent that starts a testenv, reports it and waits to be killed.
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `require('@backstage/cli-node/config/nodeTransform.cjs');
         require(${JSON.stringify(path.join(packageDir, 'src/testenv.ts'))})
           .startTestEnv({ name: 'orphan' })
           .then(env => console.log(JSON.stringify({ pid: env.pid, dataDir: env.dataDir })));
         setInterval(() => {}, 1000);`,
      ],
      { cwd: packageDir, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const started: { pid: number; dataDir: string } = await new Promise(
      (resolve, reject) => {
        parent.stdout.on('data', d => resolve(JSON.parse(String(d))));
        parent.on('exit', code =>
          reject(new Error(`parent exited with ${code}`)),
        );
      },
    );
    expect(isRunning(started.pid)).toBe(true);
    parent.kill('SIGKILL');
    await waitUntil(
      'the orphaned API server exits',
      () => !isRunning(started.pid),
    );
    await waitUntil(
      'its data dir is removed',
      () => !fs.existsSync(started.dataDir),
    );
  }, 120_000);
});

describe('yarn testenv', () => {
  const cli = path.join(packageDir, 'bin/testenv');
  const run = (...args: string[]) =>
    promisify(execFile)(process.execPath, [cli, ...args], { cwd: packageDir });
  // unique: .testenv/ is shared with anyone else running testenvs in this repo
  const name = `jest-cli-${process.pid}`;

  it('starts detached, loads a directory into it, and stops it', async () => {
    const up = await run('up', '--detach', '--name', name);
    const kubeconfig = up.stdout.match(/^KUBECONFIG=(.+)$/m)![1];
    const state = JSON.parse(
      fs.readFileSync(path.join(stateDir, `${name}.json`), 'utf8'),
    );
    expect(isRunning(state.pid)).toBe(true);

    await expect(run('up', '--detach', '--name', name)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`testenv "${name}" is already running`),
    });

    const applied = await run(
      'apply',
      path.join(packageDir, '../../scenarios/healthy'),
      '--kubeconfig',
      kubeconfig,
    );
    expect(applied.stderr).toMatch(/applied \d+ objects of scenarios\/healthy/);

    // The demo's cluster change, and back; a second restore has nothing to restore.
    const offline = await run(
      'change',
      'kserve-webhook-offline',
      '--kubeconfig',
      kubeconfig,
    );
    expect(offline.stderr).toContain('has no ready endpoint now');
    const online = await run(
      'change',
      'kserve-webhook-online',
      '--kubeconfig',
      kubeconfig,
    );
    expect(online.stderr).toContain('has its endpoint again');
    await expect(
      run('change', 'kserve-webhook-online', '--kubeconfig', kubeconfig),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('nothing to restore'),
    });

    await run('down', '--name', name);
    expect(isRunning(state.pid)).toBe(false);
    expect(fs.existsSync(state.dataDir)).toBe(false);
    expect(fs.existsSync(path.join(stateDir, `${name}.json`))).toBe(false);
  }, 120_000);

  it('exits 2 on usage errors', async () => {
    await expect(run('frobnicate')).rejects.toMatchObject({ code: 2 });
    await expect(run('apply')).rejects.toMatchObject({ code: 2 });
    await expect(run('change', 'frobnicate')).rejects.toMatchObject({
      code: 2,
    });
  }, 30_000);
});
