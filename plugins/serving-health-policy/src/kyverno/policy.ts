/*
 * Evaluates Kyverno ClusterPolicy / Policy validate rules (pattern, anyPattern) against one resource, with
 * Kyverno's result statuses and messages, and what Kyverno 1.10-1.15 does with a failure at admission: Enforce
 * or Audit per rule (failureAction.ts), `allowExistingViolations` on UPDATE, `spec.admission: false`, and a
 * namespaced Policy only in its namespace. ValidatingPolicies (CEL) go to validatingPolicy.ts. Whatever this
 * evaluator cannot decide (deny conditions, foreach, CEL rules, podSecurity, manifests, context, preconditions,
 * variables it cannot resolve, mutate rules that would change the resource first) comes back as
 * `notEvaluated`, never as a pass.
 */
import { KubeObject } from '../types';
import { FailureAction, resolveFailureAction } from './failureAction';
import { MatchBlock, MatchContext, ruleMatches } from './match';
import { unsupportedAnchors } from './pattern';
import { effectiveNamespace } from './resource';
import { validateCelRule } from './celRule';
import { admissionContext, RawOutcome, validateRule } from './ruleValidation';
import {
  evaluateValidatingPolicy,
  isValidatingPolicy,
} from './validatingPolicy';

export type { FailureAction } from './failureAction';

/**
 * One rule's verdict. `failureAction` is what Kyverno does at admission when the rule fails (Enforce denies the
 * request, Audit only reports it) and `actionSource` the field that decided it.
 *
 * @public
 */
export type RuleOutcome =
  | { policy: string; rule: string; status: 'pass'; message: string }
  | {
      policy: string;
      rule: string;
      status: 'skip';
      message: string;
      /** Kyverno reports no result for the rule (it does not select the resource, or had nothing to check). */
      unreported?: true;
    }
  | {
      policy: string;
      rule: string;
      status: 'fail' | 'error';
      message: string;
      path: string;
      failureAction: FailureAction;
      actionSource: string;
    }
  | {
      policy: string;
      rule: string;
      status: 'notEvaluated';
      feature: string;
      reason: string;
      /** Known when the rule's failure action could be resolved: an Audit rule never blocks. */
      failureAction?: FailureAction;
    };

/**
 * The admission request a check stands for. An UPDATE carries the object as it is before the update: Kyverno
 * judges an update against it (`allowExistingViolations`).
 *
 * @public
 */
export type AdmissionOperation =
  | { operation: 'CREATE' }
  | { operation: 'DELETE' }
  | { operation: 'UPDATE'; oldObject: KubeObject };

/** @public */
export type PolicyEvaluationContext = AdmissionOperation & {
  /** Namespace for namespaced resources whose manifest has none (what `kubectl apply` would use). */
  defaultNamespace?: string;
  namespaceLabels?: (namespace: string) => Record<string, string> | undefined;
  /**
   * Values for variables and context entries by rule name (a Kyverno CLI values file): dotted names such as
   * `request.operation` or the name of a context entry, which then counts as resolved.
   */
  variables?: (rule: string) => Record<string, unknown>;
};

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

export { effectiveNamespace, isClusterScoped } from './resource';

/** The skip message of a rule whose match / exclude does not select the resource (Kyverno reports no result). */
const RULE_NOT_MATCHED = 'rule does not match the resource';

/**
 * The policies {@link evaluatePolicy} runs: Kyverno ClusterPolicy, Policy and (1.14+) ValidatingPolicy.
 *
 * @public
 */
export function isKyvernoPolicy(obj: KubeObject): boolean {
  return (
    ((obj.kind === 'ClusterPolicy' || obj.kind === 'Policy') &&
      typeof obj.apiVersion === 'string' &&
      obj.apiVersion.startsWith('kyverno.io/')) ||
    isValidatingPolicy(obj)
  );
}

/** Policy kinds this evaluator does not run: Kyverno's other CEL policies and Kubernetes admission policies. */
export function isUnsupportedPolicyKind(obj: KubeObject): boolean {
  if (isValidatingPolicy(obj)) return false;
  const group = (obj.apiVersion ?? '').split('/')[0];
  const kind = obj.kind ?? '';
  if (group === 'policies.kyverno.io') return kind.endsWith('Policy');
  if (group === 'admissionregistration.k8s.io')
    return (
      kind === 'ValidatingAdmissionPolicy' || kind === 'MutatingAdmissionPolicy'
    );
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
 * Kyverno's autogen rewrites every reference to the Pod in a generated rule (variables, conditions, foreach
 * lists, CEL, messages) to the Pod template of the controller, by text replacement over the whole rule.
 */
function retarget(rule: Rule, cron: boolean, cel: boolean): Rule {
  const template = cron ? 'spec.jobTemplate.spec.template' : 'spec.template';
  const prefixes = cel
    ? ['object', 'oldObject']
    : ['request.object', 'request.oldObject'];
  let text = JSON.stringify(rule);
  for (const prefix of prefixes) {
    for (const field of ['spec', 'metadata']) {
      text = text
        .split(`${prefix}.${field}`)
        .join(`${prefix}.${template}.${field}`);
    }
  }
  return JSON.parse(text);
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
    const derive = (name: string, ctrls: string[], cron: boolean): Rule =>
      retarget(
        {
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
        },
        cron,
        Boolean(rule.validate!.cel),
      );
    if (controllers.length)
      out.push(derive(`autogen-${rule.name}`, controllers, false));
    if (wanted.includes('CronJob'))
      out.push(derive(`autogen-cronjob-${rule.name}`, ['CronJob'], true));
  }
  return out;
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

