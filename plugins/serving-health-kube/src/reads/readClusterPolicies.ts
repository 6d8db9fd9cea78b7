import {
  KubeObject,
  NotEvaluated,
  PolicySource,
  unsupportedPolicy,
} from '@serving-health/plugin-serving-health-policy';
import { listAll } from '../client/listAll';
import { KubernetesClient } from '../client/types';

/**
 * The cluster-wide policies could not be read: a validation that asked for them cannot run.
 *
 * @public
 */
export class ClusterPolicyReadError extends Error {
  name = 'ClusterPolicyReadError';
}

const describe = (r: { status?: number; error: { message: string } }) =>
  `${r.error.message}${r.status ? ` (HTTP ${r.status})` : ''}`;

/**
 * The cluster's Kyverno ClusterPolicies, Policies and ValidatingPolicies, and the ValidatingAdmissionPolicies
 * it enforces (listed as not evaluated). Cluster-wide policies that cannot be read are an error: the step asked
 * for them.
 *
 * @public
 */
export async function readClusterPolicies(client: KubernetesClient): Promise<{
  policies: PolicySource[];
  notEvaluated: NotEvaluated[];
  namespaceLabels: Record<string, Record<string, string>>;
}> {
  const source = `cluster:${client.cluster}`;
  const policies: PolicySource[] = [];
  const notEvaluated: NotEvaluated[] = [];
  for (const [resource, kind] of [
    ['clusterpolicies', 'ClusterPolicy'],
    ['policies', 'Policy'],
  ]) {
    const r = await listAll<KubeObject>(
      client,
      `/apis/kyverno.io/v1/${resource}`,
    );
    if (!r.ok) {
      if (r.status === 404)
        throw new ClusterPolicyReadError(
          `cluster ${client.cluster} has no Kyverno (${resource}.kyverno.io not found)`,
        );
      if (kind === 'Policy') {
        notEvaluated.push({
          feature: 'Policy',
          reason: `could not list namespaced Kyverno Policies on ${
            client.cluster
          }: ${describe(r)}`,
        });
        continue;
      }
      throw new ClusterPolicyReadError(
        `cannot list ${resource}.kyverno.io on cluster ${
          client.cluster
        }: ${describe(r)}`,
      );
    }
    for (const item of r.items) {
      policies.push({
        source,
        policy: { apiVersion: 'kyverno.io/v1', kind, ...item },
      });
    }
  }
  // Kyverno 1.14+ CEL policies are evaluated like the others; Kubernetes' own act only through bindings.
  for (const [apiPath, kind, evaluated] of [
    [
      '/apis/policies.kyverno.io/v1alpha1/validatingpolicies',
      'ValidatingPolicy',
      true,
    ],
    [
      '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies',
      'ValidatingAdmissionPolicy',
      false,
    ],
  ] as const) {
    const r = await listAll<KubeObject>(client, apiPath);
    if (r.ok) {
      for (const item of r.items) {
        const policy = {
          apiVersion: apiPath.split('/').slice(2, 4).join('/'),
          kind,
          ...item,
        };
        if (evaluated) policies.push({ source, policy });
        else notEvaluated.push(unsupportedPolicy(policy, source));
      }
    } else if (r.status !== 404) {
      notEvaluated.push({
        feature: kind,
        reason: `could not list ${kind} objects on ${
          client.cluster
        }: ${describe(r)}`,
      });
    }
  }
  return {
    policies,
    notEvaluated,
    namespaceLabels: await readNamespaceLabels(client),
  };
}

/**
 * Labels of the cluster's namespaces, for namespaceSelectors; empty when they cannot be read.
 *
 * @public
 */
export async function readNamespaceLabels(
  client: KubernetesClient,
): Promise<Record<string, Record<string, string>>> {
  const namespaceLabels: Record<string, Record<string, string>> = {};
  const ns = await listAll<KubeObject>(client, '/api/v1/namespaces');
  if (ns.ok) {
    for (const item of ns.items) {
      namespaceLabels[item.metadata.name] = (item.metadata.labels ??
        {}) as Record<string, string>;
    }
  }
  return namespaceLabels;
}
