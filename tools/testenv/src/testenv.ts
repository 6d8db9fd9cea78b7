import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { apiServerBinary, buildApiServer } from './build';
import { ClusterAccess, KubeClient } from './kube';
import { rbacFile } from './paths';
import {
  applyFiles,
  loadScenario,
  Scenario,
  WEBHOOK_CA_CONFIGMAP,
} from './scenario';
import { installScenarioLogs } from './logs';

export type Identity = 'admin' | 'reader' | 'nobody';

/**
 * The three identities of every testenv. `reader` is bound to the plugin's
 * shipped ClusterRoles (deploy/rbac.yaml), so every read the plugin makes is
 * authorized exactly as in production; `nobody` has no binding at all and gets
 * the API server's real 403s.
 */
export const USERS: Record<Identity, { user: string; groups: string[] }> = {
  admin: { user: 'testenv-admin', groups: ['system:masters'] },
  reader: { user: 'serving-health', groups: [] },
  nobody: { user: 'testenv-nobody', groups: [] },
};

export interface TestEnv {
  /** cluster name in the kubeconfig (and in the demo's app-config) */
  name: string;
  /** https://127.0.0.1:<port> */
  url: string;
  /** PEM of the CA that signed the serving certificate */
  caData: string;
  /** random per start */
  tokens: Record<Identity, string>;
  /** contexts `admin`, `reader`, `nobody`; current context `reader` */
  kubeconfigPath: string;
  /** fresh directory under the OS tmpdir; removed by stop() */
  dataDir: string;
  pid: number;
  /** the scenario that was loaded, if any */
  scenario?: Scenario;
  timings: {
    /** spawn until /readyz answers 200 */
    readyMs: number;
    /** RBAC and kubeconfig */
    setupMs: number;
    scenarioMs?: number;
  };
  access(identity?: Identity): ClusterAccess;
  /** SIGTERM, wait for the process to exit, remove the data dir. Idempotent. */
  stop(): Promise<void>;
}

