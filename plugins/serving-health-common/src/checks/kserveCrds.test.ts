import { kserveCrds } from './kserveCrds';
import { commands, runCheck } from './__fixtures__/context';
import {
  forbidden,
  healthySnapshot,
  timeout,
  withInferenceServiceCrdNotEstablished,
  withoutInferenceServiceCrd,
  withoutServingRuntimeCrd,
  withReadError,
} from './__fixtures__/snapshots';

const ISVC_CRD = 'inferenceservices.serving.kserve.io';

describe('kserve.crds', () => {
  it('passes when the KServe CRDs exist and are Established (extra CRDs are fine)', () => {
    const out = runCheck(kserveCrds, healthySnapshot());
    expect(out.status).toBe('pass');
    expect(out.failureMode).toBeUndefined();
  });

  it('fails with crd-missing when the InferenceService CRD does not exist', () => {
    const out = runCheck(kserveCrds, withoutInferenceServiceCrd(healthySnapshot()));
    expect(out.status).toBe('fail');
    expect(out.failureMode).toBe('crd-missing');
    expect(out.summary).toContain(`CRD ${ISVC_CRD} does not exist`);
  });

  it('shows the missing CRD as exists:false evidence', () => {
    const out = runCheck(kserveCrds, withoutInferenceServiceCrd(healthySnapshot()));
    expect(out.evidence).toContainEqual({
      object: { kind: 'CustomResourceDefinition', name: ISVC_CRD },
      label: 'CRD',
      fields: { exists: 'false' },
    });
  });

  it('explains the $patch: delete cause and gives the re-install and hard-refresh commands', () => {
    const out = runCheck(kserveCrds, withoutInferenceServiceCrd(healthySnapshot()));
    expect(out.remediation?.why).toContain('$patch: delete');
    expect(commands(out)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('kubectl apply --server-side -f https://github.com/kserve/kserve/releases/download/'),
        'kubectl -n argocd annotate applications.argoproj.io --all argocd.argoproj.io/refresh=hard --overwrite',
      ]),
    );
  });

  it('fails with crd-missing when the CRD exists but is not Established, with the conditions as read', () => {
    const out = runCheck(kserveCrds, withInferenceServiceCrdNotEstablished(healthySnapshot()));
    expect(out.status).toBe('fail');
    expect(out.failureMode).toBe('crd-missing');
    expect(out.summary).toBe(`CRD ${ISVC_CRD} exists but is not Established.`);
    expect(out.evidence[0]).toMatchObject({
      object: { kind: 'CustomResourceDefinition', name: ISVC_CRD },
      fields: {
        'status.conditions[Established].status': 'False',
        'status.conditions[NamesAccepted].status': 'False',
      },
    });
    expect(commands(out)).toEqual([`kubectl get crd ${ISVC_CRD} -o jsonpath='{.status.conditions}'`]);
  });

  it('warns, without a failure mode, when only a supporting CRD (servingruntimes) is missing', () => {
    const out = runCheck(kserveCrds, withoutServingRuntimeCrd(healthySnapshot()));
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain('servingruntimes.serving.kserve.io');
  });

  it('is an error naming the apiextensions.k8s.io RBAC rule when listing CRDs is forbidden', () => {
    const out = runCheck(
      kserveCrds,
      withReadError(healthySnapshot(), 'customResourceDefinitions', forbidden('customresourcedefinitions', 'apiextensions.k8s.io')),
    );
    expect(out.status).toBe('error');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toBe(
      'Not allowed to list customresourcedefinitions.apiextensions.k8s.io: the cluster identity lacks the RBAC rule {apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["list"]}.',
    );
  });

  it('is an error (never crd-missing) when listing CRDs times out', () => {
    const out = runCheck(
      kserveCrds,
      withReadError(healthySnapshot(), 'customResourceDefinitions', timeout('list customresourcedefinitions')),
    );
    expect(out.status).toBe('error');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain("'list customresourcedefinitions' in time");
  });
});
