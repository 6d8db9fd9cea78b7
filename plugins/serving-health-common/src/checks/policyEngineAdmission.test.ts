import { policyEngineAdmission } from './policyEngineAdmission';
import { commands, evidenceFields, runCheck } from './__fixtures__/context';
import {
  KYVERNO_POD,
  forbidden,
  healthySnapshot,
  itemsOf,
  timeout,
  withKyvernoAdmissionNotReady,
  withKyvernoPolicyAndCleanupWebhooks,
  withKyvernoUninstalled,
  withKyvernoWebhooksIgnore,
  withReadError,
  withService,
} from './__fixtures__/snapshots';

describe('policy-engine.admission', () => {
  it('passes when kyverno-svc has a ready endpoint for the registered Kyverno webhooks', () => {
    const out = runCheck(policyEngineAdmission, healthySnapshot());
    expect(out.status).toBe('pass');
    expect(out.summary).toBe(
      '3 Kyverno webhook(s) registered and served (kyverno-svc: 1 ready).',
    );
  });

  it('passes when no Kyverno webhook is registered', () => {
    const s = healthySnapshot();
    for (const col of [
      'mutatingWebhookConfigurations',
      'validatingWebhookConfigurations',
    ] as const) {
      const items = itemsOf(s, col);
      items.splice(
        0,
        items.length,
        ...items.filter(c => !c.metadata.name.startsWith('kyverno-')),
      );
    }
    const out = runCheck(policyEngineAdmission, s);
    expect(out.status).toBe('pass');
    expect(out.evidence[0].fields).toEqual({ registered: '0' });
  });

  it('fails with policy-engine-not-ready when the webhooks are registered but the admission controller is not ready', () => {
    const out = runCheck(
      policyEngineAdmission,
      withKyvernoAdmissionNotReady(healthySnapshot()),
    );
    expect(out.status).toBe('fail');
    expect(out.failureMode).toBe('policy-engine-not-ready');
    expect(out.summary).toContain(
      '3 Kyverno webhook(s) are registered but not served',
    );
    expect(out.summary).toContain(
      `pod ${KYVERNO_POD}: container kyverno is CrashLoopBackOff`,
    );
    expect(out.summary).toContain('2 with failurePolicy Fail');
  });

  it('carries the admission controller replicas, the webhooks with their rules, and the endpoint ready:false', () => {
    const out = runCheck(
      policyEngineAdmission,
      withKyvernoAdmissionNotReady(healthySnapshot()),
    );
    expect(out.evidence[0]).toMatchObject({
      object: {
        kind: 'Deployment',
        namespace: 'kyverno',
        name: 'kyverno-admission-controller',
      },
      fields: {
        'status.readyReplicas': '0/1',
        'status.conditions[Available].status': 'False',
      },
    });
    expect(
      out.evidence.find(e => e.label === 'Kyverno webhooks')?.lines,
    ).toContain(
      'ValidatingWebhookConfiguration/kyverno-resource-validating-webhook-cfg: validate.kyverno.svc-fail -> kyverno-svc (failurePolicy Fail; CREATE,UPDATE inferenceservices in serving.kserve.io)',
    );
    expect(JSON.parse(evidenceFields(out).endpoints)).toEqual([
      { addresses: ['10.244.0.20'], ready: false, targetRef: KYVERNO_POD },
    ]);
  });

  it('gives describe, rollout-status and sync-wave remediation with the real Kyverno names', () => {
    const out = runCheck(
      policyEngineAdmission,
      withKyvernoAdmissionNotReady(healthySnapshot()),
    );
    expect(commands(out)).toEqual([
      'kubectl -n kyverno describe pods -l app.kubernetes.io/component=admission-controller',
      'kubectl -n kyverno rollout status deployment/kyverno-admission-controller --timeout=5m',
    ]);
    expect(out.remediation?.steps[2].patch).toContain(
      'argocd.argoproj.io/sync-wave: "-1"',
    );
  });

  it('warns (still policy-engine-not-ready) when every unserved Kyverno webhook has failurePolicy Ignore', () => {
    const out = runCheck(
      policyEngineAdmission,
      withKyvernoWebhooksIgnore(
        withKyvernoAdmissionNotReady(healthySnapshot()),
      ),
    );
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBe('policy-engine-not-ready');
    expect(out.summary).toContain('0 with failurePolicy Fail');
  });

  it('warns without policy-engine-not-ready when kyverno-svc does not exist at all (its webhooks are stale)', () => {
    const s = healthySnapshot();
    const svcs = itemsOf(s, 'services');
    svcs.splice(
      svcs.findIndex(x => x.metadata.name === 'kyverno-svc'),
      1,
    );
    const out = runCheck(policyEngineAdmission, s);
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain('Service kyverno/kyverno-svc does not exist');
    expect(out.summary).toContain(
      'webhooks.stale reports the configurations left behind as stale-webhook',
    );
  });

  it('warns without policy-engine-not-ready when Kyverno was uninstalled and left its configurations', () => {
    const out = runCheck(
      policyEngineAdmission,
      withKyvernoUninstalled(healthySnapshot()),
    );
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain('(namespace kyverno is gone)');
  });

  it('never counts the policy or cleanup-controller webhooks: their Service being unserved is not policy-engine-not-ready', () => {
    const out = runCheck(
      policyEngineAdmission,
      withKyvernoPolicyAndCleanupWebhooks(healthySnapshot()),
    );
    expect(out.status).toBe('pass');
    expect(out.summary).toBe(
      '3 Kyverno webhook(s) registered and served (kyverno-svc: 1 ready).',
    );
  });

  it('warns without policy-engine-not-ready when the unserved Kyverno webhooks match nothing this entity creates', () => {
    const s = withKyvernoAdmissionNotReady(healthySnapshot());
    for (const col of [
      'mutatingWebhookConfigurations',
      'validatingWebhookConfigurations',
    ] as const) {
      for (const cfg of itemsOf(s, col)) {
        if (!cfg.metadata.name.startsWith('kyverno-resource-')) continue;
        for (const w of cfg.webhooks) {
          w.rules = [
            {
              apiGroups: ['batch'],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['cronjobs'],
            },
          ];
        }
      }
    }
    const out = runCheck(policyEngineAdmission, s);
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain(
      "Their rules match nothing this entity's deployment creates",
    );
  });

  it('fails with policy-engine-not-ready when kyverno-svc is headless', () => {
    const s = withService(healthySnapshot(), 'kyverno-svc', svc => {
      svc.spec.clusterIP = 'None';
    });
    const out = runCheck(policyEngineAdmission, s);
    expect(out.status).toBe('fail');
    expect(out.failureMode).toBe('policy-engine-not-ready');
    expect(out.summary).toContain(
      'cannot route to service with ClusterIP "None"',
    );
  });

  it('does not blame a Failed pod of an old ReplicaSet next to the Ready one', () => {
    const s = withKyvernoAdmissionNotReady(healthySnapshot());
    // The endpoint is down, the only current pod crash-loops; a Failed pod from before must not be named instead.
    const old = JSON.parse(
      JSON.stringify(
        itemsOf(s, 'controlPlanePods').find(
          p => p.metadata.name === KYVERNO_POD,
        ),
      ),
    );
    old.metadata.name = 'kyverno-admission-controller-5c7d9b6f8-aaaaa';
    old.metadata.labels['pod-template-hash'] = '5c7d9b6f8';
    old.status.phase = 'Failed';
    old.status.containerStatuses[0].state = {
      terminated: { reason: 'OOMKilled', exitCode: 137 },
    };
    itemsOf(s, 'controlPlanePods').unshift(old);
    const out = runCheck(policyEngineAdmission, s);
    expect(out.summary).toContain(
      `pod ${KYVERNO_POD}: container kyverno is CrashLoopBackOff`,
    );
    expect(out.summary).not.toContain('OOMKilled');
  });

  it('is an error naming the RBAC rule when validating webhook configurations are forbidden', () => {
    const out = runCheck(
      policyEngineAdmission,
      withReadError(
        healthySnapshot(),
        'validatingWebhookConfigurations',
        forbidden(
          'validatingwebhookconfigurations',
          'admissionregistration.k8s.io',
        ),
      ),
    );
    expect(out.status).toBe('error');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain(
      'resources: ["validatingwebhookconfigurations"]',
    );
  });

  // An unreadable Service is not a dead one: a 403 must not become policy-engine-not-ready.
  it('is an error (not policy-engine-not-ready) when listing Services is forbidden', () => {
    const out = runCheck(
      policyEngineAdmission,
      withReadError(healthySnapshot(), 'services', forbidden('services', '')),
    );
    expect(out.status).toBe('error');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain(
      '{apiGroups: [""], resources: ["services"], verbs: ["list"]}',
    );
  });

  it('is an error (not policy-engine-not-ready) when listing EndpointSlices times out', () => {
    const out = runCheck(
      policyEngineAdmission,
      withReadError(
        healthySnapshot(),
        'endpointSlices',
        timeout('list endpointslices.discovery.k8s.io -A'),
      ),
    );
    expect(out.status).toBe('error');
    expect(out.failureMode).toBeUndefined();
  });
});

describe('policy-engine.admission with matchConditions it cannot decide', () => {
  it('warns that the dead webhooks may intercept the entity, without naming a failure mode', () => {
    const s = withKyvernoAdmissionNotReady(healthySnapshot());
    for (const col of [
      'mutatingWebhookConfigurations',
      'validatingWebhookConfigurations',
    ] as const) {
      for (const config of itemsOf(s, col)) {
        if (!config.metadata.name.startsWith('kyverno-resource-')) continue;
        for (const w of config.webhooks ?? []) {
          // Who asks is not known to the triage: the condition cannot be decided.
          w.matchConditions = [
            {
              name: 'humans-only',
              expression:
                "request.userInfo.username != 'system:serviceaccount:argocd:argocd-application-controller'",
            },
          ];
        }
      }
    }
    const out = runCheck(policyEngineAdmission, s);
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain(
      "They may intercept this entity's objects, which cannot be decided here",
    );
  });
});
