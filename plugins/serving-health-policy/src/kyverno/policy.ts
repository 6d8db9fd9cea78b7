/*
 * Evaluates Kyverno ClusterPolicy / Policy validate rules (pattern, anyPattern) against one resource, with
 * Kyverno's result statuses and messages. Whatever this evaluator cannot decide (deny conditions, foreach,
 * CEL, podSecurity, manifests, context, preconditions, variables it cannot resolve, mutate rules that would
 * change the resource first) comes back as `notEvaluated`, never as a pass.
 */
import { KubeObject } from '../types';
import { MatchBlock, MatchContext, ruleMatches } from './match';
import { matchPattern, unsupportedAnchors } from './pattern';
import { wildcardMatch } from './wildcard';

export type FailureAction = 'Enforce' | 'Audit';

/** @public */
export type RuleOutcome =
  | { policy: string; rule: string; status: 'pass' | 'skip'; message: string }
  | {
      policy: string;
      rule: string;
      status: 'fail' | 'error';
      message: string;
      path: string;
      failureAction: FailureAction;
    }
  | {
      policy: string;
      rule: string;
      status: 'notEvaluated';
      feature: string;
      reason: string;
    };

/** @public */
export interface PolicyEvaluationContext {
  /** Namespace for namespaced resources whose manifest has none (what `kubectl apply` would use). */
  defaultNamespace?: string;
  namespaceLabels?: (namespace: string) => Record<string, string> | undefined;
  operation?: 'CREATE' | 'UPDATE';
}

interface Rule {
  name: string;
  match?: MatchBlock;
  exclude?: MatchBlock;
  context?: unknown[];
  preconditions?: unknown;
  celPreconditions?: unknown[];
  validate?: Record<string, any>;
  mutate?: unknown;
  generate?: unknown;
  verifyImages?: unknown[];
}

/** Kinds that have no namespace. Everything else is treated as namespaced. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'CertificateSigningRequest',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'ClusterPolicy',
  'ClusterCleanupPolicy',
  'ClusterPolicyReport',
  'ClusterServingRuntime',
  'ClusterStorageContainer',
]);

export function isClusterScoped(kind: string | undefined): boolean {
  return kind !== undefined && CLUSTER_SCOPED.has(kind);
}

/** The namespace a resource lands in: its own, else the default; '' for cluster-scoped kinds. */
export function effectiveNamespace(
  resource: KubeObject,
  defaultNamespace = 'default',
): string {
  if (isClusterScoped(resource.kind)) return '';
  const ns = resource.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : defaultNamespace;
}

/** @public */
export function isKyvernoPolicy(obj: KubeObject): boolean {
  return (
    (obj.kind === 'ClusterPolicy' || obj.kind === 'Policy') &&
    typeof obj.apiVersion === 'string' &&
    obj.apiVersion.startsWith('kyverno.io/')
  );
}

/** Policy kinds this evaluator does not run: Kyverno's CEL policies and Kubernetes admission policies. */
export function isUnsupportedPolicyKind(obj: KubeObject): boolean {
  const group = (obj.apiVersion ?? '').split('/')[0];
  if (group === 'policies.kyverno.io') return /Policy$/.test(obj.kind ?? '');
  if (group === 'admissionregistration.k8s.io')
    return /^(Validating|Mutating)AdmissionPolicy$/.test(obj.kind ?? '');
  return false;
}

const POD_CONTROLLERS = [
  'DaemonSet',
  'Deployment',
  'Job',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
];
const AUTOGEN_ANNOTATION = 'pod-policies.kyverno.io/autogen-controllers';

function onlyPods(block: MatchBlock | undefined): boolean {
  if (!block) return true;
  const filters = [
    ...(block.any ?? []),
    ...(block.all ?? []),
    ...(block.resources ? [block] : []),
  ];
  return filters.every(f => {
    const r = f.resources;
    if (!r) return true;
    if (r.name || (r.names ?? []).length || r.selector || r.annotations)
      return false;
    return (r.kinds ?? []).every(k => k === 'Pod' || k === 'v1/Pod');
  });
}

function replaceKinds(
  block: MatchBlock | undefined,
  kinds: string[],
): MatchBlock | undefined {
  if (!block) return block;
  const swap = (f: any) =>
    f.resources?.kinds ? { ...f, resources: { ...f.resources, kinds } } : f;
  return {
    ...swap(block),
    any: block.any?.map(swap),
    all: block.all?.map(swap),
  };
}

/**
 * Kyverno auto-generates rules for Pod controllers from rules matching Pods (`autogen-<rule>` for the
 * controllers, `autogen-cronjob-<rule>` for CronJobs). Policies read from a cluster carry them in
 * `status.autogen.rules`; policies from git get them computed here the same way.
 */
