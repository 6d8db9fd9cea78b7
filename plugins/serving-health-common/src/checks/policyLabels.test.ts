import { policyLabels } from './policyLabels';
import {
  evidenceFields,
  evidenceLines,
  runCheck,
} from './__fixtures__/context';
import {
  defaultTarget,
  forbidden,
  healthySnapshot,
  timeout,
  ISVC_NAMESPACE,
  withCostCenterNearMiss,
  withKyvernoNotInstalled,
  withNamespacedPolicy,
  withNamespaceLabels,
  withPolicyAction,
  withPolicyReport,
  withPolicySpec,
  withPolicyValidate,
  withReadError,
  withValidatingPolicy,
  withoutInferenceServiceCrd,
} from './__fixtures__/snapshots';

/** The near miss under a rule that also denies updates of objects that already break it. */
const strictNearMiss = () =>
  withPolicyValidate(withCostCenterNearMiss(healthySnapshot()), {
    allowExistingViolations: false,
  });

describe('policy.labels', () => {
  it('passes when the InferenceService carries the label the ClusterPolicy requires', () => {
    const out = runCheck(policyLabels, healthySnapshot());
    expect(out.status).toBe('pass');
    expect(out.failureMode).toBeUndefined();
  });

  it('fails with label-policy-mismatch when the Enforce rule denies every update of the manifest with costCenter', () => {
    const out = runCheck(policyLabels, strictNearMiss());
    expect(out.status).toBe('fail');
    expect(out.failureMode).toBe('label-policy-mismatch');
    expect(out.summary).toContain(
      "the manifest has 'costCenter', a near miss of 'cost-center'",
    );
    expect(out.summary).toContain(
      'failed at path /metadata/labels/cost-center/',
    );
    expect(out.summary).toContain('Enforce: every update is denied');
  });

  it('warns (still label-policy-mismatch) when Kyverno admits updates of an object that already broke the rule', () => {
    const out = runCheck(
      policyLabels,
      withCostCenterNearMiss(healthySnapshot()),
    );
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBe('label-policy-mismatch');
    expect(out.summary).toContain(
      'a create of this manifest is denied; updates that keep the violation are admitted (allowExistingViolations)',
    );
  });

  it("carries the labels as read and the denial in Kyverno's wording", () => {
    const out = runCheck(policyLabels, strictNearMiss());
    expect(JSON.parse(evidenceFields(out)['metadata.labels'])).toMatchObject({
      costCenter: 'cc-4200',
    });
    expect(evidenceFields(out)['metadata.labels']).not.toContain(
      '"cost-center"',
    );
    expect(evidenceLines(out).join('\n')).toContain(
      'resource InferenceService/models/fraud-detector was blocked due to the following policies',
    );
  });

  it('gives a patch that renames costCenter to cost-center, keeping the value', () => {
    const out = runCheck(policyLabels, strictNearMiss());
    expect(out.remediation?.steps[0].patch).toBe(
      'metadata:\n  labels:\n    cost-center: "cc-4200"\n    costCenter: null',
    );
  });

  it('passes, saying so, when the failing policy is Audit only: nothing is denied', () => {
    const out = runCheck(
      policyLabels,
      withPolicyAction(strictNearMiss(), 'Audit'),
    );
    expect(out.status).toBe('pass');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain('Audit: reported, not denied');
  });

  it("passes when an override turns the Enforce policy to Audit in the model's namespace (by name or by label)", () => {
    const byName = withPolicySpec(strictNearMiss(), {
      validationFailureActionOverrides: [
        { action: 'audit', namespaces: ['mod*'] },
      ],
    });
    const r = runCheck(policyLabels, byName);
    expect([r.status, r.failureMode]).toEqual(['pass', undefined]);
    const byLabel = withPolicyValidate(strictNearMiss(), {
      failureActionOverrides: [
        {
          action: 'Audit',
          namespaceSelector: { matchLabels: { tier: 'sandbox' } },
        },
      ],
    });
    expect(runCheck(policyLabels, byLabel).status).toBe('fail');
    expect(
      runCheck(
        policyLabels,
        withNamespaceLabels(byLabel, ISVC_NAMESPACE, { tier: 'sandbox' }),
      ).status,
    ).toBe('pass');
  });

  it('passes when the policy runs in background scans only (spec.admission: false)', () => {
    const out = runCheck(
      policyLabels,
      withPolicySpec(strictNearMiss(), { admission: false }),
    );
    expect([out.status, out.failureMode]).toEqual(['pass', undefined]);
    expect(out.summary).toContain('spec.admission: false');
  });

  it('applies a namespaced Policy only to its own namespace', () => {
    expect(
      runCheck(policyLabels, withNamespacedPolicy(strictNearMiss(), 'team-b'))
        .status,
    ).toBe('pass');
    const own = runCheck(
      policyLabels,
      withNamespacedPolicy(strictNearMiss(), ISVC_NAMESPACE),
    );
    expect(own).toMatchObject({
      status: 'fail',
      failureMode: 'label-policy-mismatch',
    });
    expect(own.summary).toContain(
      'models/require-cost-center/check-cost-center',
    );
  });

  it('evaluates a ValidatingPolicy (CEL): Deny fails, and the key it names gives the near miss', () => {
    const out = runCheck(
      policyLabels,
      withValidatingPolicy(withCostCenterNearMiss(healthySnapshot())),
    );
    expect(out).toMatchObject({
      status: 'fail',
      failureMode: 'label-policy-mismatch',
    });
    expect(out.summary).toContain(
      "label cost-center is required (the manifest has 'costCenter', a near miss of 'cost-center')",
    );
    expect(
      runCheck(policyLabels, withValidatingPolicy(healthySnapshot())).status,
    ).toBe('pass');
  });

  it('says a CEL expression it cannot evaluate cannot be decided: a warning, never a pass or a violation', () => {
    const out = runCheck(
      policyLabels,
      withValidatingPolicy(
        healthySnapshot(),
        "object.metadata.labels['cost-center'].matches('^cc-[0-9]+$')",
      ),
    );
    expect([out.status, out.failureMode]).toEqual(['warn', undefined]);
    expect(out.summary).toContain('1 rule(s) that cannot be decided here');
    expect(evidenceLines(out).join('\n')).toContain(
      'require-cost-center-cel/validations[0]',
    );
  });

  it("takes Kyverno's PolicyReport as the verdict where the evaluator cannot decide", () => {
    const s = withPolicyReport(
      withValidatingPolicy(
        healthySnapshot(),
        "object.metadata.labels['cost-center'].matches('^cc-[0-9]{5}$')",
      ),
      {
        policy: 'require-cost-center-cel',
        message: 'cost-center must be cc- and five digits',
        source: 'KyvernoValidatingPolicy',
      },
    );
    const out = runCheck(policyLabels, s);
    expect(out).toMatchObject({
      status: 'fail',
      failureMode: 'label-policy-mismatch',
    });
    expect(out.summary).toContain(
      "cost-center must be cc- and five digits (Kyverno's PolicyReport models/",
    );
    expect(evidenceLines(out).join('\n')).not.toContain(
      'cannot be decided here',
    );
    // The label is there; its value is what breaks the rule, so the fix is not "add the label".
    expect(out.remediation?.steps[0].text).toContain(
      'cost-center must be cc- and five digits',
    );
  });

  it('shows the PolicyReport that agrees with its own verdict, and warns about one it cannot confirm', () => {
    const agreeing = runCheck(
      policyLabels,
      withPolicyReport(strictNearMiss(), {
        policy: 'require-cost-center',
        rule: 'check-cost-center',
        message:
          'validation error: label cost-center is required. rule check-cost-center failed at path /metadata/labels/cost-center/',
      }),
    );
    expect(agreeing.status).toBe('fail');
    expect(evidenceLines(agreeing).join('\n')).toContain(
      'require-cost-center/check-cost-center fail: validation error',
    );
    const stale = runCheck(
      policyLabels,
      withPolicyReport(healthySnapshot(), {
        policy: 'require-cost-center',
        rule: 'check-cost-center',
        message: 'old verdict',
      }),
    );
    expect([stale.status, stale.failureMode]).toEqual(['warn', undefined]);
    expect(stale.summary).toContain(
      '1 PolicyReport failure(s) this evaluator does not confirm',
    );
  });

  it('is skipped when Kyverno is not installed', () => {
    const out = runCheck(
      policyLabels,
      withKyvernoNotInstalled(healthySnapshot()),
    );
    expect(out.status).toBe('skipped');
  });

  it('is skipped when the InferenceService does not exist (argocd.sync carries the admission answer)', () => {
    const out = runCheck(
      policyLabels,
      withoutInferenceServiceCrd(healthySnapshot()),
    );
    expect(out.status).toBe('skipped');
  });

  it('is skipped when the entity names no InferenceService', () => {
    const out = runCheck(policyLabels, healthySnapshot(), {
      target: defaultTarget({ inferenceService: undefined }),
    });
    expect(out.status).toBe('skipped');
  });

  it('is an error naming the kyverno.io RBAC rule when ClusterPolicies are forbidden', () => {
    const out = runCheck(
      policyLabels,
      withReadError(
        healthySnapshot(),
        'clusterPolicies',
        forbidden('clusterpolicies', 'kyverno.io'),
      ),
    );
    expect(out.status).toBe('error');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain(
      '{apiGroups: ["kyverno.io"], resources: ["clusterpolicies"], verbs: ["list"]}',
    );
  });

  it('is an error naming the wgpolicyk8s.io RBAC rule when PolicyReports are forbidden', () => {
    const out = runCheck(
      policyLabels,
      withReadError(
        healthySnapshot(),
        'policyReports',
        forbidden('policyreports', 'wgpolicyk8s.io'),
      ),
    );
    expect(out.status).toBe('error');
    expect(out.summary).toContain(
      '{apiGroups: ["wgpolicyk8s.io"], resources: ["policyreports"], verbs: ["list"]}',
    );
  });

  it('reads an older Kyverno without ValidatingPolicies or namespaced Policies as having none', () => {
    const notInstalled = {
      reason: 'not-installed' as const,
      request: 'list validatingpolicies',
      message: '404',
    };
    const out = runCheck(
      policyLabels,
      withReadError(healthySnapshot(), 'validatingPolicies', notInstalled),
    );
    expect(out.status).toBe('pass');
  });

  it('is an error when listing InferenceServices times out', () => {
    const out = runCheck(
      policyLabels,
      withReadError(
        healthySnapshot(),
        'inferenceServices',
        timeout('list inferenceservices.serving.kserve.io -A'),
      ),
    );
    expect(out.status).toBe('error');
  });
});
