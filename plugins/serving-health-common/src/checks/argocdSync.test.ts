import { argocdSync } from './argocdSync';
import {
  commands,
  evidenceFields,
  priorResult,
  runCheck,
} from './__fixtures__/context';
import {
  CRD_MISSING_ARGO_MESSAGE,
  KSERVE_NO_ENDPOINTS_ADMISSION_ERROR,
  KYVERNO_NO_ENDPOINTS_ADMISSION_ERROR,
  LABEL_POLICY_DENIAL,
  argoStatusFailing,
  defaultTarget,
  forbidden,
  healthySnapshot,
  timeout,
  withArgoAppStatus,
  withReadError,
  withoutInferenceServiceCrd,
} from './__fixtures__/snapshots';

const STALE_GATEKEEPER_ERROR =
  'Internal error occurred: failed calling webhook "validation.gatekeeper.sh": failed to call webhook: Post "https://gatekeeper-webhook-service.gatekeeper-system.svc:443/v1/admit?timeout=10s": service "gatekeeper-webhook-service" not found';

function failingWith(
  message: string,
  extra: Partial<Parameters<typeof argoStatusFailing>[0]> = {},
) {
  return withArgoAppStatus(
    healthySnapshot(),
    argoStatusFailing({ message, ...extra }),
  );
}

