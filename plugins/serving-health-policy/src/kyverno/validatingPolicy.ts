/*
 * Kyverno 1.14+ ValidatingPolicy (policies.kyverno.io): matchConstraints as the API server matches admission rules,
 * then matchConditions, variables and validations in CEL (cel.ts). A validation that evaluates to false fails;
 * `validationActions` containing Deny (the default) make the failure block admission, Audit/Warn only report it,
 * and `evaluation.admission.enabled: false` keeps the policy to background scans. Anything the CEL library cannot
 * evaluate is `notEvaluated` ("cannot be decided"), never a pass and never a violation.
 */
import { KubeObject } from '../types';
import { LabelSelector, matchesLabelSelector } from '../labelSelector';
import { celReferences, evaluateCel, toCel } from './cel';
import { FailureAction } from './failureAction';
import { groupVersion } from './match';
import type { PolicyEvaluationContext, RuleOutcome } from './policy';
import {
  effectiveNamespace,
  isClusterScoped,
  resourceOfKind,
} from './resource';

/** @public */
export function isValidatingPolicy(obj: KubeObject): boolean {
  return (
    obj.kind === 'ValidatingPolicy' &&
    (obj.apiVersion ?? '').startsWith('policies.kyverno.io/')
  );
}

interface ResourceRule {
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  operations?: string[];
  scope?: string;
  resourceNames?: string[];
}

interface Request {
  group: string;
  version: string;
  resource: string;
  operation: string;
  name: string;
  namespaced: boolean;
}

const listHas = (list: string[] | undefined, value: string) =>
  (list ?? []).some(v => v === '*' || v === value);

/** A rule of matchConstraints, as the API server matches it (a subresource entry never covers the object). */
function covers(rule: ResourceRule, req: Request): boolean {
  const scope = rule.scope ?? '*';
  if (scope === 'Cluster' && req.namespaced) return false;
  if (scope === 'Namespaced' && !req.namespaced) return false;
  if (
    !listHas(rule.apiGroups, req.group) ||
    !listHas(rule.apiVersions, req.version)
  )
    return false;
  if (!listHas(rule.operations, req.operation)) return false;
  if (
    !(rule.resources ?? []).some(
      r => r === '*' || r === '*/*' || r === req.resource,
    )
  )
    return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(req.name);
}

const stringMap = (v: unknown): Record<string, string> =>
  typeof v === 'object' && v !== null
    ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]))
    : {};

/**
 * What Kyverno does at admission when a validation of this ValidatingPolicy fails.
 *
 * @public
 */
export function validatingPolicyAction(policy: KubeObject): {
  action: FailureAction;
  source: string;
} {
  if (policy.spec?.evaluation?.admission?.enabled === false) {
    return {
      action: 'Audit',
      source:
        'evaluation.admission.enabled: false (background scans only, never at admission)',
    };
  }
  const actions: unknown[] = Array.isArray(policy.spec?.validationActions)
    ? policy.spec.validationActions
    : [];
  if (actions.length === 0)
    return { action: 'Enforce', source: 'validationActions (default [Deny])' };
  return {
    action: actions.includes('Deny') ? 'Enforce' : 'Audit',
    source: `validationActions [${actions.join(', ')}]`,
  };
}

/**
 * Every validation of one ValidatingPolicy on one resource. Outcomes name the validation `validations[<i>]`.
 *
 * @public
 */
