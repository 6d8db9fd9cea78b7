import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** kubectl from $KUBECTL, else the PATH; undefined when there is none. */
export function findKubectl(): string | undefined {
  const candidates = [
    process.env.KUBECTL,
    ...(process.env.PATH ?? '')
      .split(path.delimiter)
      .map(d => path.join(d, 'kubectl')),
  ];
  for (const c of candidates) {
    if (!c) continue;
    try {
      fs.accessSync(c, fs.constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  return undefined;
}

export function kubectlVersion(kubectl: string): string {
  const r = spawnSync(kubectl, ['version', '--client', '-o', 'json'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  try {
    return JSON.parse(r.stdout).clientVersion.gitVersion;
  } catch {
    return 'unknown';
  }
}

export interface RunbookTarget {
  isvc: { namespace: string; name: string };
  app?: { namespace: string; name: string };
  kserveNamespace: string;
  kyvernoNamespace: string;
}

export interface RunbookCommand {
  step: number;
  stage: string;
  args: string[];
}

/**
 * The six steps of the manual triage (DESIGN.md) as the kubectl commands an
 * operator types for one endpoint, in order. Reading and thinking time is not
 * included: this is the machine time of the commands alone.
 */
export function runbook(t: RunbookTarget): RunbookCommand[] {
  const c = (step: number, stage: string, ...args: string[]) => ({
    step,
    stage,
    args,
  });
  const { kserveNamespace: ks, kyvernoNamespace: ky } = t;
  return [
    c(1, 'environment gate', 'version', '-o', 'json'),
    c(1, 'environment gate', 'get', 'nodes'),
    c(1, 'environment gate', 'get', 'crd', 'applications.argoproj.io'),
    c(
      2,
      'control-plane health',
      'get',
      'crd',
      'inferenceservices.serving.kserve.io',
    ),
    c(2, 'control-plane health', '-n', ks, 'get', 'deployments,pods'),
    c(
      2,
      'control-plane health',
      '-n',
      ks,
      'get',
      'events',
      '--sort-by=.lastTimestamp',
    ),
    c(
      3,
      'controller logs',
      '-n',
      ks,
      'logs',
      'deployment/kserve-controller-manager',
      '-c',
      'manager',
      '--tail=200',
    ),
    c(
      4,
      'webhook availability',
      'get',
      'validatingwebhookconfigurations,mutatingwebhookconfigurations',
    ),
    c(
      4,
      'webhook availability',
      '-n',
      ks,
      'get',
      'endpointslices',
      '-l',
      'kubernetes.io/service-name=kserve-webhook-server-service',
    ),
    c(
      4,
      'webhook availability',
      '-n',
      ky,
      'get',
      'deployments,pods,endpointslices',
    ),
    c(
      5,
      'stale webhooks',
      'get',
      'validatingwebhookconfigurations,mutatingwebhookconfigurations',
      '-o',
      'yaml',
    ),
    c(5, 'stale webhooks', 'get', 'services', '-A'),
    c(5, 'stale webhooks', 'get', 'endpointslices', '-A'),
    ...(t.app
      ? [
          c(
            6,
            'app sync',
            '-n',
            t.app.namespace,
            'get',
            'applications.argoproj.io',
            t.app.name,
            '-o',
            'yaml',
          ),
        ]
      : []),
    c(
      6,
      'app sync',
      '-n',
      t.isvc.namespace,
      'get',
      'inferenceservices.serving.kserve.io',
      t.isvc.name,
      '-o',
      'yaml',
    ),
    c(6, 'app sync', 'get', 'clusterpolicies.kyverno.io', '-o', 'yaml'),
  ];
}

export interface RunbookResult {
  ms: number;
  commands: Array<{ args: string[]; ms: number; code: number | null }>;
}

function runOne(
  kubectl: string,
  args: string[],
): Promise<{ ms: number; code: number | null }> {
  const t = performance.now();
  return new Promise(resolve => {
    const child = spawn(kubectl, args, {
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', code => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - t, code });
    });
    child.on('error', () => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - t, code: -1 });
    });
  });
}

/** Runs the runbook sequentially, as an operator would. */
export async function runRunbook(options: {
  kubectl: string;
  kubeconfig: string;
  context: string;
  cacheDir: string;
  target: RunbookTarget;
}): Promise<RunbookResult> {
  const common = [
    `--kubeconfig=${options.kubeconfig}`,
    `--context=${options.context}`,
    `--cache-dir=${options.cacheDir}`,
    '--request-timeout=20s',
  ];
  const commands: RunbookResult['commands'] = [];
  const started = performance.now();
  for (const c of runbook(options.target)) {
    const r = await runOne(options.kubectl, [...common, ...c.args]);
    commands.push({ args: c.args, ...r });
  }
  return { ms: performance.now() - started, commands };
}

/** Fills kubectl's discovery cache, as on an operator's machine that has used the cluster before. */
export async function warmKubectl(options: {
  kubectl: string;
  kubeconfig: string;
  context: string;
  cacheDir: string;
}) {
  await runOne(options.kubectl, [
    `--kubeconfig=${options.kubeconfig}`,
    `--context=${options.context}`,
    `--cache-dir=${options.cacheDir}`,
    'api-resources',
  ]);
}
