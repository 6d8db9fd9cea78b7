import { policyLabels } from './policyLabels';
import { evidenceFields, evidenceLines, runCheck } from './__fixtures__/context';
import {
  defaultTarget,
  forbidden,
  healthySnapshot,
  timeout,
  withCostCenterNearMiss,
  withKyvernoNotInstalled,
  withPolicyAction,
  withReadError,
  withoutInferenceServiceCrd,
} from './__fixtures__/snapshots';

describe('policy.labels', () => {
  it('passes when the InferenceService carries the label the ClusterPolicy requires', () => {
    const out = runCheck(policyLabels, healthySnapshot());
    expect(out.status).toBe('pass');
    expect(out.failureMode).toBeUndefined();
  });

  it('fails with label-policy-mismatch when the manifest has costCenter and the Enforce policy requires cost-center', () => {
    const out = runCheck(policyLabels, withCostCenterNearMiss(healthySnapshot()));
    expect(out.status).toBe('fail');
    expect(out.failureMode).toBe('label-policy-mismatch');
    expect(out.summary).toContain("the manifest has 'costCenter', a near miss of 'cost-center'");
    expect(out.summary).toContain('failed at path /metadata/labels/cost-center/');
  });

  it('carries the labels as read and the denial in Kyverno\'s wording', () => {
    const out = runCheck(policyLabels, withCostCenterNearMiss(healthySnapshot()));
    expect(JSON.parse(evidenceFields(out)['metadata.labels'])).toMatchObject({ costCenter: 'cc-4200' });
    expect(evidenceFields(out)['metadata.labels']).not.toContain('"cost-center"');
    expect(evidenceLines(out).join('\n')).toContain('resource InferenceService/models/fraud-detector was blocked due to the following policies');
  });

  it('gives a patch that renames costCenter to cost-center, keeping the value', () => {
    const out = runCheck(policyLabels, withCostCenterNearMiss(healthySnapshot()));
    expect(out.remediation?.steps[0].patch).toBe('metadata:\n  labels:\n    cost-center: "cc-4200"\n    costCenter: null');
  });

  it('warns (still label-policy-mismatch) when the failing policy is Audit only', () => {
    const out = runCheck(policyLabels, withPolicyAction(withCostCenterNearMiss(healthySnapshot()), 'Audit'));
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBe('label-policy-mismatch');
    expect(out.summary).toContain('(Audit: reported, not denied)');
  });

  it('is skipped when Kyverno is not installed', () => {
    const out = runCheck(policyLabels, withKyvernoNotInstalled(healthySnapshot()));
    expect(out.status).toBe('skipped');
  });

  it('is skipped when the InferenceService does not exist (argocd.sync carries the admission answer)', () => {
    const out = runCheck(policyLabels, withoutInferenceServiceCrd(healthySnapshot()));
    expect(out.status).toBe('skipped');
  });

  it('is skipped when the entity names no InferenceService', () => {
    const out = runCheck(policyLabels, healthySnapshot(), { target: defaultTarget({ inferenceService: undefined }) });
    expect(out.status).toBe('skipped');
  });

  it('is an error naming the kyverno.io RBAC rule when ClusterPolicies are forbidden', () => {
    const out = runCheck(policyLabels, withReadError(healthySnapshot(), 'clusterPolicies', forbidden('clusterpolicies', 'kyverno.io')));
    expect(out.status).toBe('error');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain('{apiGroups: ["kyverno.io"], resources: ["clusterpolicies"], verbs: ["list"]}');
  });

  it('is an error when listing InferenceServices times out', () => {
    const out = runCheck(policyLabels, withReadError(healthySnapshot(), 'inferenceServices', timeout('list inferenceservices.serving.kserve.io -A')));
    expect(out.status).toBe('error');
  });
});