export interface StartTestEnvOptions {
  /** scenario name (a directory of scenarios/) or a path to a directory of YAML */
  scenario?: string;
  /** defaults to the scenario's name, else "testenv" */
  name?: string;
  /**
   * Keep running after this process exits (`yarn testenv up --detach`).
   * Otherwise the API server stops by itself when this process dies, even
   * on SIGKILL, and removes its data dir.
   */
  detached?: boolean;
  /**
   * Extra kube-apiserver flags, after the testenv's own (a later flag wins), e.g.
   * `--etcd-compaction-interval=1s` to expire continue tokens within seconds.
   */
  apiServerFlags?: string[];
  log?: (line: string) => void;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
const PORT_ATTEMPTS = 3;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function token(): string {
  return randomBytes(24).toString('hex');
}

/** The serving certificate file is a bundle; clients need only its CA. */
function readCa(certFile: string): string | undefined {
  let pem: string;
  try {
    pem = fs.readFileSync(certFile, 'utf8');
  } catch {
    return undefined;
  }
  const blocks =
    pem.match(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g,
    ) ?? [];
  try {
    const ca = blocks.find(b => new X509Certificate(b).ca);
    return ca ? `${ca}\n` : undefined;
  } catch {
    return undefined; // still being written
  }
}

function logTail(logFile: string, lines = 25): string {
  try {
    return fs
      .readFileSync(logFile, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .join('\n');
  } catch {
    return '(no log)';
  }
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL if it does not exit in time. */
export async function stopProcess(pid: number): Promise<void> {
  if (!isRunning(pid)) {
    return;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isRunning(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
    }
    await sleep(50);
  }
}

interface Spawned {
  child: ChildProcess;
  port: number;
  exited: Promise<number | null>;
}

function spawnApiServer(
  dataDir: string,
  port: number,
  tokenFile: string,
  logFile: string,
  detached: boolean,
  apiServerFlags: string[],
): Spawned {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(
    apiServerBinary,
    [
      `--dir=${dataDir}`,
      `--port=${port}`,
      `--token-auth-file=${tokenFile}`,
      ...(detached ? [] : ['--exit-with-parent']),
      '--',
      // Events are evidence in the scenarios; the default TTL (1h) would
      // silently delete them from a long-running demo.
      '--event-ttl=8760h',
      // Without it SIGTERM waits for open watches until STOP_TIMEOUT_MS kills the server: 30 s per stop of a
      // cluster a backend still watches (measured), instead of about 1 s.
      '--shutdown-watch-termination-grace-period=1s',
      ...apiServerFlags,
    ],
    {
      // Own process group: Ctrl-C in a terminal reaches only our process, which
      // then stops the API server once, in order.
      detached: true,
      stdio: [detached ? 'ignore' : 'pipe', log, log],
    },
  );
  fs.closeSync(log);
  const exited = new Promise<number | null>(resolve => {
    child.on('exit', code => resolve(code));
    child.on('error', () => resolve(-1));
  });
  if (detached) {
    child.unref();
  }
  return { child, port, exited };
}

async function waitReady(
  spawned: Spawned,
  dataDir: string,
  adminToken: string,
  logFile: string,
): Promise<{ url: string; caData: string }> {
  const url = `https://127.0.0.1:${spawned.port}`;
  const certFile = path.join(dataDir, 'certs/apiserver.crt');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exitCode: number | null | undefined;
  spawned.exited.then(code => {
    exitCode = code;
  });
  let client: KubeClient | undefined;
  try {
    while (Date.now() < deadline) {
      if (exitCode !== undefined) {
        throw new Error(
          `testenv-apiserver exited (code ${exitCode}) before it was ready:\n${logTail(
            logFile,
          )}`,
        );
      }
      const caData = client?.access.caData ?? readCa(certFile);
      if (caData) {
        client ??= new KubeClient({ url, caData, token: adminToken });
        // /readyz turns 200 only after every post-start hook, RBAC bootstrap
        // roles included, so the bindings below can be created right away.
        const ready = await client
          .get('/readyz')
          .then(() => true)
          .catch(() => false);
        if (ready) {
          return { url, caData };
        }
      }
      await sleep(100);
    }
    throw new Error(
      `testenv-apiserver not ready after ${
        READY_TIMEOUT_MS / 1000
      } s:\n${logTail(logFile)}`,
    );
  } finally {
    client?.close();
  }
}

function kubeconfig(
  name: string,
  url: string,
  caData: string,
  tokens: Record<Identity, string>,
): string {
  const identities = Object.keys(USERS) as Identity[];
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server: url,
          'certificate-authority-data': Buffer.from(caData).toString('base64'),
        },
      },
    ],
    users: identities.map(id => ({ name: id, user: { token: tokens[id] } })),
    contexts: identities.map(id => ({
      name: id,
      context: { cluster: name, user: id },
    })),
    // What the plugin's identity may see is what a kubeconfig user sees by
    // default; writes need an explicit `--context admin`.
    'current-context': 'reader',
  });
}

/**
 * The CA of the in-process stand-in webhook server, published in the cluster
 * the way kube-root-ca.crt is, so the scenario loader can inject it as the
 * webhooks' caBundle from any client (see WEBHOOK_CA_CONFIGMAP in scenario.ts).
 */
function webhookCaConfigMap(pem: string): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { namespace: WEBHOOK_CA_CONFIGMAP.namespace, name: WEBHOOK_CA_CONFIGMAP.name },
    data: { 'ca.crt': pem },
  });
}

/** ClusterRoleBindings of the shipped roles to the reader; none for nobody. */
function readerBindings(): string {
  const roles = YAML.parseAllDocuments(fs.readFileSync(rbacFile, 'utf8'))
    .map(d => d.toJS())
    .filter(o => o?.kind === 'ClusterRole')
    .map(o => o.metadata.name as string);
  return roles
    .map(role =>
      YAML.stringify({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: `${role}-testenv` },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: role,
        },
        subjects: [
          {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'User',
            name: USERS.reader.user,
          },
        ],
      }),
    )
    .join('---\n');
}

