import { Evidence, KubeObject } from '../types';
import {
  celReferences,
  evaluatePolicy,
  findNearMiss,
  formatDenial,
  isValidatingPolicy,
  policyRule,
  ReportedResult,
  reportedResults,
  resolveFailureAction,
  RuleOutcome,
  validatingPolicyAction,
} from '@serving-health/plugin-serving-health-policy';
import { CheckOutcome, TriageCheck } from './types';
import {
  clip,
  describeTargetIsvc,
  readCollection,
  ref,
  targetInferenceServices,
} from './util';

const LABEL_PATH = /^\/metadata\/labels\/([^/]+)\/?/;
const PATH_IN_MESSAGE = 'failed at path ';

/**
 * What a failing rule does to this entity's deployment at admission, as Kyverno 1.10-1.15 decides it: every update
 * is denied; only creates are denied (allowExistingViolations lets updates of an object that already failed
 * through); never (Audit, background-only); or not known.
 */
type Blocks = 'updates' | 'creates' | 'never' | 'unknown';

interface Finding {
  isvc: KubeObject;
  /** As Kyverno's reports name it (`<namespace>/<name>` for a Policy); `name` is its metadata.name. */
  policy: string;
  name: string;
  /** A ClusterPolicy/Policy rule this evaluator failed itself: Kyverno words its denial the known way. */
  kyvernoDenial: boolean;
  rule: string;
  message: string;
  blocks: Blocks;
  why: string;
  /** The rule is about labels; `key` is the label it wants, `nearMiss` the manifest's look-alike key. */
  labels: boolean;
  key?: string;
  nearMiss?: string;
  /** The PolicyReport result that says the same, or that alone says it (`byReport`). */
  report?: ReportedResult;
  byReport?: boolean;
}

/** How Kyverno's reports name a policy: `<name>`, or `<namespace>/<name>` for a namespaced Policy. */
const reportName = (p: KubeObject) =>
  p.kind === 'Policy'
    ? `${p.metadata.namespace}/${p.metadata.name}`
    : p.metadata.name;

function findPolicy(
  policies: KubeObject[],
  r: ReportedResult,
  reportNamespace: string,
) {
  return policies.find(
    p =>
      reportName(p) === r.policy ||
      (p.kind === 'Policy' &&
        p.metadata.name === r.policy &&
        p.metadata.namespace === reportNamespace),
  );
}

/** The label key a failure is about: from Kyverno's failure path, or for CEL the keys its expressions name. */
function labelKeyOf(
  isvc: KubeObject,
  policy: KubeObject | undefined,
  rule: string,
  path: string,
): { key?: string; nearMiss?: string; labels: boolean } {
  const nearMissOf = (key: string) =>
    Object.keys(isvc.metadata.labels ?? {}).find(
      k => findNearMiss(k, [key]) === key,
    );
  const fromPath = LABEL_PATH.exec(path)?.[1];
  if (fromPath)
    return { key: fromPath, nearMiss: nearMissOf(fromPath), labels: true };
  if (!policy) return { labels: false };
  if (isValidatingPolicy(policy)) {
    const index = /^validations\[(\d+)\]$/.exec(rule)?.[1];
    const validations: any[] = policy.spec?.validations ?? [];
    const variables = new Map<string, string>(
      ((policy.spec?.variables ?? []) as any[]).map(v => [
        String(v?.name),
        String(v?.expression ?? ''),
      ]),
    );
    const exprs = (
      index !== undefined ? [validations[Number(index)]] : validations
    ).map(v => String(v?.expression ?? ''));
    // A validation reads labels directly or through the variables it uses.
    const refs = exprs.flatMap(e => {
      const r = celReferences(e);
      return [
        r,
        ...[...r.variables].map(v => celReferences(variables.get(v) ?? '')),
      ];
    });
    if (!refs.some(r => r.fields.has('labels'))) return { labels: false };
    const keys = refs.flatMap(r => r.keys);
    const has = (k: string) =>
      Object.prototype.hasOwnProperty.call(isvc.metadata.labels ?? {}, k);
    const key = keys.find(k => nearMissOf(k)) ?? keys.find(k => !has(k));
    return { key, nearMiss: key ? nearMissOf(key) : undefined, labels: true };
  }
  const validate = policyRule(policy, rule)?.validate;
  return { labels: JSON.stringify(validate ?? {}).includes('metadata.labels') };
}

