/**
 * `yarn bench`: Serving Health against the manual kubectl triage and
 * Backstage's Kubernetes plugin, on real testenv clusters (README.md).
 *
 * @packageDocumentation
 */
import { BenchOptions, DEFAULT_SCENARIOS, runBench } from './bench';
import {
  LARGE_CLUSTER_DEFAULTS,
  LargeClusterOptions,
  runLargeClusterBench,
} from './largeCluster';

export { runBench, DEFAULT_SCENARIOS } from './bench';
export type { BenchOptions } from './bench';
export { generateClusterFleet } from './fleet';
export { runbook } from './kubectl';
export { runLargeClusterBench, LARGE_CLUSTER_DEFAULTS } from './largeCluster';
export type { LargeClusterOptions } from './largeCluster';

const USAGE = `usage: yarn bench [options]
  --isvcs <n>           InferenceServices in the fleet, each with its Argo CD Application and
                        catalog entity (default 1000); clones of scenario entities whose
                        InferenceService was never created come on top
  --scenarios <a,b,c>   one testenv cluster per scenario (default ${DEFAULT_SCENARIOS.join(
    ',',
  )})
  --cold-sample <n>     reports measured with ?refresh=true (default 30)
  --sample <n>          entities for the kubectl and Kubernetes-plugin columns (default 5)
  --json <file>         also write the results as JSON
  --no-kubectl          skip the manual-triage column
  --no-kubernetes-plugin  skip the Kubernetes-plugin column
  --scale               then today's TTL design (snapshotTtlSeconds 30) and watched snapshots side by
                        side: change-to-report latency, steady-state API load per cluster, RSS
  --steady-seconds <n>  length of the steady-state window of --scale (default 60)
  --heap-mb <n>         with --scale, also watched snapshots with the backend's V8 heap capped at n MB
                        (node --max-old-space-size), as a deployment would cap it

usage: yarn bench large-cluster [options]
  One snapshot of one large cluster, read as before (unpaged, Services and EndpointSlices
  cluster-wide), paged only, and as now (paged, scoped to the namespaces webhooks point at):
  time, requests and bytes per snapshot. Takes a few minutes (creating the objects).
  --services <n>         (default ${LARGE_CLUSTER_DEFAULTS.services})
  --endpoint-slices <n>  (default ${LARGE_CLUSTER_DEFAULTS.endpointSlices})
  --isvcs <n>            InferenceServices (default ${
    LARGE_CLUSTER_DEFAULTS.inferenceServices
  })
  --namespaces <n>       namespaces the objects are spread over (default ${
    LARGE_CLUSTER_DEFAULTS.namespaces
  })
  --page-size <n>        items per LIST page (default ${
    LARGE_CLUSTER_DEFAULTS.pageSize
  })
  --rounds <n>           snapshots per variant (default ${
    LARGE_CLUSTER_DEFAULTS.rounds
  })`;

function positiveInt(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`${flag} needs a positive integer, got '${v}'`);
  return n;
}

export function parseArgs(args: string[]): BenchOptions {
  const o: BenchOptions = {
    inferenceServices: 1000,
    scenarios: DEFAULT_SCENARIOS,
    coldSample: 30,
    sideBySideSample: 5,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = () => args[++i];
    if (a === '--isvcs') o.inferenceServices = positiveInt(a, next());
    else if (a === '--scenarios')
      o.scenarios = (next() ?? '').split(',').filter(Boolean);
    else if (a === '--cold-sample') o.coldSample = positiveInt(a, next());
    else if (a === '--sample') o.sideBySideSample = positiveInt(a, next());
    else if (a === '--json') o.json = next();
    else if (a === '--no-kubectl') o.skipKubectl = true;
    else if (a === '--no-kubernetes-plugin') o.skipKubernetesPlugin = true;
    else if (a === '--scale')
      o.scale = { ...o.scale, steadySeconds: o.scale?.steadySeconds ?? 60 };
    else if (a === '--steady-seconds')
      o.scale = { ...o.scale, steadySeconds: positiveInt(a, next()) };
    else if (a === '--heap-mb')
      o.scale = {
        steadySeconds: o.scale?.steadySeconds ?? 60,
        heapMb: positiveInt(a, next()),
      };
    else throw new Error(`unknown argument '${a}'\n${USAGE}`);
  }
  if (o.scenarios.length === 0)
    throw new Error('--scenarios needs at least one scenario');
  return o;
}

export function parseLargeClusterArgs(args: string[]): LargeClusterOptions {
  const o = { ...LARGE_CLUSTER_DEFAULTS };
  const flags: Record<string, keyof LargeClusterOptions> = {
    '--services': 'services',
    '--endpoint-slices': 'endpointSlices',
    '--isvcs': 'inferenceServices',
    '--namespaces': 'namespaces',
    '--page-size': 'pageSize',
    '--rounds': 'rounds',
  };
  for (let i = 0; i < args.length; i++) {
    const key = flags[args[i]];
    if (!key) throw new Error(`unknown argument '${args[i]}'\n${USAGE}`);
    o[key] = positiveInt(args[i], args[++i]);
  }
  return o;
}

export async function main(argv: string[]): Promise<void> {
  const args = argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  try {
    if (args[0] === 'large-cluster') {
      await runLargeClusterBench(parseLargeClusterArgs(args.slice(1)));
      return;
    }
    await runBench(parseArgs(args));
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error)?.stack ?? e}\n`);
    process.exitCode = 1;
  }
}
