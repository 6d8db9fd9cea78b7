import { KubeObject } from './types';
import {
  checkLabels,
  DEFAULT_LABEL_CONVENTIONS,
  findNearMiss,
  LabelConventions,
} from './conventions';
import {
  lintKustomize,
  isKustomizationDocument,
  patchFiles,
  findPatchDeletes,
} from './kustomize';
import {
  effectiveNamespace,
  evaluatePolicy,
  isKyvernoPolicy,
  isUnsupportedPolicyKind,
} from './kyverno/policy';
import {
  expandLists,
  isKubeObject,
  ManifestDocument,
  parseManifests,
  resourceRef,
} from './manifests';
import { dirname, normalizePath } from './paths';
import { chartDirectories, isChartFile } from './helmCharts';
import { checkInferenceServiceProbes } from './inferenceServiceProbes';
import { checkInferenceServiceResources } from './inferenceServiceResources';
import {
  lintHelmValues,
  lintSyncOrder,
  LocatedObject,
} from './repositoryRules';
import { DEFAULT_SERVING_RULES, ServingRules } from './servingRules';
import {
  ManifestError,
  NotEvaluated,
  ValidationReport,
  Violation,
} from './types';

/** @public */
export interface ManifestFile {
  /** Path as the user knows it (relative to the workspace or the current directory). */
  path: string;
  content: string;
}

/**
 * A policy and where it came from (a file, or `cluster:<name>`).
 *
 * @public
 */
export interface PolicySource {
  source: string;
  policy: KubeObject;
}

/** @public */
export interface ValidateManifestsOptions {
  files: ManifestFile[];
  /** Kyverno ClusterPolicies / Policies to evaluate (from the repo and/or the cluster). */
  policies?: PolicySource[];
  /** Label conventions; `false` turns the convention rules off (syntax is always checked). */
  conventions?: LabelConventions | false;
  /** Namespace for namespaced objects that name none. Default `default`. */
  defaultNamespace?: string;
  /** Labels of namespaces that are not among the files (read from the cluster). */
  namespaceLabels?: Record<string, Record<string, string>>;
  /** Run the kustomize `$patch: delete` lint (default true). */
  kustomizeLint?: boolean;
  /** The repository's serving rules (resources, probes); default DEFAULT_SERVING_RULES. */
  servingRules?: ServingRules;
  /**
   * Kustomizations rendered by the real kustomize: the rules judge the rendered objects, and the files a
   * rendering was made from only get the `$patch: delete` lint.
   */
  rendered?: RenderedKustomization[];
}

/**
 * The output of `kustomize build <dir>`.
 *
 * @public
 */
export interface RenderedKustomization {
  /** The kustomization's directory. */
  dir: string;
  /** The YAML stream kustomize wrote. */
  content: string;
  /** The files the rendering covers (normalized paths): judged through the rendered output only. */
  sources: string[];
}

/**
 * How a rendered kustomization is named in findings.
 *
 * @public
 */
export const renderedFileName = (dir: string) => `${dir} (kustomize build)`;

/** API groups whose documents are not Kubernetes objects even though they look like ones. */
const NOT_CLUSTER_OBJECTS = [
  /^backstage\.io\//,
  /^kustomize\.config\.k8s\.io\//,
  /^config\.kubernetes\.io\//,
];

const isLocalConfig = (obj: KubeObject) =>
  String(
    obj.metadata?.annotations?.['config.kubernetes.io/local-config'] ?? '',
  ) === 'true';

function pathSegments(pointer: string): string[] {
  return pointer.split('/').filter(Boolean);
}

/**
 * Splits YAML policy files into Kyverno policies, plus the policies this evaluator cannot run.
 *
 * @public
 */
export function loadPolicies(files: ManifestFile[]): {
  policies: PolicySource[];
  notEvaluated: NotEvaluated[];
  errors: ManifestError[];
} {
  const policies: PolicySource[] = [];
  const notEvaluated: NotEvaluated[] = [];
  const errors: ManifestError[] = [];
  for (const f of files) {
    const parsed = parseManifests(f.content, f.path);
    errors.push(...parsed.errors);
    for (const doc of parsed.documents) {
      if (!isKubeObject(doc.data)) continue;
      for (const obj of expandLists(doc.data)) {
        if (isKyvernoPolicy(obj))
          policies.push({ source: f.path, policy: obj });
        else if (isUnsupportedPolicyKind(obj))
          notEvaluated.push(unsupportedPolicy(obj, f.path));
      }
    }
  }
  return { policies, notEvaluated, errors };
}

