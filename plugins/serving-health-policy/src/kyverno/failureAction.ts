/*
 * Enforce or Audit for one validate rule at admission, resolved as Kyverno 1.10-1.15 does in its webhook's policy
 * cache (pkg/policycache, per rule from 1.13): the rule's `validate.failureActionOverrides` (1.13+) or, when it
 * has none, the policy's `spec.validationFailureActionOverrides`: the first entry matching the resource's
 * namespace wins; else the rule's `validate.failureAction` (1.13+); else `spec.validationFailureAction`;
 * default Audit. Values are case-insensitive (`enforce` is the deprecated spelling of `Enforce`).
 *
 * Version notes (kyverno#11808, #14733): 1.12-1.13.2 did not fall back to the default action when overrides
 * exist and none matches (fixed in 1.13.3); from 1.18 an override naming neither namespaces nor a
 * namespaceSelector matches every namespace, before that it matches none.
 */
import { KubeObject } from '../types';
import { LabelSelector, matchesLabelSelector } from '../labelSelector';
import { wildcardMatch } from './wildcard';

/** @public */
export type FailureAction = 'Enforce' | 'Audit';

/** @public */
export type ActionResolution =
  | { action: FailureAction; source: string }
  | { action?: undefined; undecided: string };

export function normalizeAction(v: unknown): FailureAction | undefined {
  if (typeof v !== 'string') return undefined;
  if (v.toLowerCase() === 'enforce') return 'Enforce';
  if (v.toLowerCase() === 'audit') return 'Audit';
  return undefined;
}

interface Override {
  action?: unknown;
  namespaces?: string[];
  namespaceSelector?: LabelSelector;
}

/** Whether one override entry covers the namespace; `unknown` when that needs labels nobody gave. */
function overrideMatches(
  o: Override,
  namespace: string,
  labels: Record<string, string> | undefined,
): boolean | 'unknown' {
  const namespaces = Array.isArray(o.namespaces) ? o.namespaces : [];
  const selector = o.namespaceSelector ?? undefined;
  if (namespaces.length === 0 && !selector) return false;
  if (
    namespaces.length &&
    !namespaces.some(n => wildcardMatch(String(n), namespace))
  )
    return false;
  if (!selector) return true;
  // The selector is a Kubernetes label selector (metav1.LabelSelectorAsSelector), not Kyverno's wildcard form.
  if (!labels) return 'unknown';
  return matchesLabelSelector(selector, labels);
}

/**
 * The action Kyverno takes at admission when this rule fails on a resource in `namespace` ('' for cluster-scoped
 * resources, for which overrides do not apply).
 *
 * @public
 */
export function resolveFailureAction(
  policy: KubeObject,
  validate: Record<string, any> | undefined,
  namespace: string,
  namespaceLabels?: (namespace: string) => Record<string, string> | undefined,
): ActionResolution {
  if (policy.spec?.admission === false) {
    return {
      action: 'Audit',
      source:
        'spec.admission: false (background scans only, never at admission)',
    };
  }
  const ruleOverrides = validate?.failureActionOverrides;
  const [overrides, field] =
    Array.isArray(ruleOverrides) && ruleOverrides.length
      ? [ruleOverrides as Override[], 'validate.failureActionOverrides']
      : [
          (policy.spec?.validationFailureActionOverrides ?? []) as Override[],
          'spec.validationFailureActionOverrides',
        ];
  if (namespace !== '' && Array.isArray(overrides)) {
    for (const [i, o] of overrides.entries()) {
      const action = normalizeAction(o?.action);
      if (!action) continue;
      const m = overrideMatches(o, namespace, namespaceLabels?.(namespace));
      if (m === 'unknown') {
        return {
          undecided: `${field}[${i}] (${action}) selects namespaces by label, and the labels of namespace \`${namespace}\` are not known`,
        };
      }
      if (m)
        return { action, source: `${field}[${i}] for namespace ${namespace}` };
    }
  }
  const fromRule = normalizeAction(validate?.failureAction);
  if (fromRule) return { action: fromRule, source: 'validate.failureAction' };
  const fromSpec = normalizeAction(policy.spec?.validationFailureAction);
  if (fromSpec)
    return { action: fromSpec, source: 'spec.validationFailureAction' };
  return { action: 'Audit', source: 'default (no failure action set)' };
}