function pathOfMessage(message: string): string {
  const i = message.indexOf(PATH_IN_MESSAGE);
  return i < 0 ? '' : message.slice(i + PATH_IN_MESSAGE.length);
}

function judge(
  isvc: KubeObject,
  policies: KubeObject[],
  reports: KubeObject[],
  namespaceLabels: (ns: string) => Record<string, string> | undefined,
) {
  const findings: Finding[] = [];
  const undecided = new Map<string, string>();
  const unconfirmed: string[] = [];
  const outcomesOf = new Map<string, RuleOutcome[]>();
  for (const policy of policies) {
    const create = evaluatePolicy(policy, isvc, {
      operation: 'CREATE',
      namespaceLabels,
    });
    outcomesOf.set(reportName(policy), create);
    // The live object stands for the next update: Argo CD re-applies it; Kyverno compares it with itself.
    const update = create.some(
      o => o.status === 'fail' && o.failureAction === 'Enforce',
    )
      ? evaluatePolicy(policy, isvc, {
          operation: 'UPDATE',
          oldObject: isvc,
          namespaceLabels,
        })
      : [];
    create.forEach((o, i) => {
      const name = `${reportName(policy)}${o.rule ? `/${o.rule}` : ''}`;
      if (o.status === 'fail') {
        let blocks: Blocks = 'never';
        if (o.failureAction === 'Enforce')
          blocks = update[i]?.status === 'fail' ? 'updates' : 'creates';
        findings.push({
          isvc,
          policy: reportName(policy),
          name: policy.metadata.name,
          kyvernoDenial: !isValidatingPolicy(policy),
          rule: o.rule,
          message: o.message,
          blocks,
          why: o.actionSource,
          ...labelKeyOf(isvc, policy, o.rule, o.path),
        });
      } else if (o.status === 'error') {
        undecided.set(name, `the rule errors: ${o.message}`);
      } else if (o.status === 'notEvaluated' && o.failureAction !== 'Audit') {
        undecided.set(name, `${o.feature} (${o.reason})`);
      }
    });
  }
  const results = reportedResults(reports, isvc);
  for (const r of results.filter(x => x.result === 'fail')) {
    const reportNs = r.report.includes('/') ? r.report.split('/')[0] : '';
    const policy = findPolicy(policies, r, reportNs);
    // Reports name a ValidatingPolicy's result by the policy alone.
    const sameRule = (rule: string) =>
      !policy || isValidatingPolicy(policy) || rule === r.rule;
    const name = policy ? reportName(policy) : r.policy;
    const agreeing = findings.find(f => f.policy === name && sameRule(f.rule));
    if (agreeing) {
      agreeing.report = r;
      continue;
    }
    const ours = (outcomesOf.get(name) ?? []).filter(o => sameRule(o.rule));
    const cannotDecide = ours.some(
      o => o.status === 'notEvaluated' || o.status === 'error',
    );
    if (!policy || !cannotDecide) {
      unconfirmed.push(
        `${r.report}: ${r.policy}${r.rule ? `/${r.rule}` : ''} fail: ${clip(
          r.message,
          300,
        )} — ${
          policy
            ? 'this evaluator finds no failure on the object as it is now (the report may predate its last change)'
            : 'the cluster has no such policy now'
        }`,
      );
      continue;
    }
    // The engine decided what this evaluator could not: its verdict stands, with the action the policy resolves to.
    for (const o of ours)
      undecided.delete(`${name}${o.rule ? `/${o.rule}` : ''}`);
    let blocks: Blocks;
    let why: string;
    if (isValidatingPolicy(policy)) {
      // No allowExistingViolations for CEL policies: an Enforce failure denies updates too.
      const action = validatingPolicyAction(policy);
      blocks = action.action === 'Enforce' ? 'updates' : 'never';
      why = action.source;
    } else {
      const validate = policyRule(policy, r.rule)?.validate;
      const action = resolveFailureAction(
        policy,
        validate,
        isvc.metadata.namespace ?? '',
        namespaceLabels,
      );
      why = action.action ? action.source : action.undecided;
      if (action.action === 'Audit') blocks = 'never';
      else if (action.action === 'Enforce')
        blocks =
          validate?.allowExistingViolations === false ? 'updates' : 'creates';
      else blocks = 'unknown';
    }
    findings.push({
      isvc,
      policy: name,
      name: policy.metadata.name,
      kyvernoDenial: false,
      rule: r.rule,
      message: r.message,
      blocks,
      why,
      report: r,
      byReport: true,
      ...labelKeyOf(isvc, policy, r.rule, pathOfMessage(r.message)),
    });
  }
  return { findings, undecided, unconfirmed, results };
}

