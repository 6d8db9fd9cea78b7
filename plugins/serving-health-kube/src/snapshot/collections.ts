import {
  ControlPlaneNamespaces,
  KubeObject,
  SnapshotCollection,
} from '@serving-health/plugin-serving-health-common';

/**
 * One collection of the cluster snapshot: where it is listed (and, later, watched) and how a kubectl user
 * would ask for it.
 *
 * @public
 */
export interface CollectionSpec {
  collection: SnapshotCollection;
  apiGroup: string;
  resource: string;
  path: string;
  /** As a kubectl user would type the read. */
  kubectl: string;
  /** Only the objects with these labels (`labelSelector` of the LIST). */
  labelSelector?: string;
  /** A custom resource: 404 means its CRD is not installed. */
  custom?: boolean;
  /**
   * Read only where admission webhooks point: in the namespaces of their `clientConfig.service`, plus the
   * control-plane namespaces. Known only once the webhook configurations are read, so read after them.
   */
  webhookScoped?: boolean;
}

/**
 * The namespaces whose Services the API server calls for admission: `clientConfig.service.namespace` of
 * every webhook of these Validating/MutatingWebhookConfigurations (URL webhooks name no Service).
 *
 * @public
 */
export function webhookServiceNamespaces(
  configurations: KubeObject[],
): string[] {
  const namespaces = new Set<string>();
  for (const configuration of configurations) {
    for (const webhook of (configuration as any).webhooks ?? []) {
      const ns = webhook?.clientConfig?.service?.namespace;
      if (typeof ns === 'string' && ns) namespaces.add(ns);
    }
  }
  return [...namespaces].sort();
}

/**
 * The single list of what a snapshot reads: the cluster-wide collections the checks need, the control-plane
 * collections of the KServe and Kyverno namespaces, and Services and EndpointSlices only in the namespaces
 * admission webhooks point at (`webhookNamespaces`, from {@link webhookServiceNamespaces}) and the
 * control-plane ones: the checks resolve webhook Services and nothing else, and on a large cluster those two
 * collections are most of the bytes. The loader LISTs these paths; a watch keeps the same paths current.
 *
 * @public
 */
export function snapshotCollections(
  ns: ControlPlaneNamespaces,
  webhookNamespaces: string[] = [],
): CollectionSpec[] {
  const core = (
    collection: SnapshotCollection,
    resource: string,
  ): CollectionSpec => ({
    collection,
    apiGroup: '',
    resource,
    path: `/api/v1/${resource}`,
    kubectl: `kubectl get ${resource} -A`,
  });
  const controlPlane = [...new Set([ns.kserve, ns.kyverno])];
  const webhookTargets = [...new Set([...controlPlane, ...webhookNamespaces])];
  const inNamespaces =
    (namespaces: string[], extra: Partial<CollectionSpec> = {}) =>
    (
      collection: SnapshotCollection,
      apiGroup: string,
      resource: string,
      prefix: string,
    ): CollectionSpec[] =>
      namespaces.map(n => ({
        collection,
        apiGroup,
        resource,
        path: `${prefix}/namespaces/${n}/${resource}`,
        kubectl: `kubectl get ${resource} -n ${n}`,
        ...extra,
      }));
  const perNs = inNamespaces(controlPlane);
  const webhookScoped = inNamespaces(webhookTargets, { webhookScoped: true });
  return [
    { ...core('nodes', 'nodes'), kubectl: 'kubectl get nodes' },
    { ...core('namespaces', 'namespaces'), kubectl: 'kubectl get namespaces' },
    ...webhookScoped('services', '', 'services', '/api/v1'),
    ...webhookScoped(
      'endpointSlices',
      'discovery.k8s.io',
      'endpointslices',
      '/apis/discovery.k8s.io/v1',
    ),
    {
      collection: 'customResourceDefinitions',
      apiGroup: 'apiextensions.k8s.io',
      resource: 'customresourcedefinitions',
      path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      kubectl: 'kubectl get crds',
    },
    {
      collection: 'validatingWebhookConfigurations',
      apiGroup: 'admissionregistration.k8s.io',
      resource: 'validatingwebhookconfigurations',
      path: '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
      kubectl: 'kubectl get validatingwebhookconfigurations',
    },
    {
      collection: 'mutatingWebhookConfigurations',
      apiGroup: 'admissionregistration.k8s.io',
      resource: 'mutatingwebhookconfigurations',
      path: '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
      kubectl: 'kubectl get mutatingwebhookconfigurations',
    },
    ...perNs('controlPlaneDeployments', 'apps', 'deployments', '/apis/apps/v1'),
    ...perNs('controlPlanePods', '', 'pods', '/api/v1'),
    ...perNs('controlPlaneEvents', '', 'events', '/api/v1'),
    {
      collection: 'applications',
      apiGroup: 'argoproj.io',
      resource: 'applications',
      path: '/apis/argoproj.io/v1alpha1/applications',
      kubectl: 'kubectl get applications.argoproj.io -A',
      custom: true,
    },
    {
      collection: 'inferenceServices',
      apiGroup: 'serving.kserve.io',
      resource: 'inferenceservices',
      path: '/apis/serving.kserve.io/v1beta1/inferenceservices',
      kubectl: 'kubectl get inferenceservices -A',
      custom: true,
    },
    {
      collection: 'clusterPolicies',
      apiGroup: 'kyverno.io',
      resource: 'clusterpolicies',
      path: '/apis/kyverno.io/v1/clusterpolicies',
      kubectl: 'kubectl get clusterpolicies',
      custom: true,
    },
    {
      collection: 'kyvernoPolicies',
      apiGroup: 'kyverno.io',
      resource: 'policies',
      path: '/apis/kyverno.io/v1/policies',
      kubectl: 'kubectl get policies.kyverno.io -A',
      custom: true,
    },
    {
      // v1alpha1 is served from Kyverno 1.14, where the kind appeared, on.
      collection: 'validatingPolicies',
      apiGroup: 'policies.kyverno.io',
      resource: 'validatingpolicies',
      path: '/apis/policies.kyverno.io/v1alpha1/validatingpolicies',
      kubectl: 'kubectl get validatingpolicies',
      custom: true,
    },
    // Kyverno 1.10+ writes one PolicyReport per resource, labelled with its kind: only the InferenceServices'
    // are read (a cluster has one per Pod, ConfigMap, ...: most of the bytes otherwise). ClusterPolicyReports hold
    // cluster-scoped resources only, never an InferenceService, and are not read.
    {
      collection: 'policyReports',
      apiGroup: 'wgpolicyk8s.io',
      resource: 'policyreports',
      path: '/apis/wgpolicyk8s.io/v1alpha2/policyreports',
      labelSelector: 'audit.kyverno.io/resource.kind=InferenceService',
      kubectl:
        'kubectl get policyreports -A -l audit.kyverno.io/resource.kind=InferenceService',
      custom: true,
    },
  ];
}
