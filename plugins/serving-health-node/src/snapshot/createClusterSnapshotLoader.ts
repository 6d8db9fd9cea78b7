import {
  ClusterSnapshot,
  ControlPlaneNamespaces,
  KubeObject,
  ReadResult,
  SnapshotCollection,
} from '@serving-health/plugin-serving-health-common';
import { KubernetesClient } from '../client/types';

interface CollectionSpec {
  collection: SnapshotCollection;
  apiGroup: string;
  resource: string;
  path: string;
  /** As a kubectl user would type the read. */
  kubectl: string;
  /** A custom resource: 404 means its CRD is not installed. */
  custom?: boolean;
}

function specs(ns: ControlPlaneNamespaces): CollectionSpec[] {
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

function slim(item: KubeObject): KubeObject {
  // managedFields are most of an object's bytes and no check reads them.
  if (item?.metadata) delete (item.metadata as any).managedFields;
  return item;
}

async function readCollection(
  client: KubernetesClient,
  spec: CollectionSpec,
): Promise<ReadResult> {
  const res = await client.request<{ items?: KubeObject[] }>({ path: spec.path });
  if (res.ok) return { ok: true, items: (res.body.items ?? []).map(slim) };
  const error = { ...res.error, request: spec.kubectl };
  if (error.reason === 'not-found' && spec.custom) {
    return {
      ok: false,
      error: {
        ...error,
        reason: 'not-installed',
        message: `the server has no resource ${spec.resource}.${spec.apiGroup} (its CRD is not installed)`,
      },
    };
  }
  if (error.reason === 'forbidden') {
    error.missingRule = {
      apiGroup: spec.apiGroup,
      resource: spec.resource,
      verb: 'list',
    };
  }
  return { ok: false, error };
}

function merge(a: ReadResult | undefined, b: ReadResult): ReadResult {
  if (!a) return b;
  if (!a.ok) return a;
  if (!b.ok) return b;
  return { ok: true, items: [...a.items, ...b.items] };
}

export interface ClusterSnapshotLoader {
  load(): Promise<ClusterSnapshot>;
}

/**
 * Reads everything cluster-wide that the checks need in one parallel round of
 * LIST calls. Every entity on the cluster shares the result.
 */
export function createClusterSnapshotLoader(options: {
  client: KubernetesClient;
  namespaces: ControlPlaneNamespaces;
}): ClusterSnapshotLoader {
  const { client, namespaces } = options;
  return {
    async load() {
      const readAt = new Date().toISOString();
      const before = client.requestCount();
      const version = await client.request<any>({ path: '/version' });
      const snapshot: ClusterSnapshot = {
        cluster: client.cluster,
        readAt,
        version: version.ok
          ? { ok: true, value: version.body }
          : { ok: false, error: { ...version.error, request: 'kubectl version' } },
        collections: {},
        namespaces,
        requestCount: 0,
      };
      // An unreachable cluster or a failed TLS handshake fails every read alike:
      // stop after the first call instead of waiting for a dozen timeouts.
      if (
        !version.ok &&
        ['unreachable', 'timeout', 'tls', 'unauthorized'].includes(
          version.error.reason,
        )
      ) {
        snapshot.requestCount = client.requestCount() - before;
        return snapshot;
      }
      const all = specs(namespaces);
      const results = await Promise.all(all.map(s => readCollection(client, s)));
      all.forEach((s, i) => {
        snapshot.collections[s.collection] = merge(
          snapshot.collections[s.collection],
          results[i],
        );
      });
      snapshot.requestCount = client.requestCount() - before;
      return snapshot;
    },
  };
}