function judgeRule(
  policy: KubeObject,
  rule: Rule,
  resource: KubeObject,
  namespace: string,
  operation: AdmissionOperation['operation'],
  ctx: PolicyEvaluationContext,
): RawOutcome {
  if (policy.kind === 'Policy' && namespace !== policy.metadata?.namespace) {
    return {
      status: 'skip',
      message: 'resource is not in the namespace of the Policy',
      unreported: true,
    };
  }
  if (!rule.validate && !rule.mutate && !nonEmpty(rule.verifyImages)) {
    return {
      status: 'skip',
      message: 'rule does not validate',
      unreported: true,
    };
  }
  const matchCtx: MatchContext = {
    namespace,
    namespaceLabels: ctx.namespaceLabels,
    operation,
  };
  const decision = ruleMatches(rule.match, rule.exclude, resource, matchCtx);
  if (decision.result === 'no')
    return { status: 'skip', message: RULE_NOT_MATCHED, unreported: true };
  if (decision.result === 'unknown') {
    return {
      status: 'notEvaluated',
      feature: decision.feature,
      reason: decision.reason,
    };
  }
  const unsupported = unsupportedFeatures(rule);
  if (unsupported.length) {
    return {
      status: 'notEvaluated',
      feature: unsupported.map(u => u.feature).join(', '),
      reason: unsupported.map(u => u.reason).join('; '),
    };
  }
  // Kyverno runs CEL rules in their own handler: celPreconditions only count there.
  if (rule.validate?.cel) {
    return validateCelRule(rule, resource, {
      operation,
      oldObject: ctx.operation === 'UPDATE' ? ctx.oldObject : undefined,
      namespace,
      namespaceLabels: ctx.namespaceLabels?.(namespace),
    });
  }
  return validateRule(
    rule,
    resource,
    admissionContext({
      operation,
      object: resource,
      oldObject: ctx.operation === 'UPDATE' ? ctx.oldObject : undefined,
      namespace,
      values: ctx.variables?.(rule.name),
    }),
  );
}

function evaluateRule(
  policy: KubeObject,
  rule: Rule,
  resource: KubeObject,
  ctx: PolicyEvaluationContext,
): RuleOutcome {
  const base = { policy: policy.metadata?.name ?? '', rule: rule.name };
  const namespace = effectiveNamespace(resource, ctx.defaultNamespace);
  const raw = judgeRule(policy, rule, resource, namespace, ctx.operation, ctx);
  if (raw.status === 'pass' || raw.status === 'skip')
    return { ...base, ...raw };
  const action = resolveFailureAction(
    policy,
    rule.validate,
    namespace,
    ctx.namespaceLabels,
  );
  if (raw.status === 'notEvaluated') {
    return {
      ...base,
      ...raw,
      ...(action.action ? { failureAction: action.action } : {}),
    };
  }
  if (!action.action) {
    return {
      ...base,
      status: 'notEvaluated',
      feature: 'failure action',
      reason: `the rule fails (${raw.message}), but whether Kyverno enforces it is not known: ${action.undecided}`,
    };
  }
  // allowExistingViolations (default true; before 1.13 always on, for an unchanged failure message): an UPDATE
  // of an object that already failed the rule is let through (Kyverno skips the rule).
  if (
    ctx.operation === 'UPDATE' &&
    raw.status === 'fail' &&
    rule.validate?.allowExistingViolations !== false
  ) {
    // Kyverno judges the old object as if it were being created (validateOldObject): matched as a CREATE,
    // `request.operation` CREATE, no old object of its own.
    const before = judgeRule(
      policy,
      rule,
      ctx.oldObject,
      effectiveNamespace(ctx.oldObject, ctx.defaultNamespace),
      'CREATE',
      { ...ctx, operation: 'CREATE' },
    );
    if (before.status === 'fail') {
      return {
        ...base,
        status: 'skip',
        message:
          'skipping the rule evaluation as pre-existing violations are allowed',
      };
    }
    if (before.status === 'notEvaluated')
      return { ...base, ...before, failureAction: action.action };
  }
  return {
    ...base,
    ...raw,
    failureAction: action.action,
    actionSource: action.source,
  };
}

/**
 * Every rule of a Kyverno ClusterPolicy / Policy (and its auto-generated Pod-controller rules), or every
 * validation of a ValidatingPolicy, on one resource, for the admission request `ctx` describes.
 *
 * @public
 */
export function evaluatePolicy(
  policy: KubeObject,
  resource: KubeObject,
  ctx: PolicyEvaluationContext,
): RuleOutcome[] {
  if (isValidatingPolicy(policy))
    return evaluateValidatingPolicy(policy, resource, ctx);
  return allRules(policy).map(rule =>
    evaluateRule(policy, rule, resource, ctx),
  );
}

/** The policy's rules and the ones Kyverno generates from them for Pod controllers. */
function allRules(policy: KubeObject): Rule[] {
  return [
    ...((policy.spec?.rules ?? []) as Rule[]),
    ...autogenRules(policy),
  ].filter(r => r && typeof r.name === 'string');
}

/**
 * A rule of a ClusterPolicy / Policy by name, auto-generated rules included (PolicyReports name those too).
 *
 * @public
 */
export function policyRule(
  policy: KubeObject,
  name: string,
): { name: string; validate?: Record<string, any> } | undefined {
  return allRules(policy).find(r => r.name === name);
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
