/*
 * Cluster snapshots for the check and engine tests: plain objects shaped as the
 * API server returns them (KServe v0.12.1, Kyverno 1.12, Argo CD, Kubernetes
 * core). `healthySnapshot()` is a working stack; each `with...` mutator breaks
 * one thing the way it breaks on a real cluster. Mutators never change their
 * input: they return a modified deep copy, so they compose freely.
 */
import {
  ClusterSnapshot,
  ReadError,
  ReadResult,
  SnapshotCollection,
} from '../../snapshot';
import { KubeObject, TriageTarget } from '../../types';

/** @public */
export const CLUSTER = 'ml-prod';
export const READ_AT = '2025-11-24T09:30:00.000Z';

/** @public */
export const ISVC_NAMESPACE = 'models';
/** @public */
export const ISVC_NAME = 'fraud-detector';
/** @public */
export const ARGO_APP = 'fraud-detector';

export const KSERVE_NS = 'kserve';
export const KSERVE_DEPLOYMENT = 'kserve-controller-manager';
/** @public */
export const KSERVE_POD = 'kserve-controller-manager-7d9c5b8f6-x2x4q';
export const KSERVE_WEBHOOK_SERVICE = 'kserve-webhook-server-service';
export const KSERVE_IMAGE = 'kserve/kserve-controller:v0.12.1';
export const RBAC_PROXY_IMAGE = 'gcr.io/kubebuilder/kube-rbac-proxy:v0.13.1';
export const KSERVE_DEFAULTER =
  'inferenceservice.kserve-webhook-server.defaulter';
export const KSERVE_VALIDATOR =
  'inferenceservice.kserve-webhook-server.validator';

export const KYVERNO_NS = 'kyverno';
export const KYVERNO_DEPLOYMENT = 'kyverno-admission-controller';
export const KYVERNO_POD = 'kyverno-admission-controller-6b9f7d8c4d-9kq2m';
export const KYVERNO_SERVICE = 'kyverno-svc';
export const KYVERNO_VALIDATE_FAIL = 'validate.kyverno.svc-fail';

/** The registry's answer as the kubelet records it in a `Failed` Event. */
export const PULL_403_MESSAGE = `Failed to pull image "${RBAC_PROXY_IMAGE}": rpc error: code = Unknown desc = failed to pull and unpack image "${RBAC_PROXY_IMAGE}": failed to resolve reference "${RBAC_PROXY_IMAGE}": unexpected status from HEAD request to https://gcr.io/v2/kubebuilder/kube-rbac-proxy/manifests/v0.13.1: 403 Forbidden`;

/** What kube-apiserver answers when KServe's webhook Service has no ready endpoints. */
export const KSERVE_NO_ENDPOINTS_ADMISSION_ERROR = `Internal error occurred: failed calling webhook "${KSERVE_DEFAULTER}": failed to call webhook: Post "https://${KSERVE_WEBHOOK_SERVICE}.${KSERVE_NS}.svc:443/mutate-serving-kserve-io-v1beta1-inferenceservice?timeout=10s": no endpoints available for service "${KSERVE_WEBHOOK_SERVICE}"`;

export const KYVERNO_NO_ENDPOINTS_ADMISSION_ERROR = `Internal error occurred: failed calling webhook "${KYVERNO_VALIDATE_FAIL}": failed to call webhook: Post "https://${KYVERNO_SERVICE}.${KYVERNO_NS}.svc:443/validate/fail?timeout=10s": no endpoints available for service "${KYVERNO_SERVICE}"`;

export const CRD_MISSING_ARGO_MESSAGE = `The Kubernetes API could not find serving.kserve.io/InferenceService for requested resource ${ISVC_NAMESPACE}/${ISVC_NAME}. Make sure the "InferenceService" CRD is installed on the destination cluster.`;

export const LABEL_POLICY_DENIAL = `admission webhook "${KYVERNO_VALIDATE_FAIL}" denied the request: \n\nresource InferenceService/${ISVC_NAMESPACE}/${ISVC_NAME} was blocked due to the following policies \n\nrequire-cost-center:\n  check-cost-center: 'validation error: label cost-center is required. rule check-cost-center failed at path /metadata/labels/cost-center/'`;

/**
 * The target of an entity annotated `serving.kserve.io/inferenceservice: models/fraud-detector` and `argocd/app-name: fraud-detector`.
 *
 * @public
 */
export function defaultTarget(
  overrides: Partial<TriageTarget> = {},
): TriageTarget {
  return {
    cluster: CLUSTER,
    inferenceService: { namespace: ISVC_NAMESPACE, name: ISVC_NAME },
    argoApp: { namespace: 'argocd', name: ARGO_APP },
    ...overrides,
  };
}

const T0 = '2025-11-20T08:00:00Z';

function condition(
  type: string,
  status: string,
  extra: Record<string, string> = {},
) {
  return { type, status, lastTransitionTime: T0, ...extra };
}

function crd(name: string): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    status: {
      conditions: [
        condition('NamesAccepted', 'True', {
          reason: 'NoConflicts',
          message: 'no conflicts found',
        }),
        condition('Established', 'True', {
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
        }),
      ],
    },
  };
}

function namespace(
  name: string,
  labels: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    // The API server adds kubernetes.io/metadata.name to every namespace.
    metadata: {
      name,
      labels: { 'kubernetes.io/metadata.name': name, ...labels },
    },
    status: { phase: 'Active' },
  };
}

function kserveWebhookClient(path: string) {
  return {
    service: {
      name: KSERVE_WEBHOOK_SERVICE,
      namespace: KSERVE_NS,
      path,
      port: 443,
    },
    caBundle: 'LS0tLS1CRUdJTi...',
  };
}

function kyvernoWebhookClient(path: string) {
  return {
    service: { name: KYVERNO_SERVICE, namespace: KYVERNO_NS, path, port: 443 },
    caBundle: 'LS0tLS1CRUdJTi...',
  };
}

const KYVERNO_NAMESPACE_SELECTOR = {
  matchExpressions: [
    {
      key: 'kubernetes.io/metadata.name',
      operator: 'NotIn',
      values: [KYVERNO_NS],
    },
  ],
};

const KSERVE_POD_LABELS = {
  'control-plane': KSERVE_DEPLOYMENT,
  'controller-tools.k8s.io': '1.0',
  'pod-template-hash': '7d9c5b8f6',
};

const KYVERNO_SELECTOR = {
  'app.kubernetes.io/component': 'admission-controller',
  'app.kubernetes.io/instance': 'kyverno',
  'app.kubernetes.io/part-of': 'kyverno',
};

