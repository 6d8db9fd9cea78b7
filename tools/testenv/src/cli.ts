import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { apiServerBinary, buildApiServer, KUBERNETES_VERSION } from './build';
import { runDemo } from './demo';
import { accessFromKubeconfig } from './kube';
import { displayPath, stateDir } from './paths';
import { loadScenario } from './scenario';
import { isRunning, startTestEnv, stopProcess, TestEnv } from './testenv';
import { installScenarioLogs } from './logs';
import { restoreEndpointSlice, takeKserveWebhookOffline } from './changes';

const USAGE = `usage: yarn testenv <command>

  build [--force]                 build the kube-apiserver + etcd binary (incremental)
  up [--scenario <name-or-dir>] [--name <name>] [--detach]
                                  start a testenv; prints KUBECONFIG=<path>. Without
                                  --detach it runs until Ctrl-C
  down [--name <name> | --all]    stop detached testenvs
  apply <dir> [--kubeconfig <file>] [--context <ctx>]
                                  load a scenario (name or directory) into a running
                                  cluster; default kubeconfig: the one detached testenv,
                                  else $KUBECONFIG; default context: admin, else current
  change <kserve-webhook-offline | kserve-webhook-online> [--kubeconfig <file>] [--context <ctx>]
                                  change a running cluster: KServe's webhook Service loses
                                  its ready endpoint, or gets it back (what continuous
                                  triage notices); same cluster defaults as apply
  demo [--scenario <a,b,...>]     one testenv per scenario + the portal (yarn start)

The kubeconfig has contexts admin, reader (current; bound to deploy/rbac.yaml) and nobody.`;

class UsageError extends Error {}

/** What `up --detach` leaves for `down` and `apply`: .testenv/<name>.json */
interface DetachedState {
  name: string;
  pid: number;
  url: string;
  dataDir: string;
  kubeconfigPath: string;
}

function stateFile(name: string): string {
  return path.join(stateDir, `${name}.json`);
}

/** Every complete state file (a claim of a starting testenv is still empty). */
function detachedStates(): DetachedState[] {
  if (!fs.existsSync(stateDir)) {
    return [];
  }
  return fs
    .readdirSync(stateDir)
    .filter(f => f.endsWith('.json'))
    .map(f => fs.readFileSync(path.join(stateDir, f), 'utf8'))
    .filter(text => text.trim())
    .map(text => JSON.parse(text));
}

/** Guards against a recycled pid: only our binary with our data dir is stopped. */
function isOurApiServer(state: DetachedState): boolean {
  if (!isRunning(state.pid)) {
    return false;
  }
  try {
    const cmdline = fs.readFileSync(`/proc/${state.pid}/cmdline`, 'utf8');
    return (
      cmdline.includes(path.basename(apiServerBinary)) &&
      cmdline.includes(state.dataDir)
    );
  } catch {
    return false;
  }
}

/**
 * Reserves .testenv/<name>.json before starting, so two concurrent
 * `up --detach` of the same name cannot both start and leave one untracked.
 */
function claimName(name: string): void {
  fs.mkdirSync(stateDir, { recursive: true });
  try {
    fs.closeSync(fs.openSync(stateFile(name), 'wx', 0o600));
    return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw e;
    }
  }
  let existing: DetachedState | undefined;
  try {
    existing = JSON.parse(fs.readFileSync(stateFile(name), 'utf8'));
  } catch {
    // an empty claim: another `up` is starting right now
  }
  if (!existing || isOurApiServer(existing)) {
    throw new UsageError(
      `testenv "${name}" is already running or starting; stop it with: yarn testenv down --name ${name} (or, if no \`up\` is running, remove ${displayPath(
        stateFile(name),
      )})`,
    );
  }
  // a leftover of a testenv that is gone: take the name over
  fs.rmSync(existing.dataDir, { recursive: true, force: true });
}

function describeEnv(env: TestEnv): string {
  return `testenv "${env.name}" ready in ${(env.timings.readyMs / 1000).toFixed(
    1,
  )} s at ${env.url} (kube-apiserver ${KUBERNETES_VERSION})`;
}

async function up(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      scenario: { type: 'string' },
      name: { type: 'string' },
      detach: { type: 'boolean', default: false },
    },
  });
  const log = (line: string) => console.error(line);
  const name =
    values.name ??
    (values.scenario ? path.basename(values.scenario) : 'testenv');
  if (values.detach) {
    claimName(name);
  }
  let env: TestEnv;
  try {
    env = await startTestEnv({
      scenario: values.scenario,
      name,
      detached: values.detach,
      log,
    });
  } catch (e) {
    if (values.detach) {
      fs.rmSync(stateFile(name), { force: true });
    }
    throw e;
  }
  log(describeEnv(env));
  if (env.scenario) {
    log(
      `loaded ${displayPath(env.scenario.dir)} in ${(
        (env.timings.scenarioMs ?? 0) / 1000
      ).toFixed(1)} s`,
    );
  }
  if (values.detach) {
    const state: DetachedState = {
      name: env.name,
      pid: env.pid,
      url: env.url,
      dataDir: env.dataDir,
      kubeconfigPath: env.kubeconfigPath,
    };
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(stateFile(env.name), JSON.stringify(state, null, 2), {
      mode: 0o600,
    });
    console.log(`KUBECONFIG=${env.kubeconfigPath}`);
    log(`stop it with: yarn testenv down --name ${env.name}`);
    return;
  }
  console.log(`KUBECONFIG=${env.kubeconfigPath}`);
  log('running; Ctrl-C stops it');
  await new Promise<void>(resolve => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await env.stop();
  log(`testenv "${env.name}" stopped`);
}

