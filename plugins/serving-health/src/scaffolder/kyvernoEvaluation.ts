/**
 * The Kyverno side of the labels field, loaded with `import()` only by fields that set `ui:options.kyverno`: the
 * evaluator (JMESPath, CEL, RE2) stays out of the bundle of every other page.
 */
import {
  ClusterKyvernoPolicies,
  KubeObject,
} from '@serving-health/plugin-serving-health-common';
import {
  evaluatePolicy,
  formatDenial,
} from '@serving-health/plugin-serving-health-policy';

export interface KyvernoDenial {
  policy: string;
  rule: string;
  message: string;
  failureAction: 'Enforce' | 'Audit';
}

export interface KyvernoVerdict {
  /** Failed rules, Enforce first. */
  denials: KyvernoDenial[];
  /** Kyverno's admission message for the Enforce denials, as `kubectl apply` would print it. */
  enforceMessage?: string;
  /** Rules (or reads) the browser could not decide: never a pass. */
  notEvaluated: Array<{ policy?: string; rule?: string; reason: string }>;
  /** Rules evaluated, for the summary line. */
  rules: number;
}

/**
 * Every policy on the resource, judged as the create admission Kyverno would see, by the evaluator the
 * scaffolder action and the CLI run.
 */
export function evaluateKyverno(
  loaded: ClusterKyvernoPolicies,
  resource: KubeObject,
): KyvernoVerdict {
  const denials: KyvernoDenial[] = [];
  const notEvaluated: KyvernoVerdict['notEvaluated'] = loaded.notEvaluated.map(
    n => ({ reason: `${n.feature}: ${n.reason}` }),
  );
  let rules = 0;
  for (const policy of loaded.policies) {
    const outcomes = evaluatePolicy(policy, resource, {
      operation: 'CREATE',
      defaultNamespace: loaded.namespace ?? 'default',
      namespaceLabels: ns =>
        ns === loaded.namespace ? loaded.namespaceLabels : undefined,
    });
    for (const o of outcomes) {
      rules++;
      if (o.status === 'notEvaluated') {
        notEvaluated.push({
          policy: o.policy,
          rule: o.rule,
          reason: `${o.feature}: ${o.reason}`,
        });
      } else if (o.status === 'fail' || o.status === 'error') {
        // The field builds metadata only: a pattern that fails on the spec says nothing about the labels.
        if (o.path !== '' && !o.path.startsWith('/metadata/')) {
          notEvaluated.push({
            policy: o.policy,
            rule: o.rule,
            reason: `checks ${o.path}, which this form does not fill (serving-health:validate judges the rendered manifests)`,
          });
        } else {
          denials.push({
            policy: o.policy,
            rule: o.rule,
            message: o.message,
            failureAction: o.failureAction,
          });
        }
      }
    }
  }
  denials.sort(
    (a, b) =>
      Number(b.failureAction === 'Enforce') -
      Number(a.failureAction === 'Enforce'),
  );
  const enforced = denials.filter(d => d.failureAction === 'Enforce');
  return {
    denials,
    ...(enforced.length
      ? { enforceMessage: formatDenial(resource, enforced) }
      : {}),
    notEvaluated,
    rules,
  };
}