export function autogenRules(policy: KubeObject): Rule[] {
  const fromStatus = policy.status?.autogen?.rules;
  if (Array.isArray(fromStatus)) return fromStatus as Rule[];
  const annotation = policy.metadata?.annotations?.[AUTOGEN_ANNOTATION];
  if (annotation === 'none') return [];
  const wanted = annotation
    ? annotation.split(',').map(s => s.trim())
    : [...POD_CONTROLLERS, 'CronJob'];
  const controllers = wanted.filter(c => POD_CONTROLLERS.includes(c));
  const out: Rule[] = [];
  for (const rule of (policy.spec?.rules ?? []) as Rule[]) {
    const kinds = [
      ...(rule.match?.any ?? []),
      ...(rule.match?.all ?? []),
      ...(rule.match?.resources ? [rule.match] : []),
    ].flatMap(f => f.resources?.kinds ?? []);
    if (!rule.validate || !kinds.some(k => k === 'Pod' || k === 'v1/Pod'))
      continue;
    if (!onlyPods(rule.match) || !onlyPods(rule.exclude)) continue;
    const wrap = (pattern: unknown, cron: boolean) =>
      cron
        ? { spec: { jobTemplate: { spec: { template: pattern } } } }
        : { spec: { template: pattern } };
    const derive = (name: string, ctrls: string[], cron: boolean): Rule => ({
      ...rule,
      name,
      match: replaceKinds(rule.match, ctrls),
      exclude: replaceKinds(rule.exclude, ctrls),
      validate: {
        ...rule.validate,
        ...(rule.validate!.pattern !== undefined
          ? { pattern: wrap(rule.validate!.pattern, cron) }
          : {}),
        ...(Array.isArray(rule.validate!.anyPattern)
          ? {
              anyPattern: rule.validate!.anyPattern.map((p: unknown) =>
                wrap(p, cron),
              ),
            }
          : {}),
      },
    });
    if (controllers.length)
      out.push(derive(`autogen-${rule.name}`, controllers, false));
    if (wanted.includes('CronJob'))
      out.push(derive(`autogen-cronjob-${rule.name}`, ['CronJob'], true));
  }
  return out;
}

const VARIABLE_RE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const SIMPLE_VARIABLE =
  /^request\.(object(\.[A-Za-z_][A-Za-z0-9_]*)*|namespace|operation)$/;

class UnresolvedVariable extends Error {}

function resolveVariable(
  expr: string,
  resource: KubeObject,
  ctx: Required<Pick<PolicyEvaluationContext, 'operation'>> & {
    namespace: string;
  },
): unknown {
  if (!SIMPLE_VARIABLE.test(expr)) throw new UnresolvedVariable(expr);
  if (expr === 'request.namespace') return ctx.namespace;
  if (expr === 'request.operation') return ctx.operation;
  let v: unknown = resource;
  for (const seg of expr.split('.').slice(2)) {
    if (typeof v !== 'object' || v === null) throw new UnresolvedVariable(expr);
    v = (v as Record<string, unknown>)[seg];
  }
  if (v === undefined) throw new UnresolvedVariable(expr);
  return v;
}

/** Substitutes `{{ request.object.x.y }}`-style variables; throws UnresolvedVariable for anything else. */
function substitute(
  value: unknown,
  resolve: (expr: string) => unknown,
): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{\s*([^{}]*?)\s*\}\}$/.exec(value);
    if (whole) return resolve(whole[1]);
    return value.replace(VARIABLE_RE, (_, expr: string) => {
      const v = resolve(expr);
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
  }
  if (Array.isArray(value)) return value.map(v => substitute(v, resolve));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        substitute(k, resolve) as string,
        substitute(v, resolve),
      ]),
    );
  }
  return value;
}

function containsReference(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('$(');
  if (Array.isArray(value)) return value.some(containsReference);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(
      ([k, v]) => k.includes('$(') || containsReference(v),
    );
  }
  return false;
}

const normalizeAction = (v: unknown): FailureAction | undefined => {
  if (typeof v !== 'string') return undefined;
  if (v.toLowerCase() === 'enforce') return 'Enforce';
  if (v.toLowerCase() === 'audit') return 'Audit';
  return undefined;
};

function failureActionFor(
  policy: KubeObject,
  rule: Rule,
  namespace: string,
): FailureAction {
  const fromRule = normalizeAction(rule.validate?.failureAction);
  if (fromRule) return fromRule;
  const overrides: any[] =
    rule.validate?.failureActionOverrides ??
    policy.spec?.validationFailureActionOverrides ??
    [];
  for (const o of overrides) {
    if ((o.namespaces ?? []).some((n: string) => wildcardMatch(n, namespace))) {
      const a = normalizeAction(o.action);
      if (a) return a;
    }
  }
  return normalizeAction(policy.spec?.validationFailureAction) ?? 'Audit';
}