function kservePod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: KSERVE_POD,
      namespace: KSERVE_NS,
      labels: { ...KSERVE_POD_LABELS },
    },
    spec: {
      nodeName: 'ml-worker-1',
      containers: [
        {
          name: 'manager',
          image: KSERVE_IMAGE,
          ports: [
            { containerPort: 9443, name: 'webhook-server', protocol: 'TCP' },
          ],
        },
        {
          name: 'kube-rbac-proxy',
          image: RBAC_PROXY_IMAGE,
          ports: [{ containerPort: 8443, name: 'https', protocol: 'TCP' }],
        },
      ],
    },
    status: {
      phase: 'Running',
      podIP: '10.244.0.12',
      conditions: [
        condition('Initialized', 'True'),
        condition('Ready', 'True'),
        condition('ContainersReady', 'True'),
        condition('PodScheduled', 'True'),
      ],
      containerStatuses: [
        {
          name: 'kube-rbac-proxy',
          image: RBAC_PROXY_IMAGE,
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: T0 } },
        },
        {
          name: 'manager',
          image: KSERVE_IMAGE,
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: T0 } },
        },
      ],
    },
  };
}

function kyvernoPod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: KYVERNO_POD,
      namespace: KYVERNO_NS,
      labels: {
        ...KYVERNO_SELECTOR,
        'app.kubernetes.io/version': '3.2.7',
        'pod-template-hash': '6b9f7d8c4d',
      },
    },
    spec: {
      nodeName: 'ml-worker-1',
      containers: [
        {
          name: 'kyverno',
          image: 'ghcr.io/kyverno/kyverno:v1.12.5',
          ports: [{ containerPort: 9443, name: 'https', protocol: 'TCP' }],
        },
      ],
    },
    status: {
      phase: 'Running',
      podIP: '10.244.0.20',
      conditions: [
        condition('Ready', 'True'),
        condition('ContainersReady', 'True'),
      ],
      containerStatuses: [
        {
          name: 'kyverno',
          image: 'ghcr.io/kyverno/kyverno:v1.12.5',
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: T0 } },
        },
      ],
    },
  };
}

function endpointSlice(
  service: string,
  ns: string,
  suffix: string,
  pod: string,
  ip: string,
  port: { name: string; port: number },
): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${service}-${suffix}`,
      namespace: ns,
      labels: {
        'kubernetes.io/service-name': service,
        'endpointslice.kubernetes.io/managed-by':
          'endpointslice-controller.k8s.io',
      },
    },
    addressType: 'IPv4',
    endpoints: [
      {
        addresses: [ip],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: 'ml-worker-1',
        targetRef: { kind: 'Pod', namespace: ns, name: pod },
      },
    ],
    ports: [{ ...port, protocol: 'TCP' }],
  };
}

function deployment(
  name: string,
  ns: string,
  matchLabels: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: { replicas: 1, selector: { matchLabels } },
    status: {
      replicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      updatedReplicas: 1,
      conditions: [
        condition('Available', 'True', {
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        }),
        condition('Progressing', 'True', {
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${name}" has successfully progressed.`,
        }),
      ],
    },
  };
}

function inferenceService(): KubeObject {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name: ISVC_NAME,
      namespace: ISVC_NAMESPACE,
      labels: {
        'backstage.io/kubernetes-id': ISVC_NAME,
        owner: 'team-fraud',
        'cost-center': 'cc-4200',
      },
    },
    spec: {
      predictor: {
        model: {
          modelFormat: { name: 'sklearn' },
          storageUri: 'gs://models/fraud-detector/v3',
        },
      },
    },
    status: {
      url: `http://${ISVC_NAME}.${ISVC_NAMESPACE}.example.com`,
      address: {
        url: `http://${ISVC_NAME}.${ISVC_NAMESPACE}.svc.cluster.local`,
      },
      conditions: [
        condition('IngressReady', 'True'),
        condition('PredictorConfigurationReady', 'True'),
        condition('PredictorReady', 'True'),
        condition('PredictorRouteReady', 'True'),
        condition('Ready', 'True'),
      ],
      components: {
        predictor: {
          latestCreatedRevision: `${ISVC_NAME}-predictor-00003`,
          latestReadyRevision: `${ISVC_NAME}-predictor-00003`,
          url: `http://${ISVC_NAME}-predictor.${ISVC_NAMESPACE}.example.com`,
        },
      },
      modelStatus: {
        transitionStatus: 'UpToDate',
        states: { activeModelState: 'Loaded', targetModelState: 'Loaded' },
        copies: { failedCopies: 0, totalCopies: 1 },
      },
    },
  };
}

function application(name: string): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd' },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://git.example.com/ml/deploy.git',
        path: `apps/${name}`,
        targetRevision: 'main',
      },
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: ISVC_NAMESPACE,
      },
    },
    status: {
      sync: { status: 'Synced', revision: '4f1c2e9' },
      health: { status: 'Healthy' },
      operationState: {
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        syncResult: {
          revision: '4f1c2e9',
          resources: [
            {
              group: 'serving.kserve.io',
              version: 'v1beta1',
              kind: 'InferenceService',
              namespace: ISVC_NAMESPACE,
              name: ISVC_NAME,
              status: 'Synced',
              message:
                'inferenceservice.serving.kserve.io/fraud-detector configured',
            },
          ],
        },
      },
      resources: [
        {
          group: 'serving.kserve.io',
          version: 'v1beta1',
          kind: 'InferenceService',
          namespace: ISVC_NAMESPACE,
          name: ISVC_NAME,
          status: 'Synced',
          health: { status: 'Healthy' },
        },
      ],
    },
  };
}

function ok(items: KubeObject[]): ReadResult {
  return { ok: true, items };
}

/**
 * A working stack: KServe, Kyverno and Argo CD installed and healthy, one Ready InferenceService.
 *
 * @public
 */
