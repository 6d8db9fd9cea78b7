import { ControlPlaneNamespaces, SnapshotCollection } from '@serving-health/plugin-serving-health-common';

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
  /** A custom resource: 404 means its CRD is not installed. */
  custom?: boolean;
}

/**
 * The single list of what a snapshot reads: every cluster-wide collection the checks need, and the
 * control-plane collections of the KServe and Kyverno namespaces. The loader LISTs these paths; a watch
 * keeps the same paths current.
 *
 * @public
 */
export function snapshotCollections(ns: ControlPlaneNamespaces): CollectionSpec[] {
  const core = (collection: SnapshotCollection, resource: string): CollectionSpec => ({
    collection,
    apiGroup: '',
    resource,
    path: `/api/v1/${resource}`,
    kubectl: `kubectl get ${resource} -A`,
  });
  const perNs = (
    collection: SnapshotCollection,
    apiGroup: string,
    resource: string,
    prefix: string,
  ): CollectionSpec[] =>
    [...new Set([ns.kserve, ns.kyverno])].map(n => ({
      collection,
      apiGroup,
      resource,
      path: `${prefix}/namespaces/${n}/${resource}`,
      kubectl: `kubectl get ${resource} -n ${n}`,
    }));
  return [
    { ...core('nodes', 'nodes'), kubectl: 'kubectl get nodes' },
    { ...core('namespaces', 'namespaces'), kubectl: 'kubectl get namespaces' },
    core('services', 'services'),
    {
      collection: 'endpointSlices',
      apiGroup: 'discovery.k8s.io',
      resource: 'endpointslices',
      path: '/apis/discovery.k8s.io/v1/endpointslices',
      kubectl: 'kubectl get endpointslices -A',
    },
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
  ];
}