/** @public */
export function unsupportedPolicy(
  obj: KubeObject,
  source: string,
): NotEvaluated {
  return {
    policy: obj.metadata?.name ?? '',
    feature: `${obj.kind} (CEL)`,
    reason: `${obj.kind} policies (${source}) are not evaluated here; the admission dry-run runs them`,
  };
}

interface Resource {
  doc: ManifestDocument;
  object: KubeObject;
  /** Path segments from the document root to the object (non-empty for items of a List). */
  prefix: Array<string | number>;
}

/**
 * The one entry point of the pre-merge checks, shared by the scaffolder actions, the CLI and the form field:
 * parses the files, checks label syntax and conventions on every Kubernetes object, evaluates the Kyverno
 * policies, lints kustomize `$patch: delete` files (on the sources), and applies the serving rules
 * (InferenceService resources and probes, Argo CD sync order, Helm values paths) to what would be applied:
 * rendered kustomizations in place of their sources.
 *
 * @public
 */
export function validateManifests(
  options: ValidateManifestsOptions,
): ValidationReport {
  const conventions =
    options.conventions === false
      ? undefined
      : options.conventions ?? DEFAULT_LABEL_CONVENTIONS;
  const policies = options.policies ?? [];
  const violations: Violation[] = [];
  const notEvaluated: NotEvaluated[] = [];
  const errors: ManifestError[] = [];
  const documents: ManifestDocument[] = [];

  const servingRules = (options.servingRules ?? DEFAULT_SERVING_RULES)
    .inferenceServices;
  const chartDirs = chartDirectories(
    options.files.map(f => normalizePath(f.path)),
  );
  for (const f of options.files) {
    // Helm templates are not YAML until rendered; the rules read only a chart's Chart.yaml and values.
    if (
      isChartFile(f.path, chartDirs) &&
      normalizePath(f.path).includes('/templates/')
    ) {
      if (f.content.includes('InferenceService'))
        notEvaluated.push({
          feature: 'helm-template',
          reason: `Helm template ${f.path} declares an InferenceService; templates are not rendered here, so inferenceservice-resources and inferenceservice-probes did not check it (validate the output of \`helm template\`)`,
          file: f.path,
        });
      continue;
    }
    const parsed = parseManifests(f.content, f.path);
    errors.push(...parsed.errors);
    documents.push(...parsed.documents);
  }
  const renderedSources = new Set(
    (options.rendered ?? []).flatMap(r => r.sources.map(normalizePath)),
  );
  const renderedDir = new Map<string, string>();
  const renderedDocuments: ManifestDocument[] = [];
  for (const r of options.rendered ?? []) {
    const file = renderedFileName(r.dir);
    renderedDir.set(file, r.dir);
    const parsed = parseManifests(r.content, file);
    errors.push(...parsed.errors);
    renderedDocuments.push(...parsed.documents);
  }

  if (options.kustomizeLint !== false)
    violations.push(...lintKustomize(documents));
  const patches = patchFiles(documents);

  const resources: Resource[] = [];
  for (const doc of [...documents, ...renderedDocuments]) {
    const file = normalizePath(doc.file);
    if (
      isKustomizationDocument(doc) ||
      patches.has(file) ||
      renderedSources.has(file) ||
      isChartFile(file, chartDirs)
    )
      continue;
    if (findPatchDeletes(doc.data).length) continue;
    if (!isKubeObject(doc.data)) {
      notEvaluated.push({
        feature: 'not-a-kubernetes-object',
        reason: `document ${doc.index + 1} (line ${
          doc.line
        }) has no apiVersion/kind and was not validated`,
        file: doc.file,
      });
      continue;
    }
    const items = expandLists(doc.data);
    items.forEach((object, i) => {
      if (
        NOT_CLUSTER_OBJECTS.some(re => re.test(object.apiVersion ?? '')) ||
        isLocalConfig(object)
      )
        return;
      resources.push({
        doc,
        object,
        prefix: items.length === 1 && items[0] === doc.data ? [] : ['items', i],
      });
    });
  }

  const namespaceLabels: Record<string, Record<string, string>> = {
    ...(options.namespaceLabels ?? {}),
  };
  for (const { object } of resources) {
    if (
      object.kind === 'Namespace' &&
      typeof object.metadata?.name === 'string'
    ) {
      namespaceLabels[object.metadata.name] = {
        ...Object.fromEntries(
          Object.entries(object.metadata.labels ?? {}).map(([k, v]) => [
            k,
            String(v),
          ]),
        ),
        'kubernetes.io/metadata.name': object.metadata.name,
      };
    }
  }

  const located: LocatedObject[] = resources.map(r => ({
    ...r,
    dir: renderedDir.get(r.doc.file) ?? dirname(r.doc.file),
  }));
  const syncOrder = lintSyncOrder(located, chartDirs);
  violations.push(...syncOrder.violations);
  notEvaluated.push(...syncOrder.notEvaluated);
  const helm = lintHelmValues(documents, located);
  violations.push(...helm.violations);
  notEvaluated.push(...helm.notEvaluated);

  for (const { doc, object, prefix } of resources) {
    const ref = resourceRef(object);
    const lineOf = (segs: Array<string | number>) =>
      doc.lineOf([...prefix, ...segs]);
    const rawLabels = object.metadata?.labels as unknown;

    for (const finding of [
      ...checkInferenceServiceResources(object, servingRules),
      ...checkInferenceServiceProbes(object, servingRules),
    ]) {
      violations.push({
        ...finding,
        file: doc.file,
        line: lineOf(pathSegments(finding.path)),
        resource: ref,
      });
    }

    if (
      rawLabels !== undefined &&
      rawLabels !== null &&
      (typeof rawLabels !== 'object' || Array.isArray(rawLabels))
    ) {
      violations.push({
        file: doc.file,
        line: lineOf(['metadata', 'labels']),
        resource: ref,
        rule: 'label-key-syntax',
        severity: 'error',
        message:
          'metadata.labels must be a map of string keys to string values',
        path: '/metadata/labels/',
      });
    } else {
      const labels = (rawLabels ?? {}) as Record<string, unknown>;
      const issues = checkLabels(labels, {
        conventions: conventions ?? {
          ...DEFAULT_LABEL_CONVENTIONS,
          requiredLabels: [],
          keyStyle: 'any',
        },
        kind: object.kind,
      });
      for (const issue of issues) {
        violations.push({
          file: doc.file,
          line: lineOf(['metadata', 'labels', issue.key]),
          resource: ref,
          rule: issue.rule,
          severity: issue.severity,
          message: issue.message,
          path: issue.path,
          ...(issue.suggestion
            ? { hint: `rename the key to \`${issue.suggestion}\`` }
            : {}),
        });
      }
    }

    for (const { policy } of policies) {
      // Before merge, a manifest is judged as the create of a new object.
      const outcomes = evaluatePolicy(policy, object, {
        operation: 'CREATE',
        defaultNamespace: options.defaultNamespace,
        namespaceLabels: ns => namespaceLabels[ns],
      });
      for (const o of outcomes) {
        if (o.status === 'notEvaluated') {
          notEvaluated.push({
            policy: o.policy,
            rule: o.rule,
            feature: o.feature,
            reason: o.reason,
            file: doc.file,
            resource: ref,
          });
        } else if (o.status === 'fail' || o.status === 'error') {
          const v: Violation = {
            file: doc.file,
            line: lineOf(pathSegments(o.path)),
            resource: ref,
            rule: `kyverno:${o.policy}/${o.rule}`,
            severity: o.failureAction === 'Enforce' ? 'error' : 'warning',
            message: o.message,
            path: o.path,
          };
          const labelKey = /^\/metadata\/labels\/(.+)\/$/.exec(o.path)?.[1];
          if (labelKey && conventions !== undefined) {
            const near = Object.keys(
              (rawLabels as Record<string, unknown>) ?? {},
            ).find(k => findNearMiss(k, [labelKey]) === labelKey);
            if (near)
              v.hint = `the resource has \`${near}\`: label keys are case-sensitive, rename it to \`${labelKey}\``;
          }
          violations.push(v);
        }
      }
    }
  }

  // Policies are evaluated per resource; policy-level entries (CEL kinds) come from loadPolicies.
  const policyNames = new Set(policies.map(p => p.policy.metadata?.name));
  return {
    violations,
    notEvaluated,
    errors,
    stats: {
      files: options.files.length,
      resources: resources.length,
      policies: policyNames.size,
    },
  };
}

/**
 * Counts for a one-line summary.
 *
 * @public
 */
export function summarizeReport(report: ValidationReport): string {
  const errors = report.violations.filter(v => v.severity === 'error').length;
  const warnings = report.violations.length - errors;
  return `${report.stats.resources} resource(s), ${report.stats.policies} policy(ies): ${errors} error(s), ${warnings} warning(s), ${report.notEvaluated.length} not evaluated`;
}

export { effectiveNamespace };