describe('argocd.sync', () => {
  it('passes when the Application is Synced and Healthy', () => {
    const out = runCheck(argocdSync, healthySnapshot());
    expect(out.status).toBe('pass');
    expect(out.summary).toBe(
      'Application argocd/fraud-detector is Synced and Healthy.',
    );
  });

  it('is skipped when the entity has no argocd/app-name annotation', () => {
    const out = runCheck(argocdSync, healthySnapshot(), {
      target: defaultTarget({ argoApp: undefined }),
    });
    expect(out.status).toBe('skipped');
  });

  it('fails when the named Application does not exist', () => {
    const out = runCheck(argocdSync, healthySnapshot(), {
      target: defaultTarget({
        argoApp: { namespace: 'argocd', name: 'fraud-detectr' },
      }),
    });
    expect(out.status).toBe('fail');
    expect(out.summary).toBe(
      'Argo CD Application argocd/fraud-detectr does not exist.',
    );
    expect(commands(out)).toEqual([
      'kubectl get applications.argoproj.io -A | grep fraud-detectr',
    ]);
  });

  it('looks the Application up in its own namespace', () => {
    const out = runCheck(argocdSync, healthySnapshot(), {
      target: defaultTarget({
        argoApp: { namespace: 'team-apps', name: 'fraud-detector' },
      }),
    });
    expect(out.status).toBe('fail');
  });

  it('is an error naming the argoproj.io RBAC rule when applications are forbidden', () => {
    const out = runCheck(
      argocdSync,
      withReadError(
        healthySnapshot(),
        'applications',
        forbidden('applications', 'argoproj.io'),
      ),
    );
    expect(out.status).toBe('error');
    expect(out.summary).toContain(
      '{apiGroups: ["argoproj.io"], resources: ["applications"], verbs: ["list"]}',
    );
  });

  it('is an error when listing applications times out', () => {
    const out = runCheck(
      argocdSync,
      withReadError(
        healthySnapshot(),
        'applications',
        timeout('list applications.argoproj.io -A'),
      ),
    );
    expect(out.status).toBe('error');
  });

  it('carries the sync/health status, the operation phase, the SyncError condition and the failed resource verbatim', () => {
    const out = runCheck(
      argocdSync,
      failingWith(KSERVE_NO_ENDPOINTS_ADMISSION_ERROR),
      {
        results: [
          priorResult(
            'kserve.webhook-endpoints',
            'fail',
            'webhook-no-endpoints',
          ),
        ],
      },
    );
    expect(out.evidence[0].object).toMatchObject({
      kind: 'Application',
      namespace: 'argocd',
      name: 'fraud-detector',
    });
    expect(evidenceFields(out)).toEqual({
      'status.sync.status': 'OutOfSync',
      'status.health.status': 'Degraded',
      'status.operationState.phase': 'Failed',
      'status.operationState.message': `one or more objects failed to apply, reason: ${KSERVE_NO_ENDPOINTS_ADMISSION_ERROR}`,
      'status.conditions[0] SyncError': `Failed sync attempt to 9a0b1c2: one or more objects failed to apply, reason: ${KSERVE_NO_ENDPOINTS_ADMISSION_ERROR}`,
      'syncResult InferenceService models/fraud-detector': `SyncFailed: ${KSERVE_NO_ENDPOINTS_ADMISSION_ERROR}`,
      'resources InferenceService models/fraud-detector': 'OutOfSync Missing',
    });
  });

  it('gives the hard-refresh and sync command with the real Application name and namespace', () => {
    const out = runCheck(
      argocdSync,
      failingWith(KSERVE_NO_ENDPOINTS_ADMISSION_ERROR),
    );
    expect(commands(out)).toEqual([
      'kubectl -n argocd get applications.argoproj.io fraud-detector -o yaml',
      'kubectl -n argocd annotate applications.argoproj.io fraud-detector argocd.argoproj.io/refresh=hard --overwrite && argocd app sync fraud-detector',
    ]);
  });

  describe('classifies the Argo CD message into a failure mode', () => {
    it('webhook-no-endpoints, confirmed by a failing kserve.webhook-endpoints', () => {
      const out = runCheck(
        argocdSync,
        failingWith(KSERVE_NO_ENDPOINTS_ADMISSION_ERROR),
        {
          results: [
            priorResult(
              'kserve.webhook-endpoints',
              'fail',
              'webhook-no-endpoints',
            ),
          ],
        },
      );
      expect(out.status).toBe('fail');
      expect(out.failureMode).toBe('webhook-no-endpoints');
    });

    it('policy-engine-not-ready from a kyverno-svc "no endpoints" error', () => {
      const out = runCheck(
        argocdSync,
        failingWith(KYVERNO_NO_ENDPOINTS_ADMISSION_ERROR, {
          health: 'Unknown',
          sync: 'Unknown',
        }),
        {
          results: [
            priorResult(
              'policy-engine.admission',
              'fail',
              'policy-engine-not-ready',
            ),
          ],
        },
      );
      expect(out.status).toBe('fail');
      expect(out.failureMode).toBe('policy-engine-not-ready');
    });

    it('stale-webhook from another component\'s "service not found" error', () => {
      const out = runCheck(argocdSync, failingWith(STALE_GATEKEEPER_ERROR), {
        results: [priorResult('webhooks.stale', 'fail', 'stale-webhook')],
      });
      expect(out.failureMode).toBe('stale-webhook');
    });

    it('label-policy-mismatch from a Kyverno denial at /metadata/labels/', () => {
      const out = runCheck(argocdSync, failingWith(LABEL_POLICY_DENIAL));
      expect(out.status).toBe('fail');
      expect(out.failureMode).toBe('label-policy-mismatch');
    });

    it('crd-missing from "could not find serving.kserve.io/InferenceService"', () => {
      const out = runCheck(
        argocdSync,
        withoutInferenceServiceCrd(healthySnapshot()),
        {
          results: [priorResult('kserve.crds', 'fail', 'crd-missing')],
        },
      );
      expect(out.status).toBe('fail');
      expect(out.failureMode).toBe('crd-missing');
      expect(out.summary).toContain('is OutOfSync/Missing');
      expect(out.summary).toContain(CRD_MISSING_ARGO_MESSAGE);
    });

    it('crd-missing from a Missing InferenceService resource when kserve.crds found crd-missing and no message says more', () => {
      const s = withArgoAppStatus(healthySnapshot(), {
        sync: { status: 'OutOfSync' },
        health: { status: 'Missing' },
        resources: [
          {
            group: 'serving.kserve.io',
            kind: 'InferenceService',
            namespace: 'models',
            name: 'fraud-detector',
            status: 'OutOfSync',
            health: { status: 'Missing' },
          },
        ],
      });
      const out = runCheck(argocdSync, s, {
        results: [priorResult('kserve.crds', 'fail', 'crd-missing')],
      });
      expect(out.status).toBe('fail');
      expect(out.failureMode).toBe('crd-missing');
    });

    it('no failure mode for a Missing InferenceService resource when the CRD is fine', () => {
      const s = withArgoAppStatus(healthySnapshot(), {
        sync: { status: 'OutOfSync' },
        health: { status: 'Missing' },
        resources: [
          {
            group: 'serving.kserve.io',
            kind: 'InferenceService',
            namespace: 'models',
            name: 'fraud-detector',
            status: 'OutOfSync',
            health: { status: 'Missing' },
          },
        ],
      });
      const out = runCheck(argocdSync, s, {
        results: [priorResult('kserve.crds', 'pass')],
      });
      expect(out.status).toBe('fail');
      expect(out.failureMode).toBeUndefined();
    });
  });

  describe('Argo CD 3.x status (no per-resource health) and Applications in any namespace', () => {
    const v3 = (status: any) => withArgoAppStatus(healthySnapshot(), status);
    const isvcResource = {
      group: 'serving.kserve.io',
      version: 'v1beta1',
      kind: 'InferenceService',
      namespace: 'models',
      name: 'fraud-detector',
    };

    it('names crd-missing from an OutOfSync InferenceService when 3.x records no resource health', () => {
      const s = v3({
        sync: { status: 'OutOfSync' },
        health: { status: 'Missing' },
        resources: [{ ...isvcResource, status: 'OutOfSync' }],
      });
      const out = runCheck(argocdSync, s, {
        results: [priorResult('kserve.crds', 'fail', 'crd-missing')],
      });
      expect(out.status).toBe('fail');
      expect(out.failureMode).toBe('crd-missing');
      expect(evidenceFields(out)).toMatchObject({
        'resources InferenceService models/fraud-detector': 'OutOfSync',
        'status.resources[].health':
          'not recorded (Argo CD 3.x default): health is read from status.health',
      });
    });

    it('judges a 3.x app by its app-level health: Synced/Healthy passes with no resource health', () => {
      const out = runCheck(
        argocdSync,
        v3({
          sync: { status: 'Synced' },
          health: { status: 'Healthy' },
          resources: [{ ...isvcResource, status: 'Synced' }],
        }),
      );
      expect(out.status).toBe('pass');
    });

    it('fails a 3.x app on app-level Degraded health though no resource carries health', () => {
      const out = runCheck(
        argocdSync,
        v3({
          sync: { status: 'Synced' },
          health: { status: 'Degraded', message: 'InferenceService not ready' },
          resources: [{ ...isvcResource, status: 'Synced' }],
        }),
      );
      expect(out.status).toBe('fail');
      expect(out.summary).toContain('Synced/Degraded');
    });

    it('syncs an Application outside the argocd namespace by its qualified name', () => {
      const s = withArgoAppStatus(
        healthySnapshot(),
        argoStatusFailing({ message: 'x' }),
      );
      for (const app of s.collections.applications!.ok
        ? s.collections.applications!.items
        : []) {
        if (app.metadata.name === 'fraud-detector')
          app.metadata.namespace = 'team-ml';
      }
      const out = runCheck(argocdSync, s, {
        target: defaultTarget({
          argoApp: { namespace: 'team-ml', name: 'fraud-detector' },
        }),
      });
      expect(out.status).toBe('fail');
      expect(commands(out)).toContain(
        'kubectl -n team-ml annotate applications.argoproj.io fraud-detector argocd.argoproj.io/refresh=hard --overwrite && argocd app sync team-ml/fraud-detector',
      );
    });
  });

  describe('the cluster state wins over the Argo CD message', () => {
    it('stays a failure, with no failure mode and "cause not confirmed", when Argo says webhook-no-endpoints, kserve.webhook-endpoints passes, and nothing succeeded since', () => {
      const out = runCheck(
        argocdSync,
        failingWith(KSERVE_NO_ENDPOINTS_ADMISSION_ERROR),
        {
          results: [priorResult('kserve.webhook-endpoints', 'pass')],
        },
      );
      expect(out.status).toBe('fail');
      expect(out.failureMode).toBeUndefined();
      expect(out.summary).toContain(
        'cause not confirmed by the cluster state (the message points at webhook-no-endpoints, which kserve.webhook-endpoints finds healthy now)',
      );
    });

    it('warns that the message is outdated when the app is Synced since', () => {
      const s = withArgoAppStatus(healthySnapshot(), {
        ...argoStatusFailing({
          message: KSERVE_NO_ENDPOINTS_ADMISSION_ERROR,
          operation: false,
        }),
        sync: { status: 'Synced' },
        health: { status: 'Healthy' },
      });
      const out = runCheck(argocdSync, s, {
        results: [priorResult('kserve.webhook-endpoints', 'pass')],
      });
      expect(out.status).toBe('warn');
      expect(out.failureMode).toBeUndefined();
      expect(out.summary).toContain('the message is outdated');
    });

    it('warns that the message is outdated when a later operation succeeded (still OutOfSync)', () => {
      const s = withArgoAppStatus(healthySnapshot(), {
        ...argoStatusFailing({
          message: KSERVE_NO_ENDPOINTS_ADMISSION_ERROR,
          operation: false,
        }),
        operationState: {
          phase: 'Succeeded',
          message: 'successfully synced (all tasks run)',
          startedAt: '2025-11-24T09:27:00Z',
          finishedAt: '2025-11-24T09:27:02Z',
        },
      });
      const out = runCheck(argocdSync, s, {
        results: [priorResult('kserve.webhook-endpoints', 'pass')],
      });
      expect(out.status).toBe('warn');
      expect(out.summary).toContain('succeeded in an operation');
    });

    it('does not call the message outdated when the succeeded operation finished before it', () => {
      const s = withArgoAppStatus(healthySnapshot(), {
        ...argoStatusFailing({
          message: KSERVE_NO_ENDPOINTS_ADMISSION_ERROR,
          operation: false,
        }),
        operationState: {
          phase: 'Succeeded',
          message: 'successfully synced (all tasks run)',
          startedAt: '2025-11-24T09:00:00Z',
          finishedAt: '2025-11-24T09:00:02Z',
        },
      });
      const out = runCheck(argocdSync, s, {
        results: [priorResult('kserve.webhook-endpoints', 'pass')],
      });
      expect(out.status).toBe('fail');
      expect(out.summary).toContain('cause not confirmed by the cluster state');
    });

    it('names webhook-unavailable from another component\'s "no endpoints" error, confirmed by webhooks.unavailable', () => {
      const message =
        'Internal error occurred: failed calling webhook "webhook.cert-manager.io": failed to call webhook: Post "https://cert-manager-webhook.cert-manager.svc:443/mutate?timeout=10s": no endpoints available for service "cert-manager-webhook"';
      const out = runCheck(argocdSync, failingWith(message), {
        results: [
          priorResult('webhooks.unavailable', 'fail', 'webhook-unavailable'),
        ],
      });
      expect(out.status).toBe('fail');
      expect(out.failureMode).toBe('webhook-unavailable');
    });

    it("names no mode for an x509 error from KServe's webhook (its Service has endpoints)", () => {
      const message =
        'Internal error occurred: failed calling webhook "inferenceservice.kserve-webhook-server.defaulter": failed to call webhook: Post "https://kserve-webhook-server-service.kserve.svc:443/mutate-serving-kserve-io-v1beta1-inferenceservice?timeout=10s": tls: failed to verify certificate: x509: certificate signed by unknown authority';
      const out = runCheck(argocdSync, failingWith(message), {
        results: [priorResult('kserve.webhook-endpoints', 'pass')],
      });
      expect(out.status).toBe('fail');
      expect(out.failureMode).toBeUndefined();
      expect(evidenceFields(out)['status.operationState.message']).toContain(
        'x509: certificate signed by unknown authority',
      );
    });

    it('names the mode from the Argo message when the authoritative check errored', () => {
      const out = runCheck(
        argocdSync,
        failingWith(KSERVE_NO_ENDPOINTS_ADMISSION_ERROR),
        {
          results: [priorResult('kserve.webhook-endpoints', 'error')],
        },
      );
      expect(out.status).toBe('fail');
      expect(out.failureMode).toBe('webhook-no-endpoints');
    });

    it('names the mode from the Argo message when the authoritative check was skipped', () => {
      const out = runCheck(argocdSync, failingWith(STALE_GATEKEEPER_ERROR), {
        results: [priorResult('webhooks.stale', 'skipped')],
      });
      expect(out.failureMode).toBe('stale-webhook');
    });

    it("names a later message's mode when an earlier message is contradicted by the cluster", () => {
      const s = withArgoAppStatus(healthySnapshot(), {
        ...argoStatusFailing({
          message: KSERVE_NO_ENDPOINTS_ADMISSION_ERROR,
          operation: false,
        }),
        operationState: {
          phase: 'Error',
          message: KYVERNO_NO_ENDPOINTS_ADMISSION_ERROR,
        },
      });
      const out = runCheck(argocdSync, s, {
        results: [
          priorResult('kserve.webhook-endpoints', 'pass'),
          priorResult(
            'policy-engine.admission',
            'fail',
            'policy-engine-not-ready',
          ),
        ],
      });
      expect(out.status).toBe('fail');
      expect(out.failureMode).toBe('policy-engine-not-ready');
    });
  });

  describe('status classification', () => {
    it('fails on health Degraded', () => {
      const s = withArgoAppStatus(healthySnapshot(), {
        sync: { status: 'Synced' },
        health: {
          status: 'Degraded',
          message: 'InferenceService is not ready',
        },
      });
      expect(runCheck(argocdSync, s).status).toBe('fail');
    });

    it('fails on health Unknown', () => {
      const s = withArgoAppStatus(healthySnapshot(), {
        sync: { status: 'Unknown' },
        health: { status: 'Unknown' },
      });
      expect(runCheck(argocdSync, s).status).toBe('fail');
    });

    it('fails on a ComparisonError condition even when Synced/Healthy', () => {
      const s = withArgoAppStatus(healthySnapshot(), {
        sync: { status: 'Synced' },
        health: { status: 'Healthy' },
        conditions: [
          {
            type: 'ComparisonError',
            message:
              'rpc error: code = Unknown desc = Manifest generation error (cached): kustomize build failed',
          },
        ],
      });
      const out = runCheck(argocdSync, s);
      expect(out.status).toBe('fail');
      expect(
        evidenceFields(out)['status.conditions[0] ComparisonError'],
      ).toContain('kustomize build failed');
    });

    it('fails on a failed operation even when Synced/Healthy', () => {
      const s = withArgoAppStatus(healthySnapshot(), {
        sync: { status: 'Synced' },
        health: { status: 'Healthy' },
        operationState: {
          phase: 'Failed',
          message: 'one or more synchronization tasks completed unsuccessfully',
        },
      });
      expect(runCheck(argocdSync, s).status).toBe('fail');
    });

    it('warns on OutOfSync with Healthy resources and no error', () => {
      const s = withArgoAppStatus(healthySnapshot(), {
        sync: { status: 'OutOfSync' },
        health: { status: 'Healthy' },
      });
      const out = runCheck(argocdSync, s);
      expect(out.status).toBe('warn');
      expect(out.failureMode).toBeUndefined();
    });

    it('ignores warning-type conditions (SharedResourceWarning) when judging', () => {
      const s = withArgoAppStatus(healthySnapshot(), {
        sync: { status: 'Synced' },
        health: { status: 'Healthy' },
        conditions: [
          {
            type: 'SharedResourceWarning',
            message:
              'InferenceService/fraud-detector is part of applications argocd/fraud-detector and other-model',
          },
        ],
      });
      expect(runCheck(argocdSync, s).status).toBe('pass');
    });
  });
});
