import fs from 'node:fs';
import path from 'node:path';
import { toError } from '@backstage/errors';
import { Command, Option } from 'commander';
import {
  ConventionsFormatError,
  DEFAULT_LABEL_CONVENTIONS,
  LabelConventions,
  ManifestFile,
  NotEvaluated,
  PolicySource,
  ServingRules,
  ServingRulesFormatError,
  ValidationReport,
  loadPolicies,
  parseConventions,
  parseServingRules,
  summarizeReport,
  validateManifests,
} from '@serving-health/plugin-serving-health-policy';
import {
  ClusterPolicyReadError,
  createKubernetesClient,
  KustomizeRenderError,
  loadKubeconfig,
  isChartArchive,
  readChartArchive,
  readClusterPolicies,
  readNamespaceLabels,
  renderKustomizations,
} from '@serving-health/plugin-serving-health-kube';
import { EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS } from '../exitCodes';
import { validationJUnit, validationSarif } from '../formats/validationFormats';
import { writeReportFiles } from '../formats/writeReportFiles';

/** Bad arguments or unreadable input: exit 2. */
export class ValidateUsageError extends Error {}

export interface ValidateCommandOptions {
  paths: string[];
  policies?: string;
  kubeconfig?: string;
  context?: string;
  clusterPolicies?: boolean;
  conventions?: string;
  namespace?: string;
  output?: 'json' | 'text';
  /** Exit 1 also when a rule could not be evaluated. */
  strict?: boolean;
  /** The repository's serving rules file (InferenceService resources and probes). */
  rules?: string;
  /** The kustomize executable (default: `$SERVING_HEALTH_KUSTOMIZE`, else `kustomize` on PATH). */
  kustomize?: string;
  /** Also write the findings as SARIF 2.1.0 to this file. */
  sarif?: string;
  /** Also write the findings as JUnit XML to this file. */
  junit?: string;
  /** Base for relative paths (default: the directory the user ran `yarn serving-health` from). */
  cwd?: string;
}

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** `$SERVING_HEALTH_KUSTOMIZE` (bin/serving-health sets it to the one scripts/install.sh builds), else PATH's. */
const defaultKustomize = () =>
  process.env.SERVING_HEALTH_KUSTOMIZE || 'kustomize';

/** A vendored Helm dependency (`charts/<name>-<version>.tgz`): its chart files are read from the archive. */
/** The errno code of a failed file read (ENOENT, EACCES), else its message. */
function fileErrorReason(e: unknown): string {
  const error = toError(e) as Error & { code?: unknown };
  return typeof error.code === 'string' ? error.code : error.message;
}

/** Reads files and directories (recursively: .yaml, .yml, .json; dot-directories and node_modules skipped). */
export function readManifestFiles(
  paths: string[],
  cwd: string,
): ManifestFile[] {
  const files: ManifestFile[] = [];
  const display = (abs: string) => {
    const rel = path.relative(cwd, abs);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel)
      ? rel.split(path.sep).join('/')
      : abs;
  };
  const read = (abs: string, explicit: boolean) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (e) {
      throw new ValidateUsageError(
        `cannot read ${display(abs)}: ${fileErrorReason(e)}`,
      );
    }
    if (stat.isDirectory()) {
      let entries: string[];
      try {
        entries = fs.readdirSync(abs).sort();
      } catch (e) {
        throw new ValidateUsageError(
          `cannot read directory ${display(abs)}: ${fileErrorReason(e)}`,
        );
      }
      for (const entry of entries) {
        if (entry.startsWith('.') || entry === 'node_modules') continue;
        const child = path.join(abs, entry);
        const isDir = fs.statSync(child).isDirectory();
        if (
          isDir ||
          MANIFEST_EXTENSIONS.includes(path.extname(entry)) ||
          isChartArchive(child)
        )
          read(child, false);
      }
      return;
    }
    if (isChartArchive(abs)) {
      try {
        files.push(...readChartArchive(abs, display(abs)));
      } catch (e) {
        throw new ValidateUsageError(
          `cannot read chart archive ${display(abs)}: ${fileErrorReason(e)}`,
        );
      }
      return;
    }
    if (!explicit && !MANIFEST_EXTENSIONS.includes(path.extname(abs))) return;
    try {
      files.push({ path: display(abs), content: fs.readFileSync(abs, 'utf8') });
    } catch (e) {
      throw new ValidateUsageError(
        `cannot read ${display(abs)}: ${fileErrorReason(e)}`,
      );
    }
  };
  for (const p of paths) read(path.resolve(cwd, p), true);
  return files;
}