/**
 * Starts a real kube-apiserver (with etcd) on a free loopback port and a
 * fresh data dir, with the plugin's RBAC and three identities, optionally
 * loaded with a scenario. Builds the binary first if it is missing or stale.
 */
export async function startTestEnv(
  options: StartTestEnvOptions = {},
): Promise<TestEnv> {
  await buildApiServer({ log: options.log });
  const name =
    options.name ??
    (options.scenario
      ? path.basename(path.resolve(options.scenario))
      : 'testenv');
  const dataDir = fs.mkdtempSync(
    path.join(os.tmpdir(), `serving-health-testenv-${name}-`),
  );
  const tokens: Record<Identity, string> = {
    admin: token(),
    reader: token(),
    nobody: token(),
  };
  const tokenFile = path.join(dataDir, 'tokens.csv');
  fs.writeFileSync(
    tokenFile,
    (Object.keys(USERS) as Identity[])
      .map(
        (id, uid) =>
          `${tokens[id]},${USERS[id].user},${uid + 1},"${USERS[id].groups.join(
            ',',
          )}"`,
      )
      .join('\n'),
    { mode: 0o600 },
  );
  const logFile = path.join(dataDir, 'apiserver.log');

  let spawned: Spawned | undefined;
  let ready: { url: string; caData: string } | undefined;
  const started = Date.now();
  try {
    for (let attempt = 1; !ready; attempt++) {
      spawned = spawnApiServer(
        dataDir,
        await freePort(),
        tokenFile,
        logFile,
        !!options.detached,
        options.apiServerFlags ?? [],
      );
      try {
        ready = await waitReady(spawned, dataDir, tokens.admin, logFile);
      } catch (e) {
        // Another process may take a port between our probe and the bind.
        const portTaken = /address already in use/.test(logTail(logFile));
        if (!portTaken || attempt >= PORT_ATTEMPTS) {
          throw e;
        }
        await stopProcess(spawned.child.pid!);
        // The next attempt starts from a clean data dir: the failed one left
        // its etcd data and its egress socket behind.
        for (const entry of fs.readdirSync(dataDir)) {
          if (entry !== path.basename(tokenFile)) {
            fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
          }
        }
      }
    }
  } catch (e) {
    if (spawned?.child.pid) {
      await stopProcess(spawned.child.pid);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const readyMs = Date.now() - started;
  const { child, exited } = spawned!;

  let stopping: Promise<void> | undefined;
  const env: TestEnv = {
    name,
    url: ready.url,
    caData: ready.caData,
    tokens,
    kubeconfigPath: path.join(dataDir, 'kubeconfig.yaml'),
    dataDir,
    pid: child.pid!,
    timings: { readyMs, setupMs: 0 },
    access: (identity = 'admin') => ({
      url: ready!.url,
      caData: ready!.caData,
      token: tokens[identity],
    }),
    stop: () => {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(
            () => child.kill('SIGKILL'),
            STOP_TIMEOUT_MS,
          );
          await exited;
          clearTimeout(timer);
        }
        fs.rmSync(dataDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };

  try {
    const setupStarted = Date.now();
    const bindingsFile = path.join(dataDir, 'reader-bindings.yaml');
    fs.writeFileSync(bindingsFile, readerBindings());
    const webhookCaFile = path.join(dataDir, 'webhook-ca.yaml');
    fs.writeFileSync(
      webhookCaFile,
      webhookCaConfigMap(fs.readFileSync(path.join(dataDir, 'webhook-ca.pem'), 'utf8')),
    );
    await applyFiles(env.access('admin'), [rbacFile, bindingsFile, webhookCaFile]);
    fs.writeFileSync(
      env.kubeconfigPath,
      kubeconfig(name, env.url, env.caData, tokens),
      { mode: 0o600 },
    );
    env.timings.setupMs = Date.now() - setupStarted;
    if (options.scenario) {
      const loaded = await loadScenario(env, options.scenario);
      installScenarioLogs(loaded.scenario, env.dataDir);
      env.scenario = loaded.scenario;
      env.timings.scenarioMs = loaded.ms;
    }
  } catch (e) {
    await env.stop();
    throw e;
  }
  return env;
}
