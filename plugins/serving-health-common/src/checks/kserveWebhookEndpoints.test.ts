import { kserveWebhookEndpoints } from './kserveWebhookEndpoints';
import { commands, evidenceLines, runCheck } from './__fixtures__/context';
import {
  KSERVE_DEFAULTER,
  KSERVE_POD,
  PULL_403_MESSAGE,
  forbidden,
  healthySnapshot,
  itemsOf,
  timeout,
  withKServeSidecarPullForbidden,
  withReadError,
  withService,
  withoutKServeWebhookService,
} from './__fixtures__/snapshots';

describe('kserve.webhook-endpoints', () => {
  it('passes when kserve-webhook-server-service has a ready endpoint', () => {
    const out = runCheck(kserveWebhookEndpoints, healthySnapshot());
    expect(out.status).toBe('pass');
    expect(out.summary).toBe(
      'kserve/kserve-webhook-server-service has 1 ready endpoint(s) for 4 webhook(s).',
    );
  });

  it('lists the KServe webhooks it found with their upstream names and failurePolicy', () => {
    const out = runCheck(kserveWebhookEndpoints, healthySnapshot());
    expect(out.evidence[0].lines).toEqual([
      `MutatingWebhookConfiguration/inferenceservice.serving.kserve.io: ${KSERVE_DEFAULTER} (failurePolicy Fail)`,
      'MutatingWebhookConfiguration/inferenceservice.serving.kserve.io: inferenceservice.kserve-webhook-server.pod-mutator (failurePolicy Fail)',
      'ValidatingWebhookConfiguration/inferenceservice.serving.kserve.io: inferenceservice.kserve-webhook-server.validator (failurePolicy Fail)',
      'ValidatingWebhookConfiguration/servingruntime.serving.kserve.io: servingruntime.kserve-webhook-server.validator (failurePolicy Fail)',
    ]);
  });

  it('fails with webhook-no-endpoints when the only endpoint is not ready', () => {
    const out = runCheck(
      kserveWebhookEndpoints,
      withKServeSidecarPullForbidden(healthySnapshot()),
    );
    expect(out.status).toBe('fail');
    expect(out.failureMode).toBe('webhook-no-endpoints');
  });

  describe('judges what the KServe webhooks intercept, as for any webhook', () => {
    /** KServe's webhooks narrowed by the cluster's admins, with the controller down. */
    const narrowed = (edit: (w: any) => void) => {
      const s = withKServeSidecarPullForbidden(healthySnapshot());
      for (const c of [
        ...itemsOf(s, 'mutatingWebhookConfigurations'),
        ...itemsOf(s, 'validatingWebhookConfigurations'),
      ]) {
        for (const w of c.webhooks ?? [])
          if (w.clientConfig?.service?.name === 'kserve-webhook-server-service')
            edit(w);
      }
      return runCheck(kserveWebhookEndpoints, s);
    };

    it("warns without webhook-no-endpoints when a namespaceSelector excludes the entity's namespace", () => {
      const out = narrowed(w => {
        w.namespaceSelector = {
          matchLabels: { 'serving.kserve.io/enabled': 'true' },
        };
      });
      expect(out.status).toBe('warn');
      expect(out.failureMode).toBeUndefined();
      expect(out.summary).toContain(
        "None of them intercepts this entity's deployment",
      );
    });

    it('warns that it cannot decide when a matchCondition reads the requesting user', () => {
      const out = narrowed(w => {
        w.matchConditions = [
          {
            name: 'not-admins',
            expression: "!('system:masters' in request.userInfo.groups)",
          },
        ];
      });
      expect(out.status).toBe('warn');
      expect(out.failureMode).toBeUndefined();
      expect(out.summary).toContain('cannot be decided');
      expect(out.summary).toContain('request.userInfo');
    });

    it('still fails when a matchCondition includes the InferenceService', () => {
      const out = narrowed(w => {
        w.matchConditions = [
          { name: 'models', expression: "request.namespace == 'models'" },
        ];
      });
      expect(out.status).toBe('fail');
      expect(out.failureMode).toBe('webhook-no-endpoints');
    });
  });

  it('states the causal chain down to the container and the admission error the API server returns', () => {
    const out = runCheck(
      kserveWebhookEndpoints,
      withKServeSidecarPullForbidden(healthySnapshot()),
    );
    expect(out.summary).toContain(
      'Service kserve/kserve-webhook-server-service has 0 ready endpoint(s); 1 not ready',
    );
    expect(out.summary).toContain(
      `pod ${KSERVE_POD}: container kube-rbac-proxy is ImagePullBackOff (${PULL_403_MESSAGE})`,
    );
    expect(out.summary).toContain(
      `failed calling webhook "${KSERVE_DEFAULTER}": ... no endpoints available for service "kserve-webhook-server-service"`,
    );
  });

  it('carries the EndpointSlice endpoint with ready:false as read', () => {
    const out = runCheck(
      kserveWebhookEndpoints,
      withKServeSidecarPullForbidden(healthySnapshot()),
    );
    const slice = out.evidence.find(e => e.label === 'EndpointSlice');
    expect(slice?.object).toMatchObject({
      kind: 'EndpointSlice',
      namespace: 'kserve',
      name: 'kserve-webhook-server-service-h7v2k',
    });
    expect(JSON.parse(slice!.fields!.endpoints)).toEqual([
      { addresses: ['10.244.0.12'], ready: false, targetRef: KSERVE_POD },
    ]);
  });

  it('carries the pod (1/2 ready) and the Event with the verbatim 403 Forbidden message', () => {
    const out = runCheck(
      kserveWebhookEndpoints,
      withKServeSidecarPullForbidden(healthySnapshot()),
    );
    const pod = out.evidence.find(e => e.label === 'Pod behind the Service');
    expect(pod?.fields).toMatchObject({
      ready: '1/2',
      'status.conditions[Ready].status': 'False',
    });
    expect(evidenceLines(out)).toContain(PULL_403_MESSAGE);
  });

  it('gives remediation commands with the real pod, deployment, container and Service names', () => {
    const out = runCheck(
      kserveWebhookEndpoints,
      withKServeSidecarPullForbidden(healthySnapshot()),
    );
    expect(commands(out)).toEqual([
      `kubectl -n kserve describe pod ${KSERVE_POD}`,
      'kubectl -n kserve set image deployment/kserve-controller-manager kube-rbac-proxy=<reachable-registry>/kube-rbac-proxy:v0.13.1',
      'kubectl -n kserve get endpointslices -l kubernetes.io/service-name=kserve-webhook-server-service',
    ]);
  });

  it('warns without webhook-no-endpoints when the Service itself is gone (that is stale-webhook, named by webhooks.stale)', () => {
    const out = runCheck(
      kserveWebhookEndpoints,
      withoutKServeWebhookService(healthySnapshot()),
    );
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain(
      'Service kserve/kserve-webhook-server-service does not exist',
    );
    expect(out.summary).toContain(
      'webhooks.stale reports them as stale-webhook',
    );
    expect(out.evidence).toContainEqual({
      object: {
        kind: 'Service',
        namespace: 'kserve',
        name: 'kserve-webhook-server-service',
      },
      label: 'Service',
      fields: { exists: 'false' },
    });
  });

  it('fails with webhook-no-endpoints when the only endpoint is terminating (ready unset)', () => {
    const s = healthySnapshot();
    itemsOf(s, 'endpointSlices')[0].endpoints[0].conditions = {
      serving: true,
      terminating: true,
    };
    const out = runCheck(kserveWebhookEndpoints, s);
    expect(out.status).toBe('fail');
    expect(out.failureMode).toBe('webhook-no-endpoints');
    expect(
      JSON.parse(
        out.evidence.find(e => e.label === 'EndpointSlice')!.fields!.endpoints,
      )[0],
    ).toMatchObject({ terminating: true });
  });

  it('fails with webhook-no-endpoints when the Service was made headless, quoting the API server', () => {
    const s = withService(
      healthySnapshot(),
      'kserve-webhook-server-service',
      svc => {
        svc.spec.clusterIP = 'None';
      },
    );
    const out = runCheck(kserveWebhookEndpoints, s);
    expect(out.status).toBe('fail');
    expect(out.failureMode).toBe('webhook-no-endpoints');
    expect(out.summary).toContain(
      'cannot route to service with ClusterIP "None"',
    );
    expect(commands(out)[0]).toBe(
      'kubectl -n kserve get service kserve-webhook-server-service -o yaml',
    );
  });

  it('fails when the webhook calls a port the Service does not have', () => {
    const s = healthySnapshot();
    for (const cfg of itemsOf(s, 'validatingWebhookConfigurations')) {
      for (const w of cfg.webhooks)
        if (w.clientConfig.service?.name === 'kserve-webhook-server-service')
          w.clientConfig.service.port = 9443;
    }
    const out = runCheck(kserveWebhookEndpoints, s);
    expect(out.status).toBe('fail');
    expect(out.summary).toContain(
      'no service port 9443 found for service "kserve-webhook-server-service" (ports: 443)',
    );
  });

  it('defaults the webhook port to 443 when clientConfig.service.port is unset', () => {
    const s = healthySnapshot();
    for (const col of [
      'mutatingWebhookConfigurations',
      'validatingWebhookConfigurations',
    ] as const) {
      for (const cfg of itemsOf(s, col))
        for (const w of cfg.webhooks) delete w.clientConfig.service?.port;
    }
    expect(runCheck(kserveWebhookEndpoints, s).status).toBe('pass');
  });

  it('is skipped, not failed, for an ExternalName Service (called through DNS)', () => {
    const s = withService(
      healthySnapshot(),
      'kserve-webhook-server-service',
      svc => {
        svc.spec = {
          type: 'ExternalName',
          externalName: 'kserve-webhook.example.internal',
        };
      },
    );
    const out = runCheck(kserveWebhookEndpoints, s);
    expect(out.status).toBe('skipped');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain(
      'kserve-webhook.example.internal:443 through DNS',
    );
  });

  it('treats an endpoint without a ready condition as ready (EndpointSlice nil = true)', () => {
    const s = healthySnapshot();
    delete itemsOf(s, 'endpointSlices')[0].endpoints[0].conditions;
    expect(runCheck(kserveWebhookEndpoints, s).status).toBe('pass');
  });

  it('fails when the Service has no EndpointSlice at all', () => {
    const s = healthySnapshot();
    itemsOf(s, 'endpointSlices').splice(0, 1);
    const out = runCheck(kserveWebhookEndpoints, s);
    expect(out.status).toBe('fail');
    expect(out.evidence).toContainEqual({
      label: 'EndpointSlices',
      fields: {
        'kubernetes.io/service-name=kserve-webhook-server-service':
          'none found',
      },
    });
  });

  it('warns when no webhook configuration points at the KServe Service', () => {
    const s = healthySnapshot();
    for (const col of [
      'mutatingWebhookConfigurations',
      'validatingWebhookConfigurations',
    ] as const) {
      const items = itemsOf(s, col);
      items.splice(
        0,
        items.length,
        ...items.filter(c => !c.metadata.name.includes('serving.kserve.io')),
      );
    }
    const out = runCheck(kserveWebhookEndpoints, s);
    expect(out.status).toBe('warn');
    expect(out.failureMode).toBeUndefined();
  });

  it('is an error naming the admissionregistration RBAC rule when webhook configurations are forbidden', () => {
    const out = runCheck(
      kserveWebhookEndpoints,
      withReadError(
        healthySnapshot(),
        'mutatingWebhookConfigurations',
        forbidden(
          'mutatingwebhookconfigurations',
          'admissionregistration.k8s.io',
        ),
      ),
    );
    expect(out.status).toBe('error');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain(
      '{apiGroups: ["admissionregistration.k8s.io"], resources: ["mutatingwebhookconfigurations"], verbs: ["list"]}',
    );
  });

  it('is an error (not webhook-no-endpoints) when EndpointSlices are forbidden', () => {
    const out = runCheck(
      kserveWebhookEndpoints,
      withReadError(
        healthySnapshot(),
        'endpointSlices',
        forbidden('endpointslices', 'discovery.k8s.io'),
      ),
    );
    expect(out.status).toBe('error');
    expect(out.failureMode).toBeUndefined();
    expect(out.summary).toContain(
      '{apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list"]}',
    );
  });

  it('is an error (not webhook-no-endpoints) when listing Services times out', () => {
    const out = runCheck(
      kserveWebhookEndpoints,
      withReadError(healthySnapshot(), 'services', timeout('list services -A')),
    );
    expect(out.status).toBe('error');
    expect(out.failureMode).toBeUndefined();
  });
});
