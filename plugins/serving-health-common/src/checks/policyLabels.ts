import { Evidence } from '../types';
import { evaluatePolicy, findNearMiss, formatDenial } from '@serving-health/plugin-serving-health-policy';
import { CheckOutcome, TriageCheck } from './types';
import { describeTargetIsvc, readCollection, ref, targetInferenceServices } from './util';

const LABEL_PATH = /^\/metadata\/labels\/([^/]+)\/?/;

export const policyLabels: TriageCheck = {
  id: 'policy.labels',
  stage: 'app',
  title: 'Labels against Kyverno policies',
  requires: ['cluster.reachable', 'kserve.crds'],
  readsTargetObjects: true,
  run(ctx): CheckOutcome {
    const { snapshot } = ctx;
    const r = snapshot.collections.clusterPolicies;
    if (r && !r.ok && r.error.reason === 'not-installed') {
      return { status: 'skipped', summary: 'Kyverno is not installed (no clusterpolicies.kyverno.io).', evidence: [] };
    }
    const policies = readCollection(snapshot, 'clusterPolicies');
    if (!policies.ok) return policies.outcome;
    const isvcs = readCollection(snapshot, 'inferenceServices');
    if (!isvcs.ok) return isvcs.outcome;
    const mine = targetInferenceServices(ctx, isvcs.items);
    if (mine.length === 0) {
      return {
        status: 'skipped',
        summary: `No live InferenceService ${describeTargetIsvc(ctx)} to evaluate; admission answers are in argocd.sync.`,
        evidence: [],
      };
    }
    const namespaces = snapshot.collections.namespaces;
    const namespaceLabels = (ns: string) =>
      namespaces?.ok ? namespaces.items.find(n => n.metadata.name === ns)?.metadata.labels : undefined;

    const evidence: Evidence[] = [];
    const failures: Array<{ policy: string; rule: string; message: string; path: string; enforce: boolean; isvc: string; key?: string; nearMiss?: string }> = [];
    const notEvaluated: string[] = [];
    for (const isvc of mine) {
      for (const policy of policies.items) {
        for (const o of evaluatePolicy(policy, isvc, { namespaceLabels, operation: 'UPDATE' })) {
          if (o.status === 'notEvaluated') {
            notEvaluated.push(`${o.policy}/${o.rule}: ${o.feature} (${o.reason})`);
          } else if (o.status === 'fail') {
            const key = LABEL_PATH.exec(o.path)?.[1];
            const nearMiss = key
              ? Object.keys(isvc.metadata.labels ?? {}).find(k => findNearMiss(k, [key]) === key)
              : undefined;
            failures.push({ policy: o.policy, rule: o.rule, message: o.message, path: o.path, enforce: o.failureAction === 'Enforce', isvc: `${isvc.metadata.namespace}/${isvc.metadata.name}`, key, nearMiss });
          }
        }
      }
      evidence.push({
        object: ref(isvc, 'InferenceService'),
        label: 'Labels read',
        fields: { 'metadata.labels': JSON.stringify(isvc.metadata.labels ?? {}) },
      });
    }
    if (notEvaluated.length) {
      evidence.push({ label: 'Rules not evaluated (unsupported policy features)', lines: notEvaluated });
    }
    if (failures.length === 0) {
      return {
        status: notEvaluated.length ? 'warn' : 'pass',
        summary: notEvaluated.length
          ? `No evaluated rule fails, but ${notEvaluated.length} rule(s) use features the evaluator does not support and were not evaluated.`
          : `The labels of ${describeTargetIsvc(ctx)} satisfy the ${policies.items.length} ClusterPolicy object(s) of the cluster.`,
        evidence,
      };
    }
    const isvc = mine[0];
    evidence.push({
      label: 'Kyverno denial (as the admission controller words it)',
      lines: formatDenial(isvc, failures).split('\n'),
    });
    const labelFailures = failures.filter(f => f.key);
    const f = labelFailures[0] ?? failures[0];
    const [ns, name] = f.isvc.split('/');
    const steps = [];
    if (f.nearMiss && f.key) {
      steps.push({
        text: `The manifest sets '${f.nearMiss}' where the policy requires '${f.key}' (label keys are case-sensitive). Fix the key in the template or source manifest, not only in the cluster, or Argo CD reverts it.`,
        patch: `metadata:\n  labels:\n    ${f.key}: ${JSON.stringify(isvc.metadata.labels?.[f.nearMiss] ?? '<value>')}\n    ${f.nearMiss}: null`,
      });
      steps.push({
        text: 'Validate the rendered manifests against the cluster\'s policies before merging (and read the validator\'s own exit code, not tee\'s).',
        command: 'set -o pipefail; yarn serving-health validate <manifests-dir> --kubeconfig <kubeconfig> --cluster-policies | tee validate.log',
      });
    } else if (f.key) {
      steps.push({
        text: `Add the label '${f.key}' to the source manifest of ${f.isvc}.`,
        command: `kubectl -n ${ns} label inferenceservice ${name} ${f.key}=<value> --dry-run=server -o yaml`,
      });
    } else {
      steps.push({ text: `Change the manifest so that rule ${f.policy}/${f.rule} passes: ${f.message}` });
    }
    const enforce = failures.some(x => x.enforce);
    return {
      status: enforce ? 'fail' : 'warn',
      failureMode: labelFailures.length ? 'label-policy-mismatch' : undefined,
      summary: `${f.isvc}: validation error: ${f.message} rule ${f.rule} failed at path ${f.path}${f.nearMiss ? ` (the manifest has '${f.nearMiss}', a near miss of '${f.key}')` : ''}${enforce ? '' : ' (Audit: reported, not denied)'}.`,
      evidence,
      remediation: {
        why: 'Kyverno evaluates the labels exactly as written; an Enforce policy denies every create and update of the resource, so Argo CD stays OutOfSync.',
        steps,
      },
    };
  },
};
