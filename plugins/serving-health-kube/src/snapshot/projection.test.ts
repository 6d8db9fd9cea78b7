import { projectObject } from './projection';

const metadata = {
  name: 'kserve-controller-manager-7d9f-abcde',
  namespace: 'kserve',
  uid: 'u-1',
  resourceVersion: '42',
  creationTimestamp: '2026-11-01T10:00:00Z',
  labels: { 'control-plane': 'kserve-controller-manager' },
  annotations: { 'sidecar.istio.io/status': '{"big":"json"}' },
  managedFields: [{ manager: 'kubelet' }],
};

describe('projectObject', () => {
  it('keeps of a Pod its identity, labels and status, not its spec (container env included)', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata,
      spec: {
        containers: [
          {
            name: 'manager',
            env: [{ name: 'DB_PASSWORD', value: 'hunter2' }],
          },
        ],
      },
      status: {
        phase: 'Running',
        podIP: '10.0.0.1',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          {
            name: 'kube-rbac-proxy',
            ready: false,
            image: 'gcr.io/kubebuilder/kube-rbac-proxy:v0.13.1',
            state: {
              waiting: { reason: 'ImagePullBackOff', message: 'Back-off' },
            },
            volumeMounts: [{ name: 'token', mountPath: '/var/run' }],
          },
        ],
      },
    };
    const projected = projectObject('controlPlanePods', pod as any) as any;
    expect(projected).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: metadata.name,
        namespace: 'kserve',
        uid: 'u-1',
        resourceVersion: '42',
        creationTimestamp: metadata.creationTimestamp,
        labels: metadata.labels,
      },
      status: {
        phase: 'Running',
        conditions: pod.status.conditions,
        containerStatuses: [
          {
            name: 'kube-rbac-proxy',
            ready: false,
            image: 'gcr.io/kubebuilder/kube-rbac-proxy:v0.13.1',
            state: pod.status.containerStatuses[0].state,
          },
        ],
      },
    });
    expect(JSON.stringify(projected)).not.toContain('hunter2');
    // The input is not changed.
    expect(pod.spec.containers[0].env).toHaveLength(1);
    expect(pod.metadata.managedFields).toHaveLength(1);
  });

  it("keeps the object's own key order (evidence shows values as JSON)", () => {
    const projected = projectObject('controlPlaneEvents', {
      metadata: { namespace: 'kserve', name: 'e1' },
      type: 'Warning',
      source: { component: 'kubelet' },
      message: 'Failed to pull image',
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'kserve' },
      reason: 'Failed',
    } as any);
    expect(Object.keys(projected)).toEqual([
      'metadata',
      'type',
      'message',
      'involvedObject',
      'reason',
    ]);
  });

  it("drops a webhook's caBundle and keeps what decides interception", () => {
    const webhook = {
      name: 'inferenceservice.kserve-webhook-server.validator',
      clientConfig: {
        caBundle: 'LS0tLS1CRUdJTi...',
        service: {
          namespace: 'kserve',
          name: 'kserve-webhook-server-service',
          port: 443,
        },
      },
      failurePolicy: 'Fail',
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
      rules: [
        { apiGroups: ['serving.kserve.io'], resources: ['inferenceservices'] },
      ],
      namespaceSelector: { matchLabels: { team: 'a' } },
      objectSelector: {},
      matchConditions: [{ name: 'not-system', expression: 'true' }],
    };
    const projected = projectObject('validatingWebhookConfigurations', {
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'inferenceservice.serving.kserve.io' },
      webhooks: [webhook],
    } as any) as any;
    const {
      sideEffects: _s,
      admissionReviewVersions: _a,
      clientConfig: { caBundle: _c, ...clientConfig },
      ...rest
    } = webhook;
    expect(projected.webhooks).toEqual([{ ...rest, clientConfig }]);
  });

  it('keeps an InferenceService whole but for managedFields and the last-applied copy', () => {
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: {
        name: 'sklearn',
        namespace: 'models',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{}',
          'serving.kserve.io/deploymentMode': 'RawDeployment',
        },
        managedFields: [{ manager: 'kubectl' }],
      },
      spec: { predictor: { model: { env: [{ name: 'A', value: 'b' }] } } },
      status: { components: { predictor: { latestCreatedRevision: 'r1' } } },
    };
    expect(projectObject('inferenceServices', isvc as any)).toEqual({
      ...isvc,
      metadata: {
        name: 'sklearn',
        namespace: 'models',
        annotations: { 'serving.kserve.io/deploymentMode': 'RawDeployment' },
      },
    });
  });

  it('keeps of an Application its destination and status, not its source or history', () => {
    const app = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'fraud-detector', namespace: 'argocd' },
      spec: {
        project: 'default',
        destination: {
          server: 'https://kubernetes.default.svc',
          namespace: 'models',
        },
        source: {
          repoURL: 'https://git.example.com/ml.git',
          helm: { values: 'password: x' },
        },
      },
      status: {
        sync: { status: 'OutOfSync', comparedTo: { source: {} } },
        health: { status: 'Degraded', message: 'm' },
        history: [{ id: 1 }],
        resources: [
          {
            kind: 'InferenceService',
            name: 'fraud-detector',
            status: 'OutOfSync',
          },
        ],
        operationState: {
          phase: 'Failed',
          message: 'one or more objects failed to apply',
          operation: { sync: { revision: 'abc' } },
          syncResult: {
            revision: 'abc',
            resources: [
              {
                kind: 'InferenceService',
                status: 'SyncFailed',
                message: 'denied',
              },
            ],
          },
        },
      },
    };
    expect(projectObject('applications', app as any)).toEqual({
      ...app,
      spec: { project: 'default', destination: app.spec.destination },
      status: {
        sync: { status: 'OutOfSync' },
        health: app.status.health,
        resources: app.status.resources,
        operationState: {
          phase: 'Failed',
          message: app.status.operationState.message,
          syncResult: {
            resources: app.status.operationState.syncResult.resources,
          },
        },
      },
    });
  });

  it('keeps a value of an unexpected shape as it is', () => {
    const odd = {
      metadata: { name: 'n', labels: 'not-a-map' },
      status: 'Ready',
    };
    expect(projectObject('nodes', odd as any)).toEqual(odd);
  });
});