export function evaluateValidatingPolicy(
  policy: KubeObject,
  resource: KubeObject,
  ctx: PolicyEvaluationContext,
): RuleOutcome[] {
  const name = policy.metadata?.name ?? '';
  const whole = (
    o:
      | { status: 'pass' | 'skip'; message: string }
      | { status: 'notEvaluated'; feature: string; reason: string },
  ): RuleOutcome[] => [{ policy: name, rule: '', ...o } as RuleOutcome];
  const spec = policy.spec ?? {};
  const namespace = effectiveNamespace(resource, ctx.defaultNamespace);
  const { group, version } = groupVersion(resource.apiVersion ?? '');
  const req: Request = {
    group,
    version,
    resource: resourceOfKind(resource.kind ?? ''),
    operation: ctx.operation,
    name: resource.metadata?.name ?? '',
    namespaced: !isClusterScoped(resource.kind),
  };
  const mc = spec.matchConstraints ?? {};
  if (!(mc.resourceRules ?? []).some((r: ResourceRule) => covers(r, req)))
    return whole({
      status: 'skip',
      message: 'matchConstraints do not match the resource',
    });
  if ((mc.excludeResourceRules ?? []).some((r: ResourceRule) => covers(r, req)))
    return whole({
      status: 'skip',
      message: 'excluded by matchConstraints.excludeResourceRules',
    });
  const labels = ctx.namespaceLabels?.(namespace);
  const selector = mc.namespaceSelector as LabelSelector | undefined;
  if (req.namespaced && selector && Object.keys(selector).length) {
    if (!labels) {
      return whole({
        status: 'notEvaluated',
        feature: 'matchConstraints.namespaceSelector',
        reason: `the labels of namespace \`${namespace}\` are not known`,
      });
    }
    if (!matchesLabelSelector(selector, labels))
      return whole({
        status: 'skip',
        message: 'namespaceSelector does not match',
      });
  }
  const objectLabels = stringMap(resource.metadata?.labels);
  if (
    resource.kind === 'Namespace' &&
    selector &&
    !matchesLabelSelector(selector, objectLabels)
  )
    return whole({
      status: 'skip',
      message: 'namespaceSelector does not match',
    });
  if (!matchesLabelSelector(mc.objectSelector, objectLabels))
    return whole({ status: 'skip', message: 'objectSelector does not match' });

  const bindings: Record<string, unknown> = {
    object: toCel(resource),
    oldObject: ctx.operation === 'UPDATE' ? toCel(ctx.oldObject) : null,
    request: toCel({
      operation: ctx.operation,
      namespace,
      name: req.name,
      kind: { group, version, kind: resource.kind },
      resource: { group, version, resource: req.resource },
      dryRun: false,
    }),
    ...(labels && req.namespaced
      ? {
          namespaceObject: toCel({
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: namespace, labels },
          }),
        }
      : {}),
  };
  const { action, source } = validatingPolicyAction(policy);

  for (const c of (spec.matchConditions ?? []) as Array<{
    name?: string;
    expression?: string;
  }>) {
    const r = evaluateCel(String(c.expression ?? ''), bindings);
    if (!r.ok || typeof r.value !== 'boolean') {
      return [
        {
          policy: name,
          rule: '',
          status: 'notEvaluated',
          feature: `matchConditions[${c.name ?? ''}]`,
          reason: r.ok ? 'the condition does not evaluate to a bool' : r.reason,
          failureAction: action,
        },
      ];
    }
    if (!r.value)
      return whole({
        status: 'skip',
        message: `matchCondition ${c.name ?? ''} is false`,
      });
  }

  const variables: Record<string, unknown> = {};
  const failedVariables = new Map<string, string>();
  bindings.variables = variables;
  for (const v of (spec.variables ?? []) as Array<{
    name?: string;
    expression?: string;
  }>) {
    const r = evaluateCel(String(v.expression ?? ''), bindings);
    if (r.ok) variables[String(v.name)] = r.value;
    else failedVariables.set(String(v.name), r.reason);
  }

  const validations = (spec.validations ?? []) as Array<{
    expression?: string;
    message?: string;
    messageExpression?: string;
  }>;
  if (validations.length === 0)
    return whole({ status: 'skip', message: 'the policy has no validations' });
  return validations.map((v, i): RuleOutcome => {
    const base = { policy: name, rule: `validations[${i}]` };
    const expression = String(v.expression ?? '');
    const missing = [...celReferences(expression).variables].find(n =>
      failedVariables.has(n),
    );
    const r: ReturnType<typeof evaluateCel> = missing
      ? {
          ok: false,
          reason: `variable ${missing}: ${failedVariables.get(missing)}`,
        }
      : evaluateCel(expression, bindings);
    if (!r.ok || typeof r.value !== 'boolean') {
      return {
        ...base,
        status: 'notEvaluated',
        feature: 'CEL',
        reason: `\`${expression}\` cannot be decided: ${
          r.ok ? 'it does not evaluate to a bool' : r.reason
        }`,
        failureAction: action,
      };
    }
    if (r.value)
      return { ...base, status: 'pass', message: 'validation passed' };
    let message = v.message || `failed expression: ${expression}`;
    if (v.messageExpression) {
      const m = evaluateCel(v.messageExpression, bindings);
      if (m.ok && typeof m.value === 'string' && m.value.trim())
        message = m.value;
    }
    return {
      ...base,
      status: 'fail',
      message,
      path: '',
      failureAction: action,
      actionSource: source,
    };
  });
}