function readConventions(file: string, cwd: string): LabelConventions {
  const abs = path.resolve(cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    throw new ValidateUsageError(
      `cannot read conventions file ${file}: ${fileErrorReason(e)}`,
    );
  }
  try {
    return parseConventions(text);
  } catch (e) {
    if (e instanceof ConventionsFormatError)
      throw new ValidateUsageError(`${file}: ${e.message}`);
    throw e;
  }
}

function readServingRules(file: string, cwd: string): ServingRules {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new ValidateUsageError(
      `cannot read rules file ${file}: ${fileErrorReason(e)}`,
    );
  }
  try {
    return parseServingRules(text);
  } catch (e) {
    if (e instanceof ServingRulesFormatError)
      throw new ValidateUsageError(`${file}: ${e.message}`);
    throw e;
  }
}

const where = (v: { file: string; line?: number }) =>
  `${v.file}${v.line ? `:${v.line}` : ''}`;
/** ` [Kind ns/name]`, or nothing for a finding in a file that is no Kubernetes object (a chart's values). */
const resourceText = (r?: {
  kind?: string;
  namespace?: string;
  name?: string;
}) =>
  r?.kind || r?.name
    ? ` [${r.kind ?? '?'} ${r.namespace ? `${r.namespace}/` : ''}${
        r.name ?? '?'
      }]`
    : '';

export function formatValidationText(report: ValidationReport): string {
  const out: string[] = [];
  for (const e of report.errors) {
    out.push(
      `${e.file}${
        e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''
      }: error malformed YAML: ${e.message}`,
    );
  }
  for (const v of report.violations) {
    out.push(
      `${where(v)}: ${v.severity} ${v.rule}: ${v.message}${resourceText(
        v.resource,
      )}`,
    );
    if (v.hint) out.push(`    hint: ${v.hint}`);
  }
  if (report.notEvaluated.length) {
    out.push(
      'not evaluated (decide these by hand or with the admission dry-run):',
    );
    for (const n of report.notEvaluated) {
      const what = n.policy
        ? `${n.policy}${n.rule ? `/${n.rule}` : ''}`
        : n.file ?? '';
      let on = '';
      if (n.resource) on = resourceText(n.resource);
      else if (n.file && n.policy) on = ` [${n.file}]`;
      out.push(`  ${what} (${n.feature}): ${n.reason}${on}`);
    }
  }
  out.push(summarizeReport(report));
  return out.join('\n');
}

export function toValidationJson(report: ValidationReport) {
  return {
    violations: report.violations.map(v => ({
      file: v.file,
      line: v.line,
      resource: {
        apiVersion: v.resource.apiVersion,
        kind: v.resource.kind,
        namespace: v.resource.namespace,
        name: v.resource.name,
      },
      rule: v.rule,
      severity: v.severity,
      message: v.message,
      path: v.path,
      ...(v.hint ? { hint: v.hint } : {}),
    })),
    notEvaluated: report.notEvaluated,
    ...(report.errors.length ? { errors: report.errors } : {}),
  };
}