export function healthySnapshot(): ClusterSnapshot {
  return {
    cluster: CLUSTER,
    readAt: READ_AT,
    version: {
      ok: true,
      value: { gitVersion: 'v1.30.2', major: '1', minor: '30' },
    },
    namespaces: { kserve: KSERVE_NS, kyverno: KYVERNO_NS },
    requestCount: 13,
    collections: {
      nodes: ok([
        {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: 'ml-worker-1' },
          status: {
            conditions: [
              condition('MemoryPressure', 'False', {
                reason: 'KubeletHasSufficientMemory',
              }),
              condition('Ready', 'True', {
                reason: 'KubeletReady',
                message: 'kubelet is posting ready status',
              }),
            ],
          },
        },
      ]),
      namespaces: ok([
        namespace(KSERVE_NS, { 'control-plane': KSERVE_DEPLOYMENT }),
        namespace(KYVERNO_NS),
        namespace('argocd'),
        namespace(ISVC_NAMESPACE, {
          owner: 'team-ml-platform',
          'cost-center': 'cc-4200',
        }),
      ]),
      customResourceDefinitions: ok([
        crd('inferenceservices.serving.kserve.io'),
        crd('servingruntimes.serving.kserve.io'),
        crd('clusterservingruntimes.serving.kserve.io'),
        crd('trainedmodels.serving.kserve.io'),
        crd('inferencegraphs.serving.kserve.io'),
        crd('clusterstoragecontainers.serving.kserve.io'),
        crd('clusterpolicies.kyverno.io'),
        crd('applications.argoproj.io'),
      ]),
      mutatingWebhookConfigurations: ok([
        {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'MutatingWebhookConfiguration',
          metadata: { name: 'inferenceservice.serving.kserve.io' },
          webhooks: [
            {
              name: KSERVE_DEFAULTER,
              clientConfig: kserveWebhookClient(
                '/mutate-serving-kserve-io-v1beta1-inferenceservice',
              ),
              failurePolicy: 'Fail',
              sideEffects: 'None',
              admissionReviewVersions: ['v1beta1'],
              rules: [
                {
                  apiGroups: ['serving.kserve.io'],
                  apiVersions: ['v1beta1'],
                  operations: ['CREATE', 'UPDATE'],
                  resources: ['inferenceservices'],
                },
              ],
            },
            {
              name: 'inferenceservice.kserve-webhook-server.pod-mutator',
              clientConfig: kserveWebhookClient('/mutate-pods'),
              failurePolicy: 'Fail',
              sideEffects: 'None',
              admissionReviewVersions: ['v1beta1'],
              objectSelector: {
                matchExpressions: [
                  {
                    key: 'serving.kserve.io/inferenceservice',
                    operator: 'Exists',
                  },
                ],
              },
              rules: [
                {
                  apiGroups: [''],
                  apiVersions: ['v1'],
                  operations: ['CREATE'],
                  resources: ['pods'],
                },
              ],
            },
          ],
        },
        {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'MutatingWebhookConfiguration',
          metadata: { name: 'kyverno-resource-mutating-webhook-cfg' },
          webhooks: [
            {
              name: 'mutate.kyverno.svc-fail',
              clientConfig: kyvernoWebhookClient('/mutate/fail'),
              failurePolicy: 'Fail',
              sideEffects: 'NoneOnDryRun',
              namespaceSelector: KYVERNO_NAMESPACE_SELECTOR,
              rules: [
                {
                  apiGroups: ['serving.kserve.io'],
                  apiVersions: ['v1beta1'],
                  operations: ['CREATE', 'UPDATE'],
                  resources: ['inferenceservices'],
                },
              ],
            },
          ],
        },
      ]),
      validatingWebhookConfigurations: ok([
        {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'ValidatingWebhookConfiguration',
          metadata: { name: 'inferenceservice.serving.kserve.io' },
          webhooks: [
            {
              name: KSERVE_VALIDATOR,
              clientConfig: kserveWebhookClient(
                '/validate-serving-kserve-io-v1beta1-inferenceservice',
              ),
              failurePolicy: 'Fail',
              sideEffects: 'None',
              admissionReviewVersions: ['v1beta1'],
              rules: [
                {
                  apiGroups: ['serving.kserve.io'],
                  apiVersions: ['v1beta1'],
                  operations: ['CREATE', 'UPDATE'],
                  resources: ['inferenceservices'],
                },
              ],
            },
          ],
        },
        {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'ValidatingWebhookConfiguration',
          metadata: { name: 'servingruntime.serving.kserve.io' },
          webhooks: [
            {
              name: 'servingruntime.kserve-webhook-server.validator',
              clientConfig: kserveWebhookClient(
                '/validate-serving-kserve-io-v1alpha1-servingruntime',
              ),
              failurePolicy: 'Fail',
              sideEffects: 'None',
              admissionReviewVersions: ['v1beta1'],
              rules: [
                {
                  apiGroups: ['serving.kserve.io'],
                  apiVersions: ['v1alpha1'],
                  operations: ['CREATE', 'UPDATE'],
                  resources: ['servingruntimes'],
                },
              ],
            },
          ],
        },
        {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'ValidatingWebhookConfiguration',
          metadata: { name: 'kyverno-resource-validating-webhook-cfg' },
          webhooks: [
            {
              name: KYVERNO_VALIDATE_FAIL,
              clientConfig: kyvernoWebhookClient('/validate/fail'),
              failurePolicy: 'Fail',
              sideEffects: 'NoneOnDryRun',
              namespaceSelector: KYVERNO_NAMESPACE_SELECTOR,
              rules: [
                {
                  apiGroups: ['serving.kserve.io'],
                  apiVersions: ['v1beta1'],
                  operations: ['CREATE', 'UPDATE'],
                  resources: ['inferenceservices'],
                },
              ],
            },
            {
              name: 'validate.kyverno.svc-ignore',
              clientConfig: kyvernoWebhookClient('/validate/ignore'),
              failurePolicy: 'Ignore',
              sideEffects: 'NoneOnDryRun',
              namespaceSelector: KYVERNO_NAMESPACE_SELECTOR,
              rules: [
                {
                  apiGroups: [''],
                  apiVersions: ['v1'],
                  operations: ['CREATE', 'UPDATE'],
                  resources: ['pods'],
                },
              ],
            },
          ],
        },
      ]),
      services: ok([
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: KSERVE_WEBHOOK_SERVICE, namespace: KSERVE_NS },
          spec: {
            selector: { 'control-plane': KSERVE_DEPLOYMENT },
            ports: [
              { port: 443, targetPort: 'webhook-server', protocol: 'TCP' },
            ],
          },
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: KYVERNO_SERVICE, namespace: KYVERNO_NS },
          spec: {
            selector: { ...KYVERNO_SELECTOR },
            ports: [
              {
                name: 'https',
                port: 443,
                targetPort: 'https',
                protocol: 'TCP',
              },
            ],
          },
        },
      ]),
      endpointSlices: ok([
        endpointSlice(
          KSERVE_WEBHOOK_SERVICE,
          KSERVE_NS,
          'h7v2k',
          KSERVE_POD,
          '10.244.0.12',
          { name: '', port: 9443 },
        ),
        endpointSlice(
          KYVERNO_SERVICE,
          KYVERNO_NS,
          'q8m4z',
          KYVERNO_POD,
          '10.244.0.20',
          { name: 'https', port: 9443 },
        ),
      ]),
      controlPlaneDeployments: ok([
        deployment(KSERVE_DEPLOYMENT, KSERVE_NS, {
          'control-plane': KSERVE_DEPLOYMENT,
          'controller-tools.k8s.io': '1.0',
        }),
        deployment(KYVERNO_DEPLOYMENT, KYVERNO_NS, { ...KYVERNO_SELECTOR }),
      ]),
      controlPlanePods: ok([kservePod(), kyvernoPod()]),
      controlPlaneEvents: ok([]),
      applications: ok([application(ARGO_APP), application('other-model')]),
      inferenceServices: ok([inferenceService()]),
      clusterPolicies: ok([
        {
          apiVersion: 'kyverno.io/v1',
          kind: 'ClusterPolicy',
          metadata: { name: 'require-cost-center' },
          spec: {
            validationFailureAction: 'Enforce',
            rules: [
              {
                name: 'check-cost-center',
                match: {
                  any: [
                    {
                      resources: {
                        kinds: ['serving.kserve.io/*/InferenceService'],
                      },
                    },
                  ],
                },
                validate: {
                  message: 'label cost-center is required.',
                  pattern: { metadata: { labels: { 'cost-center': '?*' } } },
                },
              },
            ],
          },
        },
      ]),
      kyvernoPolicies: ok([]),
      validatingPolicies: ok([]),
      policyReports: ok([]),
    },
  };
}