const qualified = (o: KubeObject) =>
  `${o.metadata.namespace}/${o.metadata.name}`;

function describe(f: Finding): string {
  const near = f.nearMiss
    ? ` (the manifest has '${f.nearMiss}', a near miss of '${f.key}')`
    : '';
  const source = f.byReport
    ? ` (Kyverno's PolicyReport ${f.report!.report})`
    : '';
  const effect: Record<Blocks, string> = {
    updates: 'Enforce: every update is denied',
    creates:
      'Enforce: a create of this manifest is denied; updates that keep the violation are admitted (allowExistingViolations)',
    never: f.why.includes('background scans only')
      ? 'background only: reported, not denied'
      : 'Audit: reported, not denied',
    unknown: 'whether Kyverno enforces it is not known',
  };
  return `${qualified(f.isvc)}: ${f.message}${near}${source} [${f.policy}${
    f.rule ? `/${f.rule}` : ''
  }; ${effect[f.blocks]}; ${f.why}].`;
}

/**
 * A collection of an optional Kyverno kind (namespaced Policies, 1.14+ ValidatingPolicies, reports) is empty when
 * its CRD is not installed or the snapshot did not read it; a read that failed is the check's error.
 */
function optional(
  ctx: Parameters<TriageCheck['run']>[0],
  name: Parameters<typeof readCollection>[1],
) {
  const r = ctx.snapshot.collections[name];
  if (!r || (!r.ok && r.error.reason === 'not-installed'))
    return { ok: true as const, items: [] };
  return readCollection(ctx.snapshot, name);
}

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
      return {
        status: 'skipped',
        summary: 'Kyverno is not installed (no clusterpolicies.kyverno.io).',
        evidence: [],
      };
    }
    const reads = [
      readCollection(snapshot, 'clusterPolicies'),
      optional(ctx, 'kyvernoPolicies'),
      optional(ctx, 'validatingPolicies'),
      optional(ctx, 'policyReports'),
    ];
    for (const read of reads) if (!read.ok) return read.outcome;
    const [clusterPolicies, namespaced, validating, reports] = reads.map(x =>
      x.ok ? x.items : [],
    );
    const isvcs = readCollection(snapshot, 'inferenceServices');
    if (!isvcs.ok) return isvcs.outcome;
    const mine = targetInferenceServices(ctx, isvcs.items);
    if (mine.length === 0) {
      return {
        status: 'skipped',
        summary: `No live InferenceService ${describeTargetIsvc(
          ctx,
        )} to evaluate; admission answers are in argocd.sync.`,
        evidence: [],
      };
    }
    const namespaces = snapshot.collections.namespaces;
    const namespaceLabels = (ns: string) =>
      namespaces?.ok
        ? namespaces.items.find(n => n.metadata.name === ns)?.metadata.labels
        : undefined;
    const policies = [...clusterPolicies, ...namespaced, ...validating];

    const evidence: Evidence[] = [];
    const findings: Finding[] = [];
    const undecided: string[] = [];
    const unconfirmed: string[] = [];
    for (const isvc of mine) {
      const j = judge(isvc, policies, reports, namespaceLabels);
      findings.push(...j.findings);
      undecided.push(
        ...[...j.undecided].map(
          ([rule, why]) => `${qualified(isvc)} ${rule}: ${why}`,
        ),
      );
      unconfirmed.push(...j.unconfirmed);
      evidence.push({
        object: ref(isvc, 'InferenceService'),
        label: 'Labels read',
        fields: {
          'metadata.labels': JSON.stringify(isvc.metadata.labels ?? {}),
        },
      });
      if (j.results.length) {
        evidence.push({
          object: ref(isvc, 'InferenceService'),
          label:
            "Kyverno's PolicyReport results for it (the engine's own verdict)",
          lines: j.results.map(
            x =>
              `${x.report}: ${x.policy}${x.rule ? `/${x.rule}` : ''} ${
                x.result
              }: ${clip(x.message, 300)}`,
          ),
        });
      }
    }
    const denied = findings.filter(
      f => f.blocks === 'updates' || f.blocks === 'creates',
    );
    const reported = findings.filter(f => f.blocks === 'never');
    const unknown = findings.filter(f => f.blocks === 'unknown');
    // Kyverno's denial text is known for the pattern rules of ClusterPolicies and Policies (by policy name).
    const worded = denied.filter(f => f.kyvernoDenial);
    if (worded.length) {
      evidence.push({
        label: 'Kyverno denial (as the admission controller words it)',
        lines: formatDenial(
          worded[0].isvc,
          worded.map(f => ({ ...f, policy: f.name })),
        ).split('\n'),
      });
    }
    const others = [
      ...denied.filter(f => !f.kyvernoDenial),
      ...unknown,
      ...reported,
    ];
    if (others.length) {
      evidence.push({ label: 'Failing rules', lines: others.map(describe) });
    }
    if (undecided.length) {
      evidence.push({
        label:
          'Rules that cannot be decided here (not a pass, not a violation)',
        lines: undecided,
      });
    }
    if (unconfirmed.length) {
      evidence.push({
        label: 'PolicyReport failures not confirmed on the live object',
        lines: unconfirmed,
      });
    }
    const policyCount = `${policies.length} Kyverno polic${
      policies.length === 1 ? 'y' : 'ies'
    }`;
    if (denied.length === 0) {
      const notes = [
        unknown.length
          ? `${unknown.length} failing rule(s) whose enforcement is not known`
          : '',
        undecided.length
          ? `${undecided.length} rule(s) that cannot be decided here`
          : '',
        unconfirmed.length
          ? `${unconfirmed.length} PolicyReport failure(s) this evaluator does not confirm`
          : '',
      ].filter(Boolean);
      const audit = reported.length
        ? ` ${
            reported.length
          } failing rule(s) are only reported, never denied (Audit or background-only): ${describe(
            reported[0],
          )}`
        : '';
      return {
        status: notes.length ? 'warn' : 'pass',
        summary: notes.length
          ? `No rule is known to deny ${describeTargetIsvc(
              ctx,
            )}, but there are ${notes.join(', ')}.${audit}`
          : `Nothing in the ${policyCount} of the cluster denies ${describeTargetIsvc(
              ctx,
            )}.${audit}`,
        evidence,
      };
    }
    const labelFailures = denied.filter(f => f.labels);
    const f =
      denied.find(x => x.blocks === 'updates' && x.key) ??
      denied.find(x => x.blocks === 'updates') ??
      labelFailures[0] ??
      denied[0];
    const isvc = f.isvc;
    const [ns, name] = qualified(isvc).split('/');
    const steps = [];
    const validateBeforeMerge = {
      text: "Validate the rendered manifests against the cluster's policies before merging (and read the validator's own exit code, not tee's).",
      command:
        'set -o pipefail; yarn serving-health validate <manifests-dir> --kubeconfig <kubeconfig> --cluster-policies | tee validate.log',
    };
    if (f.nearMiss && f.key) {
      steps.push({
        text: `The manifest sets '${f.nearMiss}' where the policy requires '${f.key}' (label keys are case-sensitive). Fix the key in the template or source manifest, not only in the cluster, or Argo CD reverts it.`,
        patch: `metadata:\n  labels:\n    ${f.key}: ${JSON.stringify(
          isvc.metadata.labels?.[f.nearMiss] ?? '<value>',
        )}\n    ${f.nearMiss}: null`,
      });
      steps.push(validateBeforeMerge);
    } else if (f.key) {
      steps.push({
        text: `Add the label '${f.key}' to the source manifest of ${qualified(
          isvc,
        )}.`,
        command: `kubectl -n ${ns} label inferenceservice ${name} ${f.key}=<value> --dry-run=server -o yaml`,
      });
    } else {
      steps.push(
        {
          text: `Change the manifest so that ${f.policy}${
            f.rule ? ` ${f.rule}` : ''
          } passes: ${f.message}`,
        },
        {
          text: "Read Kyverno's own verdicts on the namespace's objects.",
          command: `kubectl -n ${ns} get policyreports -o wide`,
        },
        validateBeforeMerge,
      );
    }
    const everyUpdate = denied.some(x => x.blocks === 'updates');
    return {
      status: everyUpdate ? 'fail' : 'warn',
      failureMode: labelFailures.length ? 'label-policy-mismatch' : undefined,
      summary: describe(f),
      evidence,
      remediation: {
        why: everyUpdate
          ? 'Kyverno evaluates the labels exactly as written; an Enforce rule denies every update of the resource, so Argo CD stays OutOfSync.'
          : 'Kyverno admits updates of an object that already broke the rule (allowExistingViolations), but denies creating it: a new endpoint from the same template, or this one re-created, fails to deploy.',
        steps,
      },
    };
  },
};