export async function runValidateCommand(
  opts: ValidateCommandOptions,
): Promise<{ code: number; stdout: string; report: ValidationReport }> {
  const cwd = opts.cwd ?? process.env.INIT_CWD ?? process.cwd();
  if (!opts.paths?.length)
    throw new ValidateUsageError(
      'give at least one file or directory to validate',
    );
  const files = readManifestFiles(opts.paths, cwd);
  const conventions = opts.conventions
    ? readConventions(opts.conventions, cwd)
    : DEFAULT_LABEL_CONVENTIONS;
  const servingRules = opts.rules
    ? readServingRules(opts.rules, cwd)
    : undefined;
  let rendered;
  try {
    rendered = await renderKustomizations({
      files,
      root: cwd,
      kustomize: opts.kustomize
        ? path.resolve(cwd, opts.kustomize)
        : defaultKustomize(),
    });
  } catch (e) {
    if (e instanceof KustomizeRenderError)
      throw new ValidateUsageError(e.message);
    throw e;
  }

  const policies: PolicySource[] = [];
  const notEvaluated: NotEvaluated[] = [];
  const errors: ValidationReport['errors'] = [];
  if (opts.policies) {
    const loaded = loadPolicies(readManifestFiles([opts.policies], cwd));
    policies.push(...loaded.policies);
    notEvaluated.push(...loaded.notEvaluated);
    errors.push(...loaded.errors);
  }
  let namespaceLabels: Record<string, Record<string, string>> = {};
  // Offline unless a cluster is asked for; then kubectl's kubeconfig when none is named.
  if (opts.kubeconfig || opts.context || opts.clusterPolicies) {
    let connection;
    try {
      connection = loadKubeconfig(
        opts.kubeconfig && path.resolve(cwd, opts.kubeconfig),
        opts.context,
      );
    } catch (e) {
      throw new ValidateUsageError(toError(e).message);
    }
    const client = createKubernetesClient(connection);
    if (opts.clusterPolicies) {
      try {
        const fromCluster = await readClusterPolicies(client);
        policies.push(...fromCluster.policies);
        notEvaluated.push(...fromCluster.notEvaluated);
        namespaceLabels = fromCluster.namespaceLabels;
      } catch (e) {
        if (e instanceof ClusterPolicyReadError)
          throw new ValidateUsageError(e.message);
        throw e;
      }
    } else {
      namespaceLabels = await readNamespaceLabels(client);
    }
  }

  const report = validateManifests({
    files,
    policies,
    conventions,
    defaultNamespace: opts.namespace ?? 'default',
    namespaceLabels,
    servingRules,
    rendered,
  });
  report.notEvaluated.unshift(...notEvaluated);
  report.errors.unshift(...errors);

  const stdout =
    opts.output === 'json'
      ? JSON.stringify(toValidationJson(report), null, 2)
      : formatValidationText(report);
  let code = EXIT_CLEAN;
  if (report.errors.length) code = EXIT_ERROR;
  else if (report.violations.length) code = EXIT_FINDINGS;
  // --strict: a rule nobody evaluated is not a rule that passed.
  else if (opts.strict && report.notEvaluated.length) code = EXIT_FINDINGS;
  writeReportFiles(
    { cwd, sarif: opts.sarif, junit: opts.junit },
    {
      sarif: () => validationSarif(report),
      junit: () =>
        validationJUnit(
          report,
          files.map(f => f.path),
        ),
    },
    ValidateUsageError,
  );
  return { code, stdout, report };
}

export function registerValidateCommand(program: Command) {
  program
    .command('validate')
    .description(
      'Validate manifests against label conventions, Kyverno policies, kustomize, Helm values, Argo CD sync order and InferenceService rules',
    )
    .argument(
      '<files-or-dirs...>',
      'manifests to validate (directories are read recursively)',
    )
    .option(
      '--policies <dir>',
      'Kyverno ClusterPolicies / Policies to evaluate (a directory or a file)',
    )
    .option(
      '--kubeconfig <file>',
      'kubeconfig of the target cluster for namespace labels and --cluster-policies (default: $KUBECONFIG, else ~/.kube/config)',
    )
    .option(
      '--context <name>',
      'kubeconfig context (default: current-context); reads the cluster like --kubeconfig',
    )
    .option(
      '--cluster-policies',
      "also evaluate the cluster's Kyverno policies",
    )
    .option(
      '--conventions <file>',
      'label conventions (YAML or JSON: requiredLabels, keyStyle, exemptPrefixes, kinds)',
    )
    .option(
      '--namespace <ns>',
      'namespace of namespaced objects that name none',
      'default',
    )
    .option(
      '--strict',
      'exit 1 also when a policy rule could not be evaluated (unsupported feature)',
    )
    .option(
      '--rules <file>',
      'serving rules of the repository (YAML or JSON: inferenceServices.{components,requests,limits,probes})',
    )
    .option(
      '--kustomize <path>',
      'kustomize executable that renders kustomizations (default: $SERVING_HEALTH_KUSTOMIZE, in this repo tools/kustomize/bin/kustomize; else kustomize on PATH)',
    )
    .option(
      '--sarif <file>',
      'also write the findings as SARIF 2.1.0 (code scanning)',
    )
    .option('--junit <file>', 'also write the findings as JUnit XML')
    .addOption(
      new Option('--output <format>', 'output format')
        .choices(['json', 'text'])
        .default('text'),
    )
    .action(async (paths: string[], opts) => {
      try {
        const { code, stdout, report } = await runValidateCommand({
          ...opts,
          paths,
        });
        process.stdout.write(`${stdout}\n`);
        if (opts.output === 'json' && report.errors.length) {
          for (const e of report.errors) {
            process.stderr.write(
              `serving-health validate: ${e.file}${
                e.line ? `:${e.line}` : ''
              }: ${e.message}\n`,
            );
          }
        }
        process.exitCode = code;
      } catch (e) {
        process.stderr.write(
          `serving-health validate: ${toError(e).message}\n`,
        );
        process.exitCode = EXIT_ERROR;
      }
    });
}