// ---------------------------------------------------------------------------
// Access helpers
// ---------------------------------------------------------------------------

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v));
}

/** The items of a collection that was read successfully (throws otherwise: a fixture bug). */
export function itemsOf(
  s: ClusterSnapshot,
  name: SnapshotCollection,
): KubeObject[] {
  const r = s.collections[name];
  if (!r || !r.ok)
    throw new Error(`fixture: collection ${name} is not readable`);
  return r.items;
}

function find(
  s: ClusterSnapshot,
  name: SnapshotCollection,
  objName: string,
): KubeObject {
  const o = itemsOf(s, name).find(i => i.metadata.name === objName);
  if (!o) throw new Error(`fixture: ${name}/${objName} not found`);
  return o;
}

function setCondition(
  obj: KubeObject,
  type: string,
  status: string,
  extra: Record<string, string> = {},
) {
  obj.status = obj.status ?? {};
  const conditions: any[] = (obj.status.conditions =
    obj.status.conditions ?? []);
  const i = conditions.findIndex(c => c.type === type);
  const c = condition(type, status, extra);
  if (i >= 0) conditions[i] = c;
  else conditions.push(c);
}

function mutate(
  s: ClusterSnapshot,
  fn: (copy: ClusterSnapshot) => void,
): ClusterSnapshot {
  const copy = clone(s);
  fn(copy);
  return copy;
}

// ---------------------------------------------------------------------------
// Read failures
// ---------------------------------------------------------------------------

const SA = 'system:serviceaccount:serving-health:serving-health';

export function forbidden(
  resource: string,
  apiGroup: string,
  ns?: string,
): ReadError {
  const res = apiGroup ? `${resource}.${apiGroup}` : resource;
  return {
    reason: 'forbidden',
    request: `list ${res}${ns ? ` -n ${ns}` : ' -A'}`,
    message: `${res} is forbidden: User "${SA}" cannot list resource "${resource}" in API group "${apiGroup}" ${
      ns ? `in the namespace "${ns}"` : 'at the cluster scope'
    }`,
    httpStatus: 403,
    missingRule: { apiGroup, resource, verb: 'list' },
  };
}

export function timeout(request: string): ReadError {
  return {
    reason: 'timeout',
    request,
    message: 'no answer within 10000ms',
  };
}

/** One collection could not be read. */
export function withReadError(
  s: ClusterSnapshot,
  name: SnapshotCollection,
  error: ReadError,
): ClusterSnapshot {
  return mutate(s, c => {
    c.collections[name] = { ok: false, error };
  });
}

/**
 * The API server does not answer at all: /version times out, and so does every LIST.
 *
 * @public
 */
export function withClusterUnreachable(s: ClusterSnapshot): ClusterSnapshot {
  return mutate(s, c => {
    const error: ReadError = {
      reason: 'unreachable',
      request: 'GET /version',
      message: 'connect ECONNREFUSED 172.18.0.2:6443',
    };
    c.version = { ok: false, error };
    for (const k of Object.keys(c.collections) as SnapshotCollection[]) {
      c.collections[k] = {
        ok: false,
        error: { ...error, request: `list ${k}` },
      };
    }
  });
}

export function withVersionError(
  s: ClusterSnapshot,
  error: ReadError,
): ClusterSnapshot {
  return mutate(s, c => {
    c.version = { ok: false, error };
  });
}

/** No applications.argoproj.io resource on the cluster. */
export function withArgoCdNotInstalled(s: ClusterSnapshot): ClusterSnapshot {
  return withReadError(s, 'applications', {
    reason: 'not-installed',
    request: 'list applications.argoproj.io -A',
    message: 'the server could not find the requested resource',
    httpStatus: 404,
  });
}

// ---------------------------------------------------------------------------
// Failure modes
// ---------------------------------------------------------------------------

/**
 * webhook-no-endpoints: the kube-rbac-proxy sidecar cannot pull its image (403 from
 * the registry), the pod is 1/2 ready, so it drops out of the webhook Service's
 * ready endpoints although `manager` runs.
 *
 * @public
 */
