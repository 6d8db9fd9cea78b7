import fs from 'node:fs';
import { toError } from '@backstage/errors';
import { Command, Option } from 'commander';
import { parseAllDocuments } from 'yaml';
import {
  ANNOTATION_ARGOCD_INSTANCE,
  ANNOTATION_KUBERNETES_CLUSTER,
  DEFAULT_CHECKS,
  TRIAGE_STAGES,
  TriageReport,
  resolveTriageTarget,
  withApplicationsFrom,
} from '@serving-health/plugin-serving-health-common';
import {
  createClusterSnapshotLoader,
  createKubernetesClient,
  DEFAULT_LIST_PAGE_SIZE,
  loadKubeconfig,
  triageTarget,
} from '@serving-health/plugin-serving-health-kube';
import { EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS } from '../exitCodes';

interface CatalogEntity {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
  spec?: any;
}

export class UsageError extends Error {}

/** Reads the entities of a catalog-info.yaml (multi-document). */
export function readEntities(file: string): CatalogEntity[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${toError(e).message}`);
  }
  const entities: CatalogEntity[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) {
      const err = doc.errors[0];
      const line = err.linePos?.[0]?.line;
      throw new UsageError(
        `${file}${line ? `:${line}` : ''}: ${err.message.split('\n')[0]}`,
      );
    }
    const value = doc.toJS();
    if (
      value &&
      typeof value === 'object' &&
      value.kind &&
      value.metadata?.name
    ) {
      entities.push(value);
    }
  }
  return entities;
}

function entityRef(e: CatalogEntity) {
  return `${e.kind.toLocaleLowerCase('en-US')}:${
    e.metadata.namespace ?? 'default'
  }/${e.metadata.name}`;
}

/** The JSON shape of one report on the command line. */
export function toCliReport(report: TriageReport) {
  return {
    entity: report.entityRef,
    overall: report.overall,
    failureModes: report.failureModes.map(m => m.id),
    failingStage: report.failingStage,
    ...(report.sources ? { sources: report.sources } : {}),
    checks: report.checks.map(c => ({
      id: c.id,
      stage: c.stage,
      title: c.title,
      status: c.status,
      summary: c.summary,
      failureMode: c.failureMode,
      evidence: c.evidence,
      remediation: c.remediation,
      blockedBy: c.blockedBy,
    })),
  };
}

const MARK: Record<string, string> = {
  pass: 'ok  ',
  warn: 'WARN',
  fail: 'FAIL',
  skipped: 'skip',
  error: 'ERR ',
};

/** A runbook: the stages in order, each check's verdict, and for problems the evidence and the fix. */
export function formatText(report: TriageReport): string {
  const out: string[] = [];
  out.push(
    `== ${report.entityRef} on cluster ${
      report.target.cluster
    }: ${report.overall.toUpperCase()}`,
  );
  if (report.failureModes.length) {
    out.push(
      `   failure modes: ${report.failureModes
        .map(m => `${m.id} (${m.title})`)
        .join(', ')}`,
    );
  }
  for (const s of report.sources ?? [])
    out.push(`   read on cluster ${s.cluster}: ${s.facts}`);
  for (const stage of TRIAGE_STAGES) {
    const checks = report.checks.filter(c => c.stage === stage.id);
    if (!checks.length) continue;
    out.push('', `${stage.order}. ${stage.title}`);
    for (const c of checks) {
      out.push(`   [${MARK[c.status]}] ${c.title}: ${c.summary}`);
      if (c.status !== 'fail' && c.status !== 'warn' && c.status !== 'error')
        continue;
      for (const e of c.evidence) {
        const name = e.object
          ? `${e.object.namespace ? `${e.object.namespace}/` : ''}${
              e.object.name
            }`
          : '';
        const obj =
          e.object && e.object.kind !== e.label
            ? `${e.object.kind} ${name}`
            : name;
        out.push(`          evidence: ${e.label}${obj ? ` ${obj}` : ''}`);
        for (const [k, v] of Object.entries(e.fields ?? {}))
          out.push(`            ${k}: ${v}`);
        for (const l of e.lines ?? []) out.push(`            | ${l}`);
      }
      if (c.remediation) {
        out.push(`          why: ${c.remediation.why}`);
        c.remediation.steps.forEach((s, i) => {
          out.push(`          fix ${i + 1}: ${s.text}`);
          if (s.command) out.push(`            $ ${s.command}`);
          if (s.patch)
            out.push(...s.patch.split('\n').map(l => `            ${l}`));
        });
      }
    }
  }
  return out.join('\n');
}

export async function runTriageCommand(opts: {
  /** Default: $KUBECONFIG, else ~/.kube/config. */
  kubeconfig?: string;
  entity: string;
  context?: string;
  output: 'json' | 'text';
  timeout?: number;
  /** Items per LIST page. */
  pageSize?: number;
  kserveNamespace: string;
  kyvernoNamespace: string;
  /** Hub and spoke: the kubeconfig (default: --kubeconfig's) and context of the cluster that runs Argo CD. */
  argocdKubeconfig?: string;
  argocdContext?: string;
}): Promise<{ code: number; stdout: string }> {
  const connection = loadKubeconfig(opts.kubeconfig, opts.context);
  const hubConnection =
    opts.argocdKubeconfig || opts.argocdContext
      ? loadKubeconfig(
          opts.argocdKubeconfig ?? opts.kubeconfig,
          opts.argocdContext,
        )
      : undefined;
  const entities = readEntities(opts.entity);
  const targets = [];
  for (const e of entities) {
    // The kubeconfig is the cluster here, whatever the catalog calls it.
    const annotations = { ...(e.metadata.annotations ?? {}) };
    delete annotations[ANNOTATION_KUBERNETES_CLUSTER];
    const argocd = hubConnection && {
      instance: annotations[ANNOTATION_ARGOCD_INSTANCE] ?? '--argocd-context',
      cluster: hubConnection.name,
    };
    const resolution = resolveTriageTarget(
      { metadata: { annotations } },
      { clusters: [connection.name], argocd },
    );
    if (resolution.ok)
      targets.push({ ref: entityRef(e), target: resolution.target });
    else if (resolution.annotation)
      throw new UsageError(`${entityRef(e)}: ${resolution.message}`);
  }
  if (targets.length === 0) {
    throw new UsageError(
      `${opts.entity} has no entity with serving annotations`,
    );
  }
  const namespaces = {
    kserve: opts.kserveNamespace,
    kyverno: opts.kyvernoNamespace,
  };
  const client = createKubernetesClient({
    ...connection,
    timeoutMs: opts.timeout,
  });
  const workload = await createClusterSnapshotLoader({
    client,
    namespaces,
    pageSize: opts.pageSize,
  }).load();
  // Hub and spoke: the Applications are read where Argo CD runs, everything else on the workload cluster.
  const snapshot = hubConnection
    ? withApplicationsFrom(
        workload,
        await createClusterSnapshotLoader({
          client: createKubernetesClient({
            ...hubConnection,
            timeoutMs: opts.timeout,
          }),
          namespaces,
          pageSize: opts.pageSize,
        }).load(),
      )
    : workload;
  const reports: TriageReport[] = [];
  for (const t of targets) {
    reports.push(
      await triageTarget({
        entityRef: t.ref,
        target: t.target,
        snapshot,
        checks: DEFAULT_CHECKS,
        client,
      }),
    );
  }
  const stdout =
    opts.output === 'json'
      ? JSON.stringify({ reports: reports.map(toCliReport) }, null, 2)
      : reports.map(formatText).join('\n\n');
  const unreachable = reports.every(r =>
    ['error', 'fail'].includes(
      r.checks.find(c => c.id === 'cluster.reachable')?.status ?? '',
    ),
  );
  let code = EXIT_CLEAN;
  if (unreachable) code = EXIT_ERROR;
  else if (reports.some(r => r.overall !== 'healthy')) code = EXIT_FINDINGS;
  return { code, stdout };
}

const positiveInteger = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`${flag} must be a positive integer, got '${v}'`);
  return n;
};

export function registerTriageCommand(program: Command) {
  program
    .command('triage')
    .description(
      'Run the serving triage for every entity with serving annotations in a catalog-info.yaml',
    )
    .option(
      '--kubeconfig <file>',
      'kubeconfig of the cluster to triage (default: $KUBECONFIG, else ~/.kube/config)',
    )
    .requiredOption('--entity <file>', 'catalog-info.yaml with the entities')
    .option('--context <name>', 'kubeconfig context (default: current-context)')
    .addOption(
      new Option('--output <format>', 'output format')
        .choices(['json', 'text'])
        .default('text'),
    )
    .option(
      '--timeout <ms>',
      'timeout of each API request in ms',
      positiveInteger('--timeout'),
    )
    .option(
      '--page-size <n>',
      `items per LIST page (default ${DEFAULT_LIST_PAGE_SIZE})`,
      positiveInteger('--page-size'),
    )
    .option(
      '--kserve-namespace <ns>',
      'namespace of the KServe control plane',
      'kserve',
    )
    .option('--kyverno-namespace <ns>', 'namespace of Kyverno', 'kyverno')
    .option(
      '--argocd-context <name>',
      'hub and spoke: kubeconfig context of the cluster that runs Argo CD',
    )
    .option(
      '--argocd-kubeconfig <file>',
      'hub and spoke: kubeconfig of the cluster that runs Argo CD (default: --kubeconfig)',
    )
    .action(async opts => {
      try {
        const { code, stdout } = await runTriageCommand(opts);
        process.stdout.write(`${stdout}\n`);
        process.exitCode = code;
      } catch (e) {
        process.stderr.write(`serving-health triage: ${toError(e).message}\n`);
        process.exitCode = EXIT_ERROR;
      }
    });
}
