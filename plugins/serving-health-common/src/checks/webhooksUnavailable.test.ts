import { webhooksUnavailable } from './webhooksUnavailable';
import {
  commands,
  evidenceFields,
  evidenceLines,
  runCheck,
} from './__fixtures__/context';
import {
  forbidden,
  healthySnapshot,
  itemsOf,
  withCertManagerWebhookUnserved,
  withKServeSidecarPullForbidden,
  withKyvernoAdmissionNotReady,
  withKyvernoPolicyAndCleanupWebhooks,
  withReadError,
  withService,
  withServiceEndpoint,
  withStaleWebhook,
} from './__fixtures__/snapshots';

const CERT_MANAGER = {
  namespace: 'cert-manager',
  name: 'cert-manager-webhook',
};

describe('webhooks.unavailable', () => {
  it('passes when no other component registers a webhook', () => {
    const out = runCheck(webhooksUnavailable, healthySnapshot());
    expect(out.status).toBe('pass');
    expect(out.summary).toBe(
      '0 webhook(s) of other components have a Service that serves them.',
    );
  });

  it("fails with webhook-unavailable when cert-manager's webhook Service has no ready endpoint and intercepts the predictor pods", () => {
    const out = runCheck(
      webhooksUnavailable,
      withCertManagerWebhookUnserved(healthySnapshot()),
    );
    expect(out.status).toBe('fail');
    expect(out.failureMode).toBe('webhook-unavailable');
    expect(out.summary).toContain(
      "Webhook webhook.cert-manager.io (cert-manager-webhook) intercepts this entity's deployment",
    );
    expect(out.summary).toContain(
      'no endpoints available for service "cert-manager-webhook"',
    );
    expect(out.summary).toContain(
      'Repair cert-manager/cert-manager-webhook; its component is still installed.',
    );
    expect(evidenceFields(out)).toMatchObject({
      'clientConfig.service': 'cert-manager/cert-manager-webhook',
      cause: 'no endpoints available for service "cert-manager-webhook"',
      'blocks this entity': 'yes (failurePolicy Fail: requests are denied)',
    });
  });

  it('repairs the component and never deletes its configuration', () => {
    const out = runCheck(
      webhooksUnavailable,
      withCertManagerWebhookUnserved(healthySnapshot()),
    );
    expect(commands(out).join('\n')).not.toContain('kubectl delete');
    expect(commands(out)).toEqual([
      'kubectl -n cert-manager get service cert-manager-webhook -o wide && kubectl -n cert-manager get endpointslices -l kubernetes.io/service-name=cert-manager-webhook -o wide',
      'kubectl -n cert-manager describe pods -l app=cert-manager-webhook',
      'kubectl -n argocd annotate applications.argoproj.io fraud-detector argocd.argoproj.io/refresh=hard --overwrite',
    ]);
  });

  it("passes when the Service has a ready endpoint on the webhook's port (port name as the Service names it)", () => {
    const s = withServiceEndpoint(
      withCertManagerWebhookUnserved(healthySnapshot()),
      CERT_MANAGER,
    );
    expect(runCheck(webhooksUnavailable, s).status).toBe('pass');
  });

  it('matches a named Service port to the EndpointSlice port of that name, whatever the container port number', () => {
    const named = (s: ReturnType<typeof healthySnapshot>) =>
      withService(s, 'cert-manager-webhook', svc => {
        svc.spec.ports = [{ name: 'https', port: 443, targetPort: 'https' }];
      });
    const served = withServiceEndpoint(
      named(withCertManagerWebhookUnserved(healthySnapshot())),
      CERT_MANAGER,
      { port: { name: 'https', port: 10250 } },
    );
    expect(runCheck(webhooksUnavailable, served).status).toBe('pass');
    const otherPort = withServiceEndpoint(
      named(withCertManagerWebhookUnserved(healthySnapshot())),
      CERT_MANAGER,
      { port: { name: 'metrics', port: 9402 } },
    );
    const out = runCheck(webhooksUnavailable, otherPort);
    expect(out.status).toBe('fail');
    expect(evidenceFields(out).ports).toContain(
      'none carries service port "https" 443',
    );
  });

  it('counts an endpoint with no ready condition as ready, and a terminating one as not ready', () => {
    const nil = withServiceEndpoint(
      withCertManagerWebhookUnserved(healthySnapshot()),
      CERT_MANAGER,
      { ready: null },
    );
    expect(runCheck(webhooksUnavailable, nil).status).toBe('pass');
    const terminating = withServiceEndpoint(
      withCertManagerWebhookUnserved(healthySnapshot()),
      CERT_MANAGER,
      { ready: null, terminating: true },
    );
    expect(runCheck(webhooksUnavailable, terminating).status).toBe('fail');
  });

  it('fails when the Service is headless, though its endpoints are ready', () => {
    const s = withService(
      withServiceEndpoint(
        withCertManagerWebhookUnserved(healthySnapshot()),
        CERT_MANAGER,
      ),
      'cert-manager-webhook',
      svc => {
        svc.spec.clusterIP = 'None';
      },
    );
    const out = runCheck(webhooksUnavailable, s);
    expect(out.status).toBe('fail');
    expect(out.failureMode).toBe('webhook-unavailable');
    expect(evidenceFields(out).cause).toBe(
      'cannot route to service with ClusterIP "None" (a headless Service cannot be called)',
    );
  });

  it("fails when the webhook's port is not one of the Service's ports", () => {
    const s = withService(
      withServiceEndpoint(
        withCertManagerWebhookUnserved(healthySnapshot()),
        CERT_MANAGER,
      ),
      'cert-manager-webhook',
      svc => {
        svc.spec.ports = [{ name: 'https', port: 10250, targetPort: 10250 }];
      },
    );
    const out = runCheck(webhooksUnavailable, s);
    expect(out.status).toBe('fail');
    expect(evidenceFields(out).cause).toBe(
      'no service port 443 found for service "cert-manager-webhook" (ports: 10250)',
    );
  });

  it('reports an ExternalName Service as not checkable, without a verdict', () => {
    const s = withService(
      withCertManagerWebhookUnserved(healthySnapshot()),
      'cert-manager-webhook',
      svc => {
        svc.spec = {
          type: 'ExternalName',
          externalName: 'webhook.certs.example.com',
        };
      },
    );
    const out = runCheck(webhooksUnavailable, s);
    expect(out.status).toBe('pass');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain('1 not checkable');
    expect(evidenceLines(out).join('\n')).toContain(
      'webhook.certs.example.com:443 through DNS',
    );
  });

  it('reports a clientConfig.url webhook as not checkable, without a verdict', () => {
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
    const out = runCheck(webhooksUnavailable, s);
    expect(out.status).toBe('pass');
    expect(evidenceLines(out)).toContain(
      'external-validator: validate.external.example.com calls https://validator.example.com/validate directly (clientConfig.url): no cluster object says whether it answers',
    );
  });

  it('warns without a failure mode when the unserved webhook intercepts nothing the entity creates (ingresses only)', () => {
    const out = runCheck(
      webhooksUnavailable,
      withCertManagerWebhookUnserved(healthySnapshot(), {
        rules: [
          {
            apiGroups: ['networking.k8s.io'],
            apiVersions: ['v1'],
            operations: ['CREATE', 'UPDATE'],
            resources: ['ingresses'],
          },
        ],
      }),
    );
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain(
      "they intercept nothing this entity's deployment creates",
    );
  });

  it("warns without a failure mode when the namespaceSelector leaves the entity's namespace out", () => {
    const out = runCheck(
      webhooksUnavailable,
      withCertManagerWebhookUnserved(healthySnapshot(), {
        namespaceSelector: { matchLabels: { 'istio-injection': 'enabled' } },
      }),
    );
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBeUndefined();
  });

  it('warns with webhook-unavailable when the intercepting webhook has failurePolicy Ignore', () => {
    const out = runCheck(
      webhooksUnavailable,
      withCertManagerWebhookUnserved(healthySnapshot(), {
        failurePolicy: 'Ignore',
      }),
    );
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBe('webhook-unavailable');
  });

  describe('matchConditions', () => {
    const withCondition = (expression: string) => {
      const s = withCertManagerWebhookUnserved(healthySnapshot());
      const cfg = itemsOf(s, 'mutatingWebhookConfigurations').find(
        c => c.metadata.name === 'cert-manager-webhook',
      )!;
      cfg.webhooks[0].matchConditions = [{ name: 'models-only', expression }];
      return runCheck(webhooksUnavailable, s);
    };

    it('fails when the conditions include what the entity creates', () => {
      const out = withCondition("request.namespace == 'models'");
      expect(out.status).toBe('fail');
      expect(out.failureMode).toBe('webhook-unavailable');
      expect(evidenceFields(out)['blocks this entity']).toBe(
        'yes (failurePolicy Fail: requests are denied)',
      );
    });

    it('warns without a failure mode when the conditions exclude it, naming the false condition', () => {
      const out = withCondition("request.namespace != 'models'");
      expect(out.status).toBe('warn');
      expect(out.failureMode).toBeUndefined();
      expect(evidenceFields(out)['blocks this entity']).toMatch(
        /^no \(its matchCondition "models-only" is false for CREATE /,
      );
    });

    it('says "may intercept", without a failure mode, when a condition reads what the triage cannot know', () => {
      const out = withCondition("!object.metadata.name.startsWith('system-')");
      expect(out.status).toBe('warn');
      expect(out.failureMode).toBeUndefined();
      expect(out.summary).toContain('may intercept');
      expect(out.summary).toContain('object.metadata.name');
      expect(evidenceFields(out)['blocks this entity']).toMatch(
        /^may intercept \(/,
      );
      expect(evidenceFields(out).matchConditions).toBe(
        "models-only: !object.metadata.name.startsWith('system-')",
      );
    });
  });

  it('leaves a Service that is gone to webhooks.stale', () => {
    expect(
      runCheck(webhooksUnavailable, withStaleWebhook(healthySnapshot())).status,
    ).toBe('pass');
  });

  it("leaves KServe's and Kyverno's resource webhooks to their own checks", () => {
    expect(
      runCheck(
        webhooksUnavailable,
        withKServeSidecarPullForbidden(healthySnapshot()),
      ).status,
    ).toBe('pass');
    expect(
      runCheck(
        webhooksUnavailable,
        withKyvernoAdmissionNotReady(healthySnapshot()),
      ).status,
    ).toBe('pass');
  });

  it("judges Kyverno's policy and cleanup-controller webhooks like any other component's: unserved, but no model deployment reaches them", () => {
    const out = runCheck(
      webhooksUnavailable,
      withKyvernoPolicyAndCleanupWebhooks(
        withKyvernoAdmissionNotReady(healthySnapshot()),
      ),
    );
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain(
      'kyverno/kyverno-svc, kyverno/kyverno-cleanup-controller',
    );
  });

  it('gives the fix for the component that blocks the entity only, naming the others in the evidence', () => {
    const s = withKyvernoPolicyAndCleanupWebhooks(
      withCertManagerWebhookUnserved(healthySnapshot()),
    );
    const out = runCheck(webhooksUnavailable, s);
    expect(out.status).toBe('fail');
    expect(commands(out).join('\n')).not.toContain(
      'kyverno-cleanup-controller',
    );
    expect(out.evidence.map(e => e.label)).toContain(
      'Unserved webhook kyverno-cleanup-controller.kyverno.svc',
    );
  });

  it('is an error (never webhook-unavailable) when EndpointSlices are forbidden', () => {
    const out = runCheck(
      webhooksUnavailable,
      withReadError(
        withCertManagerWebhookUnserved(healthySnapshot()),
        'endpointSlices',
        forbidden('endpointslices', 'discovery.k8s.io'),
      ),
    );
    expect(out.status).toBe('error');
    expect(out.failureMode).toBeUndefined();
  });
});