export function withKServeSidecarPullForbidden(
  s: ClusterSnapshot,
): ClusterSnapshot {
  return mutate(s, c => {
    const pod = find(c, 'controlPlanePods', KSERVE_POD);
    setCondition(pod, 'Ready', 'False', {
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [kube-rbac-proxy]',
    });
    setCondition(pod, 'ContainersReady', 'False', {
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [kube-rbac-proxy]',
    });
    const proxy = pod.status.containerStatuses.find(
      (cs: any) => cs.name === 'kube-rbac-proxy',
    );
    proxy.ready = false;
    proxy.started = false;
    proxy.imageID = '';
    proxy.state = {
      waiting: {
        reason: 'ImagePullBackOff',
        message: `Back-off pulling image "${RBAC_PROXY_IMAGE}"`,
      },
    };

    const slice = find(c, 'endpointSlices', `${KSERVE_WEBHOOK_SERVICE}-h7v2k`);
    slice.endpoints[0].conditions = {
      ready: false,
      serving: false,
      terminating: false,
    };

    const deploy = find(c, 'controlPlaneDeployments', KSERVE_DEPLOYMENT);
    deploy.status.readyReplicas = 0;
    deploy.status.availableReplicas = 0;
    deploy.status.unavailableReplicas = 1;
    setCondition(deploy, 'Available', 'False', {
      reason: 'MinimumReplicasUnavailable',
      message: 'Deployment does not have minimum availability.',
    });

    itemsOf(c, 'controlPlaneEvents').push(
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {
          name: `${KSERVE_POD}.1849a1b2c3d4e5f6`,
          namespace: KSERVE_NS,
        },
        involvedObject: {
          kind: 'Pod',
          namespace: KSERVE_NS,
          name: KSERVE_POD,
          fieldPath: 'spec.containers{kube-rbac-proxy}',
        },
        reason: 'Failed',
        type: 'Warning',
        message: PULL_403_MESSAGE,
        count: 14,
        firstTimestamp: '2025-11-24T09:01:10Z',
        lastTimestamp: '2025-11-24T09:27:40Z',
      },
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {
          name: `${KSERVE_POD}.1849a1b2c3d4e5f7`,
          namespace: KSERVE_NS,
        },
        involvedObject: {
          kind: 'Pod',
          namespace: KSERVE_NS,
          name: KSERVE_POD,
          fieldPath: 'spec.containers{kube-rbac-proxy}',
        },
        reason: 'Failed',
        type: 'Warning',
        message: 'Error: ImagePullBackOff',
        count: 120,
        firstTimestamp: '2025-11-24T09:01:12Z',
        lastTimestamp: '2025-11-24T09:29:50Z',
      },
      {
        // The kubelet records back-off as a Normal event; it does not carry the registry's answer.
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {
          name: `${KSERVE_POD}.1849a1b2c3d4e5f8`,
          namespace: KSERVE_NS,
        },
        involvedObject: {
          kind: 'Pod',
          namespace: KSERVE_NS,
          name: KSERVE_POD,
          fieldPath: 'spec.containers{kube-rbac-proxy}',
        },
        reason: 'BackOff',
        type: 'Normal',
        message: `Back-off pulling image "${RBAC_PROXY_IMAGE}"`,
        count: 120,
        firstTimestamp: '2025-11-24T09:01:12Z',
        lastTimestamp: '2025-11-24T09:29:55Z',
      },
    );
  });
}

/** The KServe webhook Service was deleted; its webhook configurations are still registered. */
export function withoutKServeWebhookService(
  s: ClusterSnapshot,
): ClusterSnapshot {
  return mutate(s, c => {
    const svcs = itemsOf(c, 'services');
    svcs.splice(
      svcs.findIndex(x => x.metadata.name === KSERVE_WEBHOOK_SERVICE),
      1,
    );
    const slices = itemsOf(c, 'endpointSlices');
    slices.splice(
      slices.findIndex(
        x =>
          x.metadata.labels?.['kubernetes.io/service-name'] ===
          KSERVE_WEBHOOK_SERVICE,
      ),
      1,
    );
  });
}

/** Available, but a rollout's new pod is stuck pulling (the old one still serves). */
export function withKServeRolloutStuck(s: ClusterSnapshot): ClusterSnapshot {
  return mutate(s, c => {
    const stuck = clone(find(c, 'controlPlanePods', KSERVE_POD));
    stuck.metadata.name = 'kserve-controller-manager-5f8d7c9b4-mm2lp';
    stuck.metadata.labels!['pod-template-hash'] = '5f8d7c9b4';
    setCondition(stuck, 'Ready', 'False', { reason: 'ContainersNotReady' });
    const proxy = stuck.status.containerStatuses.find(
      (cs: any) => cs.name === 'kube-rbac-proxy',
    );
    proxy.ready = false;
    proxy.state = {
      waiting: {
        reason: 'ErrImagePull',
        message: `failed to pull and unpack image "${RBAC_PROXY_IMAGE}": 403 Forbidden`,
      },
    };
    itemsOf(c, 'controlPlanePods').push(stuck);
  });
}

/**
 * crd-missing: `kubectl apply -f` of a `$patch: delete` file removed the CRD, and every InferenceService with it.
 *
 * @public
 */
export function withoutInferenceServiceCrd(
  s: ClusterSnapshot,
): ClusterSnapshot {
  return mutate(s, c => {
    const crds = itemsOf(c, 'customResourceDefinitions');
    crds.splice(
      crds.findIndex(
        x => x.metadata.name === 'inferenceservices.serving.kserve.io',
      ),
      1,
    );
    itemsOf(c, 'inferenceServices').length = 0;
    const app = find(c, 'applications', ARGO_APP);
    app.status = argoStatusFailing({
      sync: 'OutOfSync',
      health: 'Missing',
      message: CRD_MISSING_ARGO_MESSAGE,
      conditionType: 'ComparisonError',
      resourceHealth: 'Missing',
    });
  });
}

/** The CRD object exists but the API server has not Established it. */
export function withInferenceServiceCrdNotEstablished(
  s: ClusterSnapshot,
): ClusterSnapshot {
  return mutate(s, c => {
    const isvcCrd = find(
      c,
      'customResourceDefinitions',
      'inferenceservices.serving.kserve.io',
    );
    setCondition(isvcCrd, 'NamesAccepted', 'False', {
      reason: 'MultipleConflicts',
      message: '"isvc" is already in use',
    });
    setCondition(isvcCrd, 'Established', 'False', {
      reason: 'NotAccepted',
      message: 'not all names are accepted',
    });
  });
}

/** A supporting CRD is gone; the InferenceService CRD itself is fine. */
export function withoutServingRuntimeCrd(s: ClusterSnapshot): ClusterSnapshot {
  return mutate(s, c => {
    const crds = itemsOf(c, 'customResourceDefinitions');
    crds.splice(
      crds.findIndex(
        x => x.metadata.name === 'servingruntimes.serving.kserve.io',
      ),
      1,
    );
  });
}

/**
 * policy-engine-not-ready: Kyverno's webhooks are registered, its admission controller crash-loops.
 *
 * @public
 */
