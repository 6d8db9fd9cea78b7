/*
 * A ClusterPolicy rule's `validate.cel` (Kyverno 1.11+) and `celPreconditions`, as Kyverno's validateCELHandler
 * runs them through Kubernetes' admission-policy validator: preconditions false -> skip "cel preconditions not
 * met"; an expression false -> fail with its message (or messageExpression, else the rule's message, else
 * `failed expression: <expr>`); all true -> pass. Bindings: `object`, `oldObject`, `request`, `namespaceObject`
 * (the namespace's name, and its labels when known) and `variables`. `paramKind` / `paramRef` read the cluster:
 * not evaluated. An expression the CEL library cannot run is not evaluated, with its reason.
 */
import { KubeObject } from '../types';
import { celReferences, evaluateCel, toCel } from './cel';
import { groupVersion } from './match';
import { isClusterScoped, resourceOfKind } from './resource';
import { RawOutcome } from './ruleValidation';

interface Expression {
  name?: string;
  expression?: string;
  message?: string;
  messageExpression?: string;
}

export function validateCelRule(
  rule: {
    name: string;
    celPreconditions?: unknown[];
    validate?: Record<string, any>;
  },
  resource: KubeObject,
  options: {
    operation: string;
    oldObject?: KubeObject;
    namespace: string;
    namespaceLabels?: Record<string, string>;
  },
): RawOutcome {
  const cel = rule.validate?.cel ?? {};
  if (cel.paramKind || cel.paramRef) {
    return {
      status: 'notEvaluated',
      feature: 'validate.cel.paramKind',
      reason: 'CEL parameters are resources read from the cluster',
    };
  }
  const { group, version } = groupVersion(resource.apiVersion ?? '');
  const namespaced = !isClusterScoped(resource.kind);
  const bindings: Record<string, unknown> = {
    object: toCel(resource),
    oldObject:
      options.operation === 'UPDATE' ? toCel(options.oldObject ?? null) : null,
    request: toCel({
      operation: options.operation,
      namespace: options.namespace,
      name: resource.metadata?.name ?? '',
      kind: { group, version, kind: resource.kind },
      resource: {
        group,
        version,
        resource: resourceOfKind(resource.kind ?? ''),
      },
      dryRun: false,
    }),
    namespaceObject: namespaced
      ? toCel({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: options.namespace,
            ...(options.namespaceLabels
              ? { labels: options.namespaceLabels }
              : {}),
          },
        })
      : null,
  };
  const notEvaluated = (expression: string, reason: string): RawOutcome => ({
    status: 'notEvaluated',
    feature: 'validate.cel',
    reason: `\`${expression}\` cannot be decided: ${reason}`,
  });
  const run = (expression: string) => {
    if (
      !options.namespaceLabels &&
      expression.includes('namespaceObject') &&
      celReferences(expression).fields.has('labels')
    ) {
      return {
        ok: false as const,
        reason: `the labels of namespace \`${options.namespace}\` are not known`,
      };
    }
    return evaluateCel(expression, bindings);
  };

  // Kubernetes' validator evaluates variables lazily: one that fails fails only the expressions that use it.
  const failedVariables = new Map<string, string>();
  const evaluationError = (expression: string, reason: string): RawOutcome => ({
    status: 'fail',
    path: '',
    message: `expression '${expression}' resulted in error: ${reason}`,
  });

  /** A boolean expression's value, or the outcome that ends the rule when it has none. */
  const decide = (expression: string): boolean | RawOutcome => {
    for (const [name, reason] of failedVariables) {
      if (new RegExp(`\\bvariables\\.${name}\\b`).test(expression))
        return evaluationError(
          expression,
          `composited variable "${name}" fails to evaluate: ${reason}`,
        );
    }
    const r = run(expression);
    if (!r.ok && r.runtime)
      // cel-go's wording of a missing key, which Kyverno prints.
      return evaluationError(
        expression,
        r.reason.replace(/^No such key/, 'no such key'),
      );
    if (!r.ok) return notEvaluated(expression, r.reason);
    if (typeof r.value !== 'boolean')
      return {
        status: 'error',
        path: '',
        message: `expression '${expression}' resulted in a non-boolean value`,
      };
    return r.value;
  };

  for (const c of (rule.celPreconditions ?? []) as Expression[]) {
    const holds = decide(String(c.expression ?? ''));
    if (typeof holds !== 'boolean') return holds;
    if (!holds) return { status: 'skip', message: 'cel preconditions not met' };
  }

  const variables: Record<string, unknown> = {};
  bindings.variables = variables;
  for (const v of (cel.variables ?? []) as Expression[]) {
    const r = run(String(v.expression ?? ''));
    if (!r.ok && r.runtime)
      failedVariables.set(
        String(v.name),
        r.reason.replace(/^No such key/, 'no such key'),
      );
    else if (!r.ok) return notEvaluated(String(v.expression ?? ''), r.reason);
    else variables[String(v.name)] = r.value;
  }

  for (const e of (cel.expressions ?? []) as Expression[]) {
    const expression = String(e.expression ?? '');
    const holds = decide(expression);
    if (typeof holds !== 'boolean') return holds;
    if (holds) continue;
    let message =
      e.message ||
      rule.validate?.message ||
      `failed expression: ${expression.trim()}`;
    if (e.messageExpression) {
      const m = run(e.messageExpression);
      if (m.ok && typeof m.value === 'string' && m.value.trim())
        message = m.value;
    }
    return { status: 'fail', path: '', message };
  }
  return { status: 'pass', message: `Validation rule '${rule.name}' passed.` };
}