/** Kyverno's message for a failed pattern (buildErrorMessage). */
function patternFailureMessage(
  ruleName: string,
  message: string,
  path: string,
  error?: string,
): string {
  if (!message) {
    return error !== undefined
      ? `validation error: rule ${ruleName} execution error: ${error}`
      : `validation error: rule ${ruleName} failed at path ${path}`;
  }
  const msg = message.endsWith('.') ? message : `${message}.`;
  return error !== undefined
    ? `validation error: ${msg} rule ${ruleName} execution error: ${error}`
    : `validation error: ${msg} rule ${ruleName} failed at path ${path}`;
}

/** Kyverno's message when no anyPattern matched (buildAnyPatternErrorMessage). */
function anyPatternFailureMessage(message: string, errors: string[]): string {
  const errStr = errors.join(' ');
  if (!message) return `validation error: ${errStr}`;
  if (message.endsWith('.')) return `validation error: ${message} ${errStr}`;
  return `validation error: ${message}. ${errStr}`;
}

const nonEmpty = (v: unknown) =>
  v !== undefined &&
  v !== null &&
  !(Array.isArray(v) && v.length === 0) &&
  !(typeof v === 'object' && Object.keys(v as object).length === 0);

/** The features of a matched rule this evaluator does not run. */
function unsupportedFeatures(
  rule: Rule,
): Array<{ feature: string; reason: string }> {
  const out: Array<{ feature: string; reason: string }> = [];
  if (nonEmpty(rule.context))
    out.push({
      feature: 'context',
      reason:
        'context entries (API calls, ConfigMaps, variables) are resolved only by Kyverno',
    });
  if (nonEmpty(rule.preconditions))
    out.push({
      feature: 'preconditions',
      reason: 'preconditions (JMESPath conditions) are not evaluated',
    });
  if (nonEmpty(rule.celPreconditions))
    out.push({
      feature: 'celPreconditions',
      reason: 'CEL preconditions are not evaluated',
    });
  if (rule.mutate)
    out.push({
      feature: 'mutate',
      reason:
        'mutations are not applied before validation; this rule may change what the cluster admits',
    });
  if (nonEmpty(rule.verifyImages))
    out.push({
      feature: 'verifyImages',
      reason: 'image signature verification needs the registry',
    });
  const v = rule.validate;
  if (v) {
    for (const [field, reason] of [
      ['deny', 'deny conditions are not evaluated'],
      ['foreach', 'foreach declarations are not evaluated'],
      ['cel', 'CEL expressions are not evaluated'],
      ['podSecurity', 'Pod Security Standards checks are not evaluated'],
      ['manifests', 'manifest signature verification is not evaluated'],
      ['assert', 'assertion trees are not evaluated'],
    ] as const) {
      if (v[field] !== undefined && v[field] !== null)
        out.push({ feature: `validate.${field}`, reason });
    }
    for (const p of [
      v.pattern,
      ...(Array.isArray(v.anyPattern) ? v.anyPattern : []),
    ]) {
      if (p === undefined) continue;
      if (containsReference(p))
        out.push({
          feature: 'pattern $() reference',
          reason: '`$(...)` references in patterns are not evaluated',
        });
      const anchors = unsupportedAnchors(p);
      if (anchors.length)
        out.push({
          feature: 'anchor +()',
          reason: `add anchors (${anchors.join(', ')}) belong to mutate rules`,
        });
    }
  }
  return out;
}

