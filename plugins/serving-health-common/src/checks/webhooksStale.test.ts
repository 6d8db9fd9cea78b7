import { webhooksStale } from './webhooksStale';
import { commands, evidenceFields, runCheck } from './__fixtures__/context';
import {
  defaultTarget,
  forbidden,
  healthySnapshot,
  itemsOf,
  timeout,
  withKServeSidecarPullForbidden,
  withKyvernoAdmissionNotReady,
  withCertManagerWebhookUnserved,
  withInferenceService,
  withKyvernoUninstalled,
  withReadError,
  withStaleIngressNginxWebhook,
  withStaleWebhook,
  withoutKServeWebhookService,
} from './__fixtures__/snapshots';

describe('webhooks.stale', () => {
  it("passes when every webhook's Service exists, whatever its owner", () => {
    const out = runCheck(webhooksStale, healthySnapshot());
    expect(out.status).toBe('pass');
    expect(out.summary).toBe(
      "7 webhook(s) checked; each one's Service exists.",
    );
  });

  it('does not call a webhook whose Service exists but is not served stale (webhook-no-endpoints, policy-engine-not-ready, webhook-unavailable)', () => {
    expect(
      runCheck(webhooksStale, withKServeSidecarPullForbidden(healthySnapshot()))
        .status,
    ).toBe('pass');
    expect(
      runCheck(webhooksStale, withKyvernoAdmissionNotReady(healthySnapshot()))
        .status,
    ).toBe('pass');
    expect(
      runCheck(webhooksStale, withCertManagerWebhookUnserved(healthySnapshot()))
        .status,
    ).toBe('pass');
  });

  it("calls KServe's webhooks stale when their Service is gone (one cause, one name), and says to restore the Service while KServe runs", () => {
    const out = runCheck(
      webhooksStale,
      withoutKServeWebhookService(healthySnapshot()),
    );
    expect(out.status).toBe('fail');
    expect(out.failureMode).toBe('stale-webhook');
    expect(out.summary).toContain(
      '(service "kserve-webhook-server-service" not found)',
    );
    expect(out.remediation?.steps[0].text).toContain(
      'Deployment kserve/kserve-controller-manager still runs: recreate the Service kserve/kserve-webhook-server-service',
    );
    expect(commands(out)).not.toContain(
      'kubectl delete validatingwebhookconfiguration inferenceservice.serving.kserve.io',
    );
  });

  it("calls Kyverno's resource webhooks left after an uninstall stale, with the delete commands for them", () => {
    const out = runCheck(
      webhooksStale,
      withKyvernoUninstalled(healthySnapshot()),
    );
    expect(out.status).toBe('fail');
    expect(out.failureMode).toBe('stale-webhook');
    expect(out.summary).toContain(
      'mutate.kyverno.svc-fail (service "kyverno-svc" not found)',
    );
    expect(commands(out)).toEqual([
      'kubectl delete mutatingwebhookconfiguration kyverno-resource-mutating-webhook-cfg',
      'kubectl delete validatingwebhookconfiguration kyverno-resource-validating-webhook-cfg',
      'kubectl -n argocd annotate applications.argoproj.io fraud-detector argocd.argoproj.io/refresh=hard --overwrite',
    ]);
    expect(out.evidence[0].fields).toMatchObject({
      'clientConfig.service': 'kyverno/kyverno-svc',
      cause: 'service "kyverno-svc" not found',
    });
  });

  it('fails with stale-webhook when a webhook whose Service is gone intercepts InferenceServices with failurePolicy Fail', () => {
    const out = runCheck(webhooksStale, withStaleWebhook(healthySnapshot()));
    expect(out.status).toBe('fail');
    expect(out.failureMode).toBe('stale-webhook');
    expect(out.summary).toContain(
      'Stale webhook validation.gatekeeper.sh (service "gatekeeper-webhook-service" not found)',
    );
    expect(out.summary).toContain(
      'failed calling webhook "validation.gatekeeper.sh"',
    );
  });

  it("carries the webhook's Service, rules, selectors, failurePolicy and whether it blocks this entity", () => {
    const out = runCheck(webhooksStale, withStaleWebhook(healthySnapshot()));
    expect(out.evidence[0].object).toEqual({
      kind: 'ValidatingWebhookConfiguration',
      name: 'gatekeeper-validating-webhook-configuration',
      apiVersion: 'admissionregistration.k8s.io/v1',
    });
    expect(out.evidence[0].fields).toEqual({
      'clientConfig.service': 'gatekeeper-system/gatekeeper-webhook-service',
      cause: 'service "gatekeeper-webhook-service" not found',
      failurePolicy: 'Fail',
      intercepts: 'CREATE,UPDATE * in *',
      namespaceSelector: JSON.stringify({
        matchExpressions: [
          { key: 'admission.gatekeeper.sh/ignore', operator: 'DoesNotExist' },
        ],
      }),
      objectSelector: '{}',
      'blocks this entity': 'yes (failurePolicy Fail: requests are denied)',
    });
  });

  it('gives the delete command for the exact configuration, then the hard refresh', () => {
    const out = runCheck(webhooksStale, withStaleWebhook(healthySnapshot()));
    expect(commands(out)).toEqual([
      'kubectl delete validatingwebhookconfiguration gatekeeper-validating-webhook-configuration',
      'kubectl -n argocd annotate applications.argoproj.io fraud-detector argocd.argoproj.io/refresh=hard --overwrite',
    ]);
  });

  it('uses the mutatingwebhookconfiguration resource in the delete command for a mutating webhook', () => {
    const out = runCheck(
      webhooksStale,
      withStaleWebhook(healthySnapshot(), {
        configKind: 'MutatingWebhookConfiguration',
        configName: 'gatekeeper-mutating-webhook-configuration',
        webhookName: 'mutation.gatekeeper.sh',
      }),
    );
    expect(commands(out)[0]).toBe(
      'kubectl delete mutatingwebhookconfiguration gatekeeper-mutating-webhook-configuration',
    );
  });

  it('warns (not fails) when the stale webhook intercepting the entity has failurePolicy Ignore', () => {
    const out = runCheck(
      webhooksStale,
      withStaleWebhook(healthySnapshot(), { failurePolicy: 'Ignore' }),
    );
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBe('stale-webhook');
    expect(evidenceFields(out)['blocks this entity']).toBe(
      'slows it (failurePolicy Ignore: requests pass after the call fails)',
    );
  });

  it("warns, as a cluster warning without the entity's failure mode, when a stale ingress-only webhook (ingress-nginx) cannot block a Serverless InferenceService", () => {
    const out = runCheck(
      webhooksStale,
      withStaleIngressNginxWebhook(healthySnapshot()),
    );
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain('ingress-nginx-admission');
    expect(out.summary).toContain(
      "they intercept nothing this entity's deployment creates",
    );
    expect(evidenceFields(out)).toMatchObject({
      intercepts: 'CREATE,UPDATE ingresses in networking.k8s.io',
      'blocks this entity':
        "no (its rules and selectors match nothing this entity's deployment creates)",
    });
  });

  it('says the stale ingress-only webhook may block a RawDeployment InferenceService: its Ingress depends on inferenceservice-config', () => {
    const s = withInferenceService(
      withStaleIngressNginxWebhook(healthySnapshot()),
      i => {
        i.metadata.annotations = {
          'serving.kserve.io/deploymentMode': 'RawDeployment',
        };
      },
    );
    const out = runCheck(webhooksStale, s);
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain('may intercept');
    expect(out.summary).toContain('enableGatewayApi');
  });

  it("warns without a failure mode when the namespaceSelector excludes the InferenceService's namespace", () => {
    const out = runCheck(
      webhooksStale,
      withStaleWebhook(healthySnapshot(), {
        namespaceSelector: {
          matchLabels: { 'policy.example.io/enforce': 'true' },
        },
      }),
    );
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBeUndefined();
  });

  it("warns without a failure mode when the objectSelector excludes the InferenceService's labels", () => {
    const out = runCheck(
      webhooksStale,
      withStaleWebhook(healthySnapshot(), {
        objectSelector: {
          matchLabels: { 'policy.example.io/managed': 'true' },
        },
      }),
    );
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBeUndefined();
  });

  it('warns with stale-webhook (the entity is intercepted) when failurePolicy is Ignore', () => {
    const out = runCheck(
      webhooksStale,
      withStaleWebhook(healthySnapshot(), { failurePolicy: 'Ignore' }),
    );
    expect(out.failureMode).toBe('stale-webhook');
    expect(out.summary).toContain('requests pass only after the call fails');
  });

  it("fails when the namespaceSelector matches the InferenceService's namespace labels as read", () => {
    const out = runCheck(
      webhooksStale,
      withStaleWebhook(healthySnapshot(), {
        namespaceSelector: { matchLabels: { 'cost-center': 'cc-4200' } },
      }),
    );
    expect(out.status).toBe('fail');
  });

  it("fails when the stale webhook intercepts pods (the InferenceService's predictor pods are blocked)", () => {
    const out = runCheck(
      webhooksStale,
      withStaleWebhook(healthySnapshot(), {
        configName: 'istio-sidecar-injector',
        webhookName: 'namespace.sidecar-injector.istio.io',
        configKind: 'MutatingWebhookConfiguration',
        service: { namespace: 'istio-system', name: 'istiod', path: '/inject' },
        rules: [
          {
            apiGroups: [''],
            apiVersions: ['v1'],
            operations: ['CREATE'],
            resources: ['pods'],
          },
        ],
        namespaceSelector: {},
      }),
    );
    expect(out.status).toBe('fail');
    expect(out.summary).toContain('namespace.sidecar-injector.istio.io');
  });

  // BUG (see report, webhooks.ts webhookIntercepts): a rule with resources ["*/*"]
  // matches every resource on a real API server, so this stale webhook does block.
  it('fails when the stale webhook\'s rule uses resources "*/*"', () => {
    const out = runCheck(
      webhooksStale,
      withStaleWebhook(healthySnapshot(), {
        rules: [
          {
            apiGroups: ['*'],
            apiVersions: ['*'],
            operations: ['CREATE', 'UPDATE'],
            resources: ['*/*'],
          },
        ],
      }),
    );
    expect(out.status).toBe('fail');
  });

  it('does not call a webhook whose Service exists but has no ready endpoint stale (that is webhook-unavailable)', () => {
    const out = runCheck(
      webhooksStale,
      withStaleWebhook(healthySnapshot(), { serviceWithoutEndpoints: true }),
    );
    expect(out.status).toBe('pass');
  });

  it('judges the namespace of the InferenceService found by kubernetes-id', () => {
    const out = runCheck(
      webhooksStale,
      withStaleWebhook(healthySnapshot(), {
        namespaceSelector: {
          matchLabels: { 'policy.example.io/enforce': 'true' },
        },
      }),
      {
        target: defaultTarget({
          inferenceService: undefined,
          kubernetesId: 'fraud-detector',
        }),
      },
    );
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBeUndefined();
  });

  it('says "may intercept" when no InferenceService carries the kubernetes-id yet (its namespace is unknown)', () => {
    const target = {
      target: defaultTarget({
        inferenceService: undefined,
        kubernetesId: 'not-created-yet',
      }),
    };
    const selective = runCheck(
      webhooksStale,
      withStaleWebhook(healthySnapshot(), {
        namespaceSelector: {
          matchLabels: { 'policy.example.io/enforce': 'true' },
        },
      }),
      target,
    );
    expect(selective.status).toBe('warn');
    expect(selective.summary).toContain('may intercept');
    // Without a namespaceSelector the rules alone decide.
    expect(
      runCheck(
        webhooksStale,
        withStaleWebhook(healthySnapshot(), { namespaceSelector: {} }),
        target,
      ).status,
    ).toBe('fail');
  });

  it("judges the objects of the entity's Argo CD Application too (a ConfigMap it ships)", () => {
    const s = withStaleWebhook(healthySnapshot(), {
      rules: [
        {
          apiGroups: [''],
          apiVersions: ['v1'],
          operations: ['CREATE', 'UPDATE'],
          resources: ['configmaps'],
        },
      ],
    });
    expect(runCheck(webhooksStale, s).status).toBe('warn');
    const app = itemsOf(s, 'applications').find(
      a => a.metadata.name === 'fraud-detector',
    )!;
    app.status.resources.push({
      version: 'v1',
      kind: 'ConfigMap',
      namespace: 'models',
      name: 'fraud-detector-config',
      status: 'Synced',
    });
    expect(runCheck(webhooksStale, s).status).toBe('fail');
  });

  it('ignores webhooks addressed by url (no Service to go stale)', () => {
    const s = healthySnapshot();
    itemsOf(s, 'validatingWebhookConfigurations').push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'external-validator' },
      webhooks: [
        {
          name: 'validate.external.example.com',
          clientConfig: { url: 'https://validator.example.com/validate' },
          rules: [
            {
              apiGroups: ['*'],
              apiVersions: ['*'],
              operations: ['*'],
              resources: ['*'],
            },
          ],
        },
      ],
    });
    expect(runCheck(webhooksStale, s).status).toBe('pass');
  });

  it('is an error naming the RBAC rule when webhook configurations are forbidden', () => {
    const out = runCheck(
      webhooksStale,
      withReadError(
        withStaleWebhook(healthySnapshot()),
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

  it('is an error (never stale-webhook) when Services are forbidden', () => {
    const out = runCheck(
      webhooksStale,
      withReadError(
        withStaleWebhook(healthySnapshot()),
        'services',
        forbidden('services', ''),
      ),
    );
    expect(out.status).toBe('error');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain(
      '{apiGroups: [""], resources: ["services"], verbs: ["list"]}',
    );
  });

  it('is an error when listing EndpointSlices times out', () => {
    const out = runCheck(
      webhooksStale,
      withReadError(
        withStaleWebhook(healthySnapshot()),
        'endpointSlices',
        timeout('list endpointslices.discovery.k8s.io -A'),
      ),
    );
    expect(out.status).toBe('error');
    expect(out.failureMode).toBeUndefined();
  });
});