async function down(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      all: { type: 'boolean', default: false },
    },
  });
  const states = detachedStates();
  let targets: DetachedState[];
  if (values.all) {
    targets = states;
  } else if (values.name) {
    targets = states.filter(s => s.name === values.name);
    if (!targets.length) {
      throw new UsageError(`no detached testenv "${values.name}"`);
    }
  } else if (states.length <= 1) {
    targets = states;
  } else {
    throw new UsageError(
      `several detached testenvs (${states
        .map(s => s.name)
        .join(', ')}): pass --name <name> or --all`,
    );
  }
  for (const state of targets) {
    if (isOurApiServer(state)) {
      await stopProcess(state.pid);
    }
    fs.rmSync(state.dataDir, { recursive: true, force: true });
    fs.rmSync(stateFile(state.name), { force: true });
    console.error(`testenv "${state.name}" stopped`);
  }
  if (!targets.length) {
    console.error('no detached testenv running');
  }
}

const CLUSTER_OPTIONS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
} as const;

/** The cluster apply and change act on: --kubeconfig, else the one detached testenv, else $KUBECONFIG. */
function targetCluster(values: { kubeconfig?: string; context?: string }) {
  let kubeconfig = values.kubeconfig;
  // Logs reach only a testenv's stand-in kubelet: a detached one we started.
  let logsDataDir: string | undefined;
  if (!kubeconfig) {
    const running = detachedStates().filter(isOurApiServer);
    kubeconfig =
      running.length === 1 ? running[0].kubeconfigPath : process.env.KUBECONFIG;
    if (running.length === 1) logsDataDir = running[0].dataDir;
  }
  if (!kubeconfig) {
    throw new UsageError(
      'no cluster: pass --kubeconfig, set KUBECONFIG, or start one with: yarn testenv up --detach',
    );
  }
  const access = accessFromKubeconfig(
    path.resolve(process.env.INIT_CWD ?? process.cwd(), kubeconfig),
    values.context,
  );
  return { access, logsDataDir };
}

async function change(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: CLUSTER_OPTIONS,
  });
  const what = positionals[0];
  if (
    positionals.length !== 1 ||
    !['kserve-webhook-offline', 'kserve-webhook-online'].includes(what)
  ) {
    throw new UsageError(
      'change takes one of: kserve-webhook-offline, kserve-webhook-online',
    );
  }
  const { access } = targetCluster(values);
  // The removed EndpointSlice waits here until it is put back.
  const saved = path.join(
    stateDir,
    'changes',
    `${new URL(access.url).host.replace(
      /[^A-Za-z0-9]/g,
      '-',
    )}.kserve-webhook-slice.json`,
  );
  if (what === 'kserve-webhook-offline') {
    const { slice } = await takeKserveWebhookOffline(access);
    fs.mkdirSync(path.dirname(saved), { recursive: true });
    fs.writeFileSync(saved, JSON.stringify(slice), { mode: 0o600 });
    console.error(
      `KServe's webhook Service on ${access.url} has no ready endpoint now`,
    );
    return;
  }
  if (!fs.existsSync(saved)) {
    throw new UsageError(
      `nothing to restore for ${access.url}: run change kserve-webhook-offline first`,
    );
  }
  await restoreEndpointSlice(
    access,
    JSON.parse(fs.readFileSync(saved, 'utf8')),
  );
  fs.rmSync(saved);
  console.error(
    `KServe's webhook Service on ${access.url} has its endpoint again`,
  );
}

async function apply(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: CLUSTER_OPTIONS,
  });
  if (positionals.length !== 1) {
    throw new UsageError('apply takes exactly one scenario name or directory');
  }
  const { access, logsDataDir } = targetCluster(values);
  const result = await loadScenario(access, positionals[0]);
  if (logsDataDir) installScenarioLogs(result.scenario, logsDataDir);
  console.error(
    `applied ${result.applied.length} objects of ${displayPath(
      result.scenario.dir,
    )} to ${access.url} in ${(result.ms / 1000).toFixed(1)} s`,
  );
}

async function build(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { force: { type: 'boolean', default: false } },
  });
  const result = await buildApiServer({
    force: values.force,
    log: line => console.error(line),
  });
  console.error(
    result.built
      ? `built ${displayPath(result.binary)} in ${(result.ms / 1000).toFixed(
          1,
        )} s`
      : `${displayPath(result.binary)} is up to date`,
  );
}

async function demo(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { scenario: { type: 'string' } },
  });
  await runDemo({ scenarios: values.scenario?.split(',') });
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  build,
  up,
  down,
  apply,
  change,
  demo,
};

/** Exit codes: 0 done, 1 failed, 2 usage error. */
export async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv.slice(2);
  const run = command ? COMMANDS[command] : undefined;
  if (!run) {
    console.error(USAGE);
    process.exit(command && command !== '--help' ? 2 : 0);
  }
  try {
    await run(args);
    process.exit(0);
  } catch (e) {
    const usage =
      e instanceof UsageError ||
      (e as any)?.code?.startsWith?.('ERR_PARSE_ARGS');
    console.error(`testenv: ${(e as Error).message}`);
    process.exit(usage ? 2 : 1);
  }
}