export function withKyvernoAdmissionNotReady(
  s: ClusterSnapshot,
): ClusterSnapshot {
  return mutate(s, c => {
    const pod = find(c, 'controlPlanePods', KYVERNO_POD);
    setCondition(pod, 'Ready', 'False', { reason: 'ContainersNotReady' });
    const cs = pod.status.containerStatuses[0];
    cs.ready = false;
    cs.restartCount = 7;
    cs.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off 5m0s restarting failed container=kyverno pod=${KYVERNO_POD}_kyverno`,
      },
    };
    cs.lastState = { terminated: { reason: 'Error', exitCode: 1 } };
    const slice = find(c, 'endpointSlices', `${KYVERNO_SERVICE}-q8m4z`);
    slice.endpoints[0].conditions = {
      ready: false,
      serving: false,
      terminating: false,
    };
    const deploy = find(c, 'controlPlaneDeployments', KYVERNO_DEPLOYMENT);
    deploy.status.readyReplicas = 0;
    setCondition(deploy, 'Available', 'False', {
      reason: 'MinimumReplicasUnavailable',
    });
  });
}

/** Make every Kyverno webhook fail open (failurePolicy Ignore). */
export function withKyvernoWebhooksIgnore(s: ClusterSnapshot): ClusterSnapshot {
  return mutate(s, c => {
    for (const col of [
      'mutatingWebhookConfigurations',
      'validatingWebhookConfigurations',
    ] as const) {
      for (const cfg of itemsOf(c, col)) {
        if (!cfg.metadata.name.startsWith('kyverno-')) continue;
        for (const w of cfg.webhooks) w.failurePolicy = 'Ignore';
      }
    }
  });
}

export interface StaleWebhookOptions {
  configKind?:
    | 'ValidatingWebhookConfiguration'
    | 'MutatingWebhookConfiguration';
  configName?: string;
  webhookName?: string;
  service?: { namespace: string; name: string; path?: string };
  failurePolicy?: 'Fail' | 'Ignore';
  rules?: any[];
  namespaceSelector?: any;
  objectSelector?: any;
  /** Keep the Service, without any ready endpoint, instead of deleting it. */
  serviceWithoutEndpoints?: boolean;
}

/**
 * stale-webhook: a component was uninstalled but its webhook configuration stayed.
 * Default: OPA Gatekeeper's validating webhook (matches every kind on CREATE/UPDATE),
 * set to failurePolicy Fail as hardened installs do; its Service is gone.
 */
export function withStaleWebhook(
  s: ClusterSnapshot,
  o: StaleWebhookOptions = {},
): ClusterSnapshot {
  const service = o.service ?? {
    namespace: 'gatekeeper-system',
    name: 'gatekeeper-webhook-service',
    path: '/v1/admit',
  };
  const configKind = o.configKind ?? 'ValidatingWebhookConfiguration';
  return mutate(s, c => {
    const webhook: any = {
      name: o.webhookName ?? 'validation.gatekeeper.sh',
      clientConfig: {
        service: { ...service, port: 443 },
        caBundle: 'LS0tLS1CRUdJTi...',
      },
      failurePolicy: o.failurePolicy ?? 'Fail',
      sideEffects: 'None',
      admissionReviewVersions: ['v1', 'v1beta1'],
      rules: o.rules ?? [
        {
          apiGroups: ['*'],
          apiVersions: ['*'],
          operations: ['CREATE', 'UPDATE'],
          resources: ['*'],
        },
      ],
      namespaceSelector: o.namespaceSelector ?? {
        matchExpressions: [
          { key: 'admission.gatekeeper.sh/ignore', operator: 'DoesNotExist' },
        ],
      },
    };
    if (o.objectSelector) webhook.objectSelector = o.objectSelector;
    const collection =
      configKind === 'MutatingWebhookConfiguration'
        ? 'mutatingWebhookConfigurations'
        : 'validatingWebhookConfigurations';
    itemsOf(c, collection).push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: configKind,
      metadata: {
        name: o.configName ?? 'gatekeeper-validating-webhook-configuration',
      },
      webhooks: [webhook],
    });
    if (o.serviceWithoutEndpoints) {
      itemsOf(c, 'namespaces').push(namespace(service.namespace));
      itemsOf(c, 'services').push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: service.name, namespace: service.namespace },
        spec: {
          clusterIP: '10.96.14.7',
          selector: { app: service.name },
          ports: [{ port: 443, targetPort: 8443 }],
        },
      });
    }
  });
}

/**
 * webhook-unavailable: cert-manager is installed, its webhook Service exists, but no webhook pod is Ready. Its
 * MutatingWebhookConfiguration matches Pods and Deployments everywhere except kube-system, failurePolicy Fail
 * (a hardened variant of the chart's webhook, as some platforms add to inject trust bundles).
 */
export function withCertManagerWebhookUnserved(
  s: ClusterSnapshot,
  o: StaleWebhookOptions = {},
): ClusterSnapshot {
  return withStaleWebhook(s, {
    configKind: 'MutatingWebhookConfiguration',
    configName: 'cert-manager-webhook',
    webhookName: 'webhook.cert-manager.io',
    service: {
      namespace: 'cert-manager',
      name: 'cert-manager-webhook',
      path: '/mutate',
    },
    rules: [
      {
        apiGroups: [''],
        apiVersions: ['v1'],
        operations: ['CREATE'],
        resources: ['pods'],
      },
      {
        apiGroups: ['apps'],
        apiVersions: ['v1'],
        operations: ['CREATE', 'UPDATE'],
        resources: ['deployments'],
      },
    ],
    namespaceSelector: {
      matchExpressions: [
        {
          key: 'kubernetes.io/metadata.name',
          operator: 'NotIn',
          values: ['kube-system'],
        },
      ],
    },
    serviceWithoutEndpoints: true,
    ...o,
  });
}

/** Give a webhook's Service an EndpointSlice, as the EndpointSlice controller writes it (port named as the Service port). */
export function withServiceEndpoint(
  s: ClusterSnapshot,
  svc: { namespace: string; name: string },
  endpoint: {
    ready?: boolean | null;
    terminating?: boolean;
    port?: { name?: string; port: number };
  } = {},
): ClusterSnapshot {
  return mutate(s, c => {
    const conditions: Record<string, boolean> = {};
    if (endpoint.ready !== null) conditions.ready = endpoint.ready ?? true;
    if (endpoint.terminating !== undefined)
      conditions.terminating = endpoint.terminating;
    itemsOf(c, 'endpointSlices').push({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: `${svc.name}-x7k2p`,
        namespace: svc.namespace,
        labels: { 'kubernetes.io/service-name': svc.name },
      },
      addressType: 'IPv4',
      endpoints: [
        {
          addresses: ['10.244.0.40'],
          conditions,
          targetRef: {
            kind: 'Pod',
            namespace: svc.namespace,
            name: `${svc.name}-6d8f9c7b5-r2k9m`,
          },
        },
      ],
      ports: [
        {
          name: endpoint.port?.name ?? '',
          port: endpoint.port?.port ?? 8443,
          protocol: 'TCP',
        },
      ],
    });
  });
}

/** Change a Service in place (e.g. make it headless, or rename its ports). */
export function withService(
  s: ClusterSnapshot,
  name: string,
  fn: (svc: KubeObject) => void,
): ClusterSnapshot {
  return mutate(s, c => {
    fn(find(c, 'services', name));
  });
}

/**
 * Kyverno was uninstalled without its chart's webhook cleanup: its namespace, Service, Deployments and Pods are
 * gone, its resource webhook configurations (created at runtime) are not.
 */
export function withKyvernoUninstalled(s: ClusterSnapshot): ClusterSnapshot {
  return mutate(s, c => {
    for (const col of [
      'namespaces',
      'services',
      'endpointSlices',
      'controlPlaneDeployments',
      'controlPlanePods',
    ] as const) {
      const list = itemsOf(c, col);
      list.splice(
        0,
        list.length,
        ...list.filter(
          x =>
            x.metadata.name !== KYVERNO_NS &&
            x.metadata.namespace !== KYVERNO_NS,
        ),
      );
    }
  });
}

/** Kyverno's webhooks that no model deployment reaches: its policy webhook and its cleanup controller's. */
export function withKyvernoPolicyAndCleanupWebhooks(
  s: ClusterSnapshot,
): ClusterSnapshot {
  return mutate(s, c => {
    itemsOf(c, 'validatingWebhookConfigurations').push(
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: 'kyverno-policy-validating-webhook-cfg' },
        webhooks: [
          {
            name: 'validate-policy.kyverno.svc',
            clientConfig: kyvernoWebhookClient('/policyvalidate'),
            failurePolicy: 'Fail',
            rules: [
              {
                apiGroups: ['kyverno.io'],
                apiVersions: ['v1', 'v2beta1'],
                operations: ['CREATE', 'UPDATE'],
                resources: ['clusterpolicies', 'policies'],
              },
            ],
          },
        ],
      },
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: 'kyverno-cleanup-validating-webhook-cfg' },
        webhooks: [
          {
            name: 'kyverno-cleanup-controller.kyverno.svc',
            clientConfig: {
              service: {
                name: 'kyverno-cleanup-controller',
                namespace: KYVERNO_NS,
                path: '/validate',
                port: 443,
              },
              caBundle: 'LS0tLS1CRUdJTi...',
            },
            failurePolicy: 'Fail',
            rules: [
              {
                apiGroups: ['kyverno.io'],
                apiVersions: ['v2beta1', 'v2'],
                operations: ['CREATE', 'UPDATE'],
                resources: ['clustercleanuppolicies', 'cleanuppolicies'],
              },
            ],
          },
        ],
      },
    );
    itemsOf(c, 'services').push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kyverno-cleanup-controller', namespace: KYVERNO_NS },
      spec: {
        clusterIP: '10.96.30.2',
        selector: { 'app.kubernetes.io/component': 'cleanup-controller' },
        ports: [{ name: 'https', port: 443, targetPort: 'https' }],
      },
    });
  });
}

/**
 * The ingress-nginx admission webhook left behind: it matches Ingresses only.
 *
 * @public
 */
export function withStaleIngressNginxWebhook(
  s: ClusterSnapshot,
): ClusterSnapshot {
  return withStaleWebhook(s, {
    configName: 'ingress-nginx-admission',
    webhookName: 'validate.nginx.ingress.kubernetes.io',
    service: {
      namespace: 'ingress-nginx',
      name: 'ingress-nginx-controller-admission',
      path: '/networking/v1/ingresses',
    },
    failurePolicy: 'Fail',
    rules: [
      {
        apiGroups: ['networking.k8s.io'],
        apiVersions: ['v1'],
        operations: ['CREATE', 'UPDATE'],
        resources: ['ingresses'],
      },
    ],
    namespaceSelector: {},
  });
}

// ---------------------------------------------------------------------------
// Argo CD application states
// ---------------------------------------------------------------------------

/** An Application status after a failed sync whose error is `message`. */
export function argoStatusFailing(o: {
  message: string;
  sync?: string;
  health?: string;
  conditionType?: string;
  resourceHealth?: string;
  operation?: boolean;
}): any {
  const resource = {
    group: 'serving.kserve.io',
    version: 'v1beta1',
    kind: 'InferenceService',
    namespace: ISVC_NAMESPACE,
    name: ISVC_NAME,
  };
  return {
    sync: { status: o.sync ?? 'OutOfSync', revision: '9a0b1c2' },
    health: { status: o.health ?? 'Degraded' },
    conditions: [
      {
        type: o.conditionType ?? 'SyncError',
        message: `Failed sync attempt to 9a0b1c2: one or more objects failed to apply, reason: ${o.message}`,
        lastTransitionTime: '2025-11-24T09:25:00Z',
      },
    ],
    ...(o.operation === false
      ? {}
      : {
          operationState: {
            phase: 'Failed',
            message: `one or more objects failed to apply, reason: ${o.message}`,
            startedAt: '2025-11-24T09:24:58Z',
            finishedAt: '2025-11-24T09:25:00Z',
            syncResult: {
              revision: '9a0b1c2',
              resources: [
                { ...resource, status: 'SyncFailed', message: o.message },
              ],
            },
          },
        }),
    resources: [
      {
        ...resource,
        status: 'OutOfSync',
        health: { status: o.resourceHealth ?? 'Missing' },
      },
    ],
  };
}

export function withArgoAppStatus(
  s: ClusterSnapshot,
  status: any,
  name = ARGO_APP,
): ClusterSnapshot {
  return mutate(s, c => {
    find(c, 'applications', name).status = status;
  });
}

// ---------------------------------------------------------------------------
// InferenceService states
// ---------------------------------------------------------------------------

export function withInferenceService(
  s: ClusterSnapshot,
  fn: (isvc: KubeObject) => void,
): ClusterSnapshot {
  return mutate(s, c => {
    fn(find(c, 'inferenceServices', ISVC_NAME));
  });
}

export function withInferenceServiceNotReady(
  s: ClusterSnapshot,
): ClusterSnapshot {
  return withInferenceService(s, i => {
    setCondition(i, 'PredictorReady', 'False', {
      reason: 'RevisionMissing',
      message: `Configuration "${ISVC_NAME}-predictor" does not have any ready Revision.`,
    });
    setCondition(i, 'Ready', 'False', {
      reason: 'RevisionMissing',
      message: `Configuration "${ISVC_NAME}-predictor" does not have any ready Revision.`,
    });
  });
}

export function withModelLoadFailure(s: ClusterSnapshot): ClusterSnapshot {
  return withInferenceService(s, i => {
    setCondition(i, 'PredictorReady', 'False', { reason: 'ModelLoadFailed' });
    setCondition(i, 'Ready', 'False', { reason: 'ModelLoadFailed' });
    i.status.modelStatus = {
      transitionStatus: 'BlockedByFailedLoad',
      states: {
        activeModelState: 'FailedToLoad',
        targetModelState: 'FailedToLoad',
      },
      lastFailureInfo: {
        location: `${ISVC_NAME}-predictor-00003-deployment-6c8b9f7d5-abcde`,
        reason: 'ModelLoadFailed',
        message: 'Failed to load model: unsupported pickle protocol: 5',
        modelRevisionName: `${ISVC_NAME}-predictor-00003`,
        exitCode: 1,
      },
    };
  });
}

// ---------------------------------------------------------------------------
// Nodes
// ---------------------------------------------------------------------------

export function withNoReadyNode(s: ClusterSnapshot): ClusterSnapshot {
  return mutate(s, c => {
    for (const n of itemsOf(c, 'nodes')) {
      setCondition(n, 'Ready', 'Unknown', {
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
      });
    }
  });
}

// ---------------------------------------------------------------------------
// Labels and policies
// ---------------------------------------------------------------------------

/**
 * label-policy-mismatch: the template rendered `costCenter`, the Kyverno policy
 * requires `cost-center` (here the live object predates the Enforce policy).
 *
 * @public
 */
export function withCostCenterNearMiss(s: ClusterSnapshot): ClusterSnapshot {
  return withInferenceService(s, i => {
    const labels = i.metadata.labels!;
    labels.costCenter = labels['cost-center'];
    delete labels['cost-center'];
  });
}

export function withPolicyAction(
  s: ClusterSnapshot,
  action: 'Audit' | 'Enforce',
): ClusterSnapshot {
  return mutate(s, c => {
    for (const p of itemsOf(c, 'clusterPolicies'))
      p.spec.validationFailureAction = action;
  });
}

/** No clusterpolicies.kyverno.io resource on the cluster. */
export function withKyvernoNotInstalled(s: ClusterSnapshot): ClusterSnapshot {
  return withReadError(s, 'clusterPolicies', {
    reason: 'not-installed',
    request: 'list clusterpolicies.kyverno.io',
    message: 'the server could not find the requested resource',
    httpStatus: 404,
  });
}

/**
 * Changes the `validate` block of every rule of the ClusterPolicy (e.g. 1.13+ failureAction fields).
 *
 * @public
 */
export function withPolicyValidate(
  s: ClusterSnapshot,
  validate: Record<string, unknown>,
): ClusterSnapshot {
  return mutate(s, c => {
    for (const p of itemsOf(c, 'clusterPolicies')) {
      for (const r of p.spec.rules) Object.assign(r.validate, validate);
    }
  });
}

/** Changes the ClusterPolicy's spec (e.g. `admission: false`, validationFailureActionOverrides). */
export function withPolicySpec(
  s: ClusterSnapshot,
  spec: Record<string, unknown>,
): ClusterSnapshot {
  return mutate(s, c => {
    for (const p of itemsOf(c, 'clusterPolicies')) Object.assign(p.spec, spec);
  });
}

/** The ClusterPolicy's rules moved into a namespaced Policy in namespace `ns`. */
export function withNamespacedPolicy(
  s: ClusterSnapshot,
  ns: string,
): ClusterSnapshot {
  return mutate(s, c => {
    const [p] = itemsOf(c, 'clusterPolicies').splice(0, 1);
    itemsOf(c, 'kyvernoPolicies').push({
      ...p,
      kind: 'Policy',
      metadata: { ...p.metadata, namespace: ns },
    });
  });
}

export function withNamespaceLabels(
  s: ClusterSnapshot,
  name: string,
  labels: Record<string, string>,
): ClusterSnapshot {
  return mutate(s, c => {
    Object.assign(find(c, 'namespaces', name).metadata.labels!, labels);
  });
}

/** A Kyverno 1.14+ ValidatingPolicy (CEL) requiring a label, enforced with Deny. */
export function withValidatingPolicy(
  s: ClusterSnapshot,
  expression = "has(object.metadata.labels) && 'cost-center' in object.metadata.labels",
  spec: Record<string, unknown> = {},
): ClusterSnapshot {
  return mutate(s, c => {
    c.collections.clusterPolicies = ok([]);
    itemsOf(c, 'validatingPolicies').push({
      apiVersion: 'policies.kyverno.io/v1alpha1',
      kind: 'ValidatingPolicy',
      metadata: { name: 'require-cost-center-cel' },
      spec: {
        validationActions: ['Deny'],
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: ['serving.kserve.io'],
              apiVersions: ['v1beta1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['inferenceservices'],
            },
          ],
        },
        validations: [{ expression, message: 'label cost-center is required' }],
        ...spec,
      },
    });
  });
}

/** Kyverno's per-resource PolicyReport (1.10+) on the InferenceService, with one result. */
export function withPolicyReport(
  s: ClusterSnapshot,
  result: {
    policy: string;
    rule?: string;
    result?: string;
    message: string;
    source?: string;
  },
): ClusterSnapshot {
  return mutate(s, c => {
    itemsOf(c, 'policyReports').push({
      apiVersion: 'wgpolicyk8s.io/v1alpha2',
      kind: 'PolicyReport',
      metadata: {
        name: 'a3c1f2e4-0d6b-4e0f-9a51-7c2d8e9b1f00',
        namespace: ISVC_NAMESPACE,
      },
      scope: {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        namespace: ISVC_NAMESPACE,
        name: ISVC_NAME,
      },
      results: [
        {
          rule: '',
          result: 'fail',
          source: 'kyverno',
          scored: true,
          ...result,
        },
      ],
      summary: { pass: 0, fail: 1, warn: 0, error: 0, skip: 0 },
    });
  });
}
