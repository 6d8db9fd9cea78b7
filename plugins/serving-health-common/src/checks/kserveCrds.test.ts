import { kserveCrds } from './kserveCrds';
import { commands, runCheck } from './__fixtures__/context';
import {
  defaultTarget,
  forbidden,
  healthySnapshot,
  itemsOf,
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
    const out = runCheck(
      kserveCrds,
      withoutInferenceServiceCrd(healthySnapshot()),
    );
    expect(out.status).toBe('fail');
    expect(out.failureMode).toBe('crd-missing');
    expect(out.summary).toContain(`CRD ${ISVC_CRD} does not exist`);
  });

  it('shows the missing CRD as exists:false evidence', () => {
    const out = runCheck(
      kserveCrds,
      withoutInferenceServiceCrd(healthySnapshot()),
    );
    expect(out.evidence).toContainEqual({
      object: { kind: 'CustomResourceDefinition', name: ISVC_CRD },
      label: 'CRD',
      fields: { exists: 'false' },
    });
  });

  it('explains the $patch: delete cause and gives the re-install and hard-refresh commands', () => {
    const out = runCheck(
      kserveCrds,
      withoutInferenceServiceCrd(healthySnapshot()),
    );
    expect(out.remediation?.why).toContain('$patch: delete');
    expect(commands(out)).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'kubectl apply --server-side -f https://github.com/kserve/kserve/releases/download/',
        ),
        'kubectl -n argocd annotate applications.argoproj.io fraud-detector argocd.argoproj.io/refresh=hard --overwrite',
      ]),
    );
  });

  it("refreshes the entity's Application in its own namespace, or every Application in every namespace", () => {
    const inTeamNs = runCheck(
      kserveCrds,
      withoutInferenceServiceCrd(healthySnapshot()),
      {
        target: defaultTarget({
          argoApp: { namespace: 'team-ml', name: 'fraud-detector' },
        }),
      },
    );
    expect(commands(inTeamNs)).toContain(
      'kubectl -n team-ml annotate applications.argoproj.io fraud-detector argocd.argoproj.io/refresh=hard --overwrite',
    );
    const none = runCheck(
      kserveCrds,
      withoutInferenceServiceCrd(healthySnapshot()),
      { target: defaultTarget({ argoApp: undefined }) },
    );
    expect(commands(none)).toContain(
      'kubectl annotate applications.argoproj.io --all -A argocd.argoproj.io/refresh=hard --overwrite',
    );
  });

  it('fails with crd-missing when the CRD exists but is not Established, with the conditions as read', () => {
    const out = runCheck(
      kserveCrds,
      withInferenceServiceCrdNotEstablished(healthySnapshot()),
    );
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
    expect(commands(out)).toEqual([
      `kubectl get crd ${ISVC_CRD} -o jsonpath='{.status.conditions}'`,
    ]);
  });

  describe('a CRD stuck deleting', () => {
    function terminating(o: {
      deletionTimestamp?: boolean;
      condition?: boolean;
      finalizers?: boolean;
    }) {
      const s = healthySnapshot();
      const crd = itemsOf(s, 'customResourceDefinitions').find(
        c => c.metadata.name === ISVC_CRD,
      )!;
      crd.metadata.finalizers = ['customresourcecleanup.apiextensions.k8s.io'];
      if (o.deletionTimestamp)
        crd.metadata.deletionTimestamp = '2025-11-24T08:12:00Z';
      if (o.condition) {
        crd.status.conditions.push({
          type: 'Terminating',
          status: 'True',
          reason: 'InstanceDeletionInProgress',
          message: 'CustomResource deletion is in progress',
        });
      }
      if (o.finalizers) {
        const isvc = itemsOf(s, 'inferenceServices')[0];
        isvc.metadata.finalizers = ['inferenceservice.finalizers'];
        isvc.metadata.deletionTimestamp = '2025-11-24T08:12:01Z';
      }
      return s;
    }

    it('is crd-missing when the CRD has a deletionTimestamp, though it still reads Established', () => {
      const out = runCheck(
        kserveCrds,
        terminating({ deletionTimestamp: true, finalizers: true }),
      );
      expect(out.status).toBe('fail');
      expect(out.failureMode).toBe('crd-missing');
      expect(out.summary).toContain(
        `CRD ${ISVC_CRD} is being deleted (since 2025-11-24T08:12:00Z) and stuck: 1 InferenceService(s) still carry finalizers (inferenceservice.finalizers)`,
      );
      expect(out.summary).toContain(
        'create not allowed while custom resource definition is terminating',
      );
    });

    it('is crd-missing on a Terminating condition alone, with the condition as evidence', () => {
      const out = runCheck(kserveCrds, terminating({ condition: true }));
      expect(out.failureMode).toBe('crd-missing');
      expect(out.evidence[0].fields).toMatchObject({
        'metadata.finalizers': '["customresourcecleanup.apiextensions.k8s.io"]',
        'status.conditions[Terminating].status': 'True',
        'status.conditions[Terminating].reason': 'InstanceDeletionInProgress',
      });
    });

    it('names the InferenceServices holding the deletion and the patch that releases them', () => {
      const out = runCheck(
        kserveCrds,
        terminating({
          deletionTimestamp: true,
          condition: true,
          finalizers: true,
        }),
      );
      expect(out.evidence).toContainEqual({
        object: expect.objectContaining({
          kind: 'InferenceService',
          namespace: 'models',
          name: 'fraud-detector',
        }),
        label: 'Custom resource holding the deletion',
        fields: {
          'metadata.finalizers': '["inferenceservice.finalizers"]',
          'metadata.deletionTimestamp': '2025-11-24T08:12:01Z',
        },
      });
      expect(commands(out)).toEqual([
        'kubectl -n kserve rollout status deployment/kserve-controller-manager',
        `kubectl -n models patch inferenceservice fraud-detector --type=merge -p '{"metadata":{"finalizers":null}}'`,
        'kubectl apply --server-side -f https://github.com/kserve/kserve/releases/download/<version>/kserve.yaml',
      ]);
    });

    it("says no controller is left to remove the finalizers when KServe's Deployment is gone", () => {
      const s = terminating({ deletionTimestamp: true, finalizers: true });
      itemsOf(s, 'controlPlaneDeployments').splice(0, 1);
      const out = runCheck(kserveCrds, s);
      expect(out.remediation?.steps[0].text).toContain(
        'No KServe controller is left to remove the finalizers',
      );
      expect(commands(out)[0]).toBe(
        `kubectl -n models patch inferenceservice fraud-detector --type=merge -p '{"metadata":{"finalizers":null}}'`,
      );
    });

    it('passes a CRD with a Terminating condition that is False', () => {
      const s = healthySnapshot();
      const crd = itemsOf(s, 'customResourceDefinitions').find(
        c => c.metadata.name === ISVC_CRD,
      )!;
      crd.status.conditions.push({ type: 'Terminating', status: 'False' });
      expect(runCheck(kserveCrds, s).status).toBe('pass');
    });
  });

  it('warns, without a failure mode, when only a supporting CRD (servingruntimes) is missing', () => {
    const out = runCheck(
      kserveCrds,
      withoutServingRuntimeCrd(healthySnapshot()),
    );
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain('servingruntimes.serving.kserve.io');
  });

  it('is an error naming the apiextensions.k8s.io RBAC rule when listing CRDs is forbidden', () => {
    const out = runCheck(
      kserveCrds,
      withReadError(
        healthySnapshot(),
        'customResourceDefinitions',
        forbidden('customresourcedefinitions', 'apiextensions.k8s.io'),
      ),
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
      withReadError(
        healthySnapshot(),
        'customResourceDefinitions',
        timeout('list customresourcedefinitions'),
      ),
    );
    expect(out.status).toBe('error');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain("'list customresourcedefinitions' in time");
  });
});