function evaluateRule(
  policy: KubeObject,
  rule: Rule,
  resource: KubeObject,
  ctx: PolicyEvaluationContext,
): RuleOutcome {
  const policyName = policy.metadata?.name ?? '';
  const base = { policy: policyName, rule: rule.name };
  const namespace = effectiveNamespace(resource, ctx.defaultNamespace);
  const operation = ctx.operation ?? 'CREATE';

  if (policy.kind === 'Policy' && namespace !== policy.metadata?.namespace) {
    return {
      ...base,
      status: 'skip',
      message: 'resource is not in the namespace of the Policy',
    };
  }
  if (!rule.validate && !rule.mutate && !nonEmpty(rule.verifyImages)) {
    return { ...base, status: 'skip', message: 'rule does not validate' };
  }
  const matchCtx: MatchContext = {
    namespace,
    namespaceLabels: ctx.namespaceLabels,
    operation,
  };
  const decision = ruleMatches(rule.match, rule.exclude, resource, matchCtx);
  if (decision.result === 'no')
    return {
      ...base,
      status: 'skip',
      message: 'rule does not match the resource',
    };
  if (decision.result === 'unknown') {
    return {
      ...base,
      status: 'notEvaluated',
      feature: decision.feature,
      reason: decision.reason,
    };
  }
  const unsupported = unsupportedFeatures(rule);
  if (unsupported.length) {
    return {
      ...base,
      status: 'notEvaluated',
      feature: unsupported.map(u => u.feature).join(', '),
      reason: unsupported.map(u => u.reason).join('; '),
    };
  }
  const v = rule.validate ?? {};
  if (v.pattern === undefined && v.anyPattern === undefined) {
    return { ...base, status: 'skip', message: 'rule has no pattern' };
  }

  const resolve = (expr: string) =>
    resolveVariable(expr, resource, { operation, namespace });
  let pattern: unknown;
  let anyPattern: unknown[] | undefined;
  try {
    pattern =
      v.pattern === undefined ? undefined : substitute(v.pattern, resolve);
    anyPattern =
      v.anyPattern === undefined
        ? undefined
        : (substitute(v.anyPattern, resolve) as unknown[]);
  } catch (e) {
    if (e instanceof UnresolvedVariable) {
      return {
        ...base,
        status: 'notEvaluated',
        feature: 'variables',
        reason: `variable \`{{ ${e.message} }}\` is resolved only by Kyverno (supported here: request.object.<field>, request.namespace, request.operation)`,
      };
    }
    throw e;
  }
  let message = typeof v.message === 'string' ? v.message : '';
  try {
    message = substitute(message, resolve) as string;
  } catch {
    // The message is text for humans: unresolved variables stay as written.
  }
  const failureAction = failureActionFor(policy, rule, namespace);

  if (pattern !== undefined) {
    const r = matchPattern(resource, pattern);
    if (r.status === 'pass')
      return {
        ...base,
        status: 'pass',
        message: `validation rule '${rule.name}' passed.`,
      };
    if (r.status === 'skip')
      return { ...base, status: 'skip', message: r.message };
    if (r.status === 'error') {
      return {
        ...base,
        status: 'error',
        path: r.path,
        failureAction,
        message: patternFailureMessage(rule.name, message, r.path, r.message),
      };
    }
    return {
      ...base,
      status: 'fail',
      path: r.path,
      failureAction,
      message: patternFailureMessage(rule.name, message, r.path),
    };
  }

  if (!Array.isArray(anyPattern)) {
    return {
      ...base,
      status: 'error',
      path: '',
      failureAction,
      message: 'failed to deserialize anyPattern, expected type array',
    };
  }
  const failed: string[] = [];
  const skipped: string[] = [];
  let firstPath = '';
  for (const [idx, p] of anyPattern.entries()) {
    const r = matchPattern(resource, p);
    if (r.status === 'pass') {
      return {
        ...base,
        status: 'pass',
        message: `validation rule '${rule.name}' anyPattern[${idx}] passed.`,
      };
    }
    if (r.status === 'skip') {
      skipped.push(`rule ${rule.name}[${idx}] skipped: ${r.message}`);
    } else if (r.status === 'error') {
      failed.push(`rule ${rule.name}[${idx}] failed: ${r.message}`);
      firstPath ||= r.path;
    } else {
      failed.push(`rule ${rule.name}[${idx}] failed at path ${r.path}`);
      firstPath ||= r.path;
    }
  }
  if (skipped.length && !failed.length)
    return { ...base, status: 'skip', message: skipped.join(' ') };
  if (failed.length) {
    return {
      ...base,
      status: 'fail',
      path: firstPath,
      failureAction,
      message: anyPatternFailureMessage(message, failed),
    };
  }
  return { ...base, status: 'pass', message };
}

/**
 * Every rule of a Kyverno ClusterPolicy / Policy (and its auto-generated Pod-controller rules) on one resource.
 *
 * @public
 */
export function evaluatePolicy(
  policy: KubeObject,
  resource: KubeObject,
  ctx: PolicyEvaluationContext = {},
): RuleOutcome[] {
  const rules = [
    ...((policy.spec?.rules ?? []) as Rule[]),
    ...autogenRules(policy),
  ];
  return rules
    .filter(r => r && typeof r.name === 'string')
    .map(rule => evaluateRule(policy, rule, resource, ctx));
}

/**
 * Kyverno's admission denial for the failed rules of one resource.
 *
 * @public
 */
export function formatDenial(
  resource: KubeObject,
  failures: Array<{ policy: string; rule: string; message: string }>,
): string {
  const ns = resource.metadata?.namespace ?? '';
  const lines = [
    `resource ${resource.kind}/${ns}/${
      resource.metadata?.name ?? ''
    } was blocked due to the following policies`,
    '',
  ];
  const byPolicy = new Map<string, Array<{ rule: string; message: string }>>();
  for (const f of failures) {
    byPolicy.set(f.policy, [...(byPolicy.get(f.policy) ?? []), f]);
  }
  for (const [policy, rules] of byPolicy) {
    lines.push(`${policy}:`);
    for (const r of rules) lines.push(`  ${r.rule}: '${r.message}'`);
  }
  return lines.join('\n');
}
