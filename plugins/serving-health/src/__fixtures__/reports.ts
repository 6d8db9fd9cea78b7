import { Entity } from '@backstage/catalog-model';
import {
  CheckResult,
  FleetSummary,
  TriageReport,
} from '@serving-health/plugin-serving-health-common';

export const modelEndpointEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'fraud-model',
    namespace: 'default',
    annotations: {
      'serving.kserve.io/inferenceservice': 'models/fraud-model',
      'argocd/app-name': 'fraud-model',
    },
  },
  spec: { type: 'model-endpoint', lifecycle: 'production', owner: 'ml-team' },
};

export const entityWithoutAnnotation: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'plain-service', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'web-team' },
};

const pass = (
  id: string,
  stage: CheckResult['stage'],
  title: string,
): CheckResult => ({
  id,
  stage,
  title,
  status: 'pass',
  summary: `${title}: ok`,
  evidence: [],
});

const target = {
  cluster: 'demo',
  inferenceService: { namespace: 'models', name: 'fraud-model' },
  argoApp: { namespace: 'argocd', name: 'fraud-model' },
};

/** Every check passes. */
export const healthyReport: TriageReport = {
  entityRef: 'component:default/fraud-model',
  target,
  overall: 'healthy',
  failureModes: [],
  checks: [
    pass('cluster.reachable', 'environment', 'Cluster reachable'),
    pass('cluster.nodes', 'environment', 'Ready nodes'),
    pass('argocd.applications', 'environment', 'Argo CD installed'),
    pass('kserve.crds', 'control-plane', 'KServe CRDs'),
    pass('kserve.controller', 'control-plane', 'KServe controller'),
    pass('kserve.controller-logs', 'logs', 'KServe controller logs'),
    pass('kserve.webhook-endpoints', 'webhooks', 'KServe webhook endpoints'),
    pass('policy-engine.admission', 'webhooks', 'Kyverno admission'),
    pass('webhooks.stale', 'stale-webhooks', 'Stale webhooks'),
    pass('argocd.sync', 'app', 'Argo CD sync'),
    pass('kserve.inferenceservice', 'app', 'InferenceService ready'),
    pass('policy.labels', 'app', 'Labels match policies'),
  ],
  snapshotTime: '2024-05-01T10:00:00.000Z',
  generatedAt: '2024-05-01T10:00:01.000Z',
};

/** KServe's webhook has no ready endpoints: the sidecar cannot pull its image. */
export const webhookFailingReport: TriageReport = {
  entityRef: 'component:default/fraud-model',
  target,
  overall: 'failing',
  failingStage: 'control-plane',
  failureModes: [
    {
      id: 'webhook-no-endpoints',
      title: 'KServe webhook has no ready endpoints',
      seenBy: ['kserve.controller', 'kserve.webhook-endpoints', 'argocd.sync'],
    },
  ],
  checks: [
    pass('cluster.reachable', 'environment', 'Cluster reachable'),
    pass('cluster.nodes', 'environment', 'Ready nodes'),
    pass('argocd.applications', 'environment', 'Argo CD installed'),
    pass('kserve.crds', 'control-plane', 'KServe CRDs'),
    {
      id: 'kserve.controller',
      stage: 'control-plane',
      title: 'KServe controller',
      status: 'fail',
      summary:
        'kserve-controller-manager has 0/1 available replicas: container kube-rbac-proxy is ImagePullBackOff',
      failureMode: 'webhook-no-endpoints',
      evidence: [
        {
          label: 'Controller pod',
          object: {
            apiVersion: 'v1',
            kind: 'Pod',
            namespace: 'kserve',
            name: 'kserve-controller-manager-7d9f8',
          },
          fields: {
            'status.containerStatuses[kube-rbac-proxy].state.waiting.reason':
              'ImagePullBackOff',
            'status.conditions[Ready].status': 'False',
          },
        },
        {
          label: 'Pull failure event',
          object: { kind: 'Event', namespace: 'kserve', name: 'pull-failed.1' },
          lines: [
            'Failed to pull image "kubebuilder/kube-rbac-proxy:v0.13.1": 403 Forbidden',
          ],
        },
      ],
      remediation: {
        why: 'A pod with 1/2 containers ready is not Ready, so it leaves the webhook Service endpoints.',
        steps: [
          {
            text: 'Point the sidecar at an image the cluster can pull.',
            command:
              'kubectl -n kserve set image deployment/kserve-controller-manager kube-rbac-proxy=brancz/kube-rbac-proxy:v0.13.1',
          },
          {
            text: 'Or patch the Deployment in git:',
            patch:
              'spec:\n  template:\n    spec:\n      containers:\n        - name: kube-rbac-proxy\n          image: brancz/kube-rbac-proxy:v0.13.1',
          },
        ],
      },
    },
    {
      id: 'kserve.controller-logs',
      stage: 'logs',
      title: 'KServe controller logs',
      status: 'error',
      summary:
        'Forbidden: cannot get resource "pods/log" in namespace "kserve" (needs get on pods/log)',
      evidence: [],
    },
    {
      id: 'kserve.webhook-endpoints',
      stage: 'webhooks',
      title: 'KServe webhook endpoints',
      status: 'fail',
      summary:
        'Service kserve/kserve-webhook-server-service has 0 ready endpoints',
      failureMode: 'webhook-no-endpoints',
      evidence: [
        {
          label: 'EndpointSlice',
          object: {
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            namespace: 'kserve',
            name: 'kserve-webhook-server-service-abcde',
          },
          fields: { 'endpoints[0].conditions.ready': 'false' },
        },
      ],
    },
    pass('policy-engine.admission', 'webhooks', 'Kyverno admission'),
    pass('webhooks.stale', 'stale-webhooks', 'Stale webhooks'),
    {
      id: 'argocd.sync',
      stage: 'app',
      title: 'Argo CD sync',
      status: 'skipped',
      summary: 'Not evaluated.',
      blockedBy: 'kserve.controller',
      evidence: [],
    },
  ],
  snapshotTime: '2024-05-01T10:00:00.000Z',
  generatedAt: '2024-05-01T10:00:01.000Z',
};

export const fleetSummary: FleetSummary = {
  generatedAt: '2024-05-01T10:00:01.000Z',
  entries: [
    {
      entityRef: 'component:default/fraud-model',
      cluster: 'demo',
      overall: 'failing',
      failingStage: 'control-plane',
      failureModes: ['webhook-no-endpoints'],
    },
    {
      entityRef: 'component:default/churn-model',
      cluster: 'demo',
      overall: 'healthy',
      failureModes: [],
    },
    {
      entityRef: 'component:default/pricing-model',
      cluster: 'demo',
      overall: 'failing',
      failingStage: 'app',
      failureModes: ['label-policy-mismatch'],
    },
    {
      entityRef: 'component:default/broken-annotation',
      overall: 'unknown',
      failureModes: [],
      error: 'Malformed annotation serving.kserve.io/inferenceservice: "a/b/c"',
    },
  ],
};
