/*
 * Where a resource lives and what the API server calls it: scope, namespace, and the resource name admission
 * rules (webhooks, ValidatingPolicy matchConstraints) match on.
 */
import { KubeObject } from '../types';

/** Kinds that have no namespace. Everything else is treated as namespaced. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'CertificateSigningRequest',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'ClusterPolicy',
  'ClusterCleanupPolicy',
  'ClusterPolicyReport',
  'ValidatingPolicy',
  'ClusterServingRuntime',
  'ClusterStorageContainer',
]);

export function isClusterScoped(kind: string | undefined): boolean {
  return kind !== undefined && CLUSTER_SCOPED.has(kind);
}

/** The namespace a resource lands in: its own, else the default; '' for cluster-scoped kinds. */
export function effectiveNamespace(
  resource: KubeObject,
  defaultNamespace = 'default',
): string {
  if (isClusterScoped(resource.kind)) return '';
  const ns = resource.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : defaultNamespace;
}

/**
 * The resource (plural) of a kind, by Kubernetes' own rule for kinds whose discovery is not at hand: lower case,
 * `s` after a consonant and `y` -> `ies`, `es` after s, x, ch, sh; Endpoints stays as it is.
 */
export function resourceOfKind(kind: string): string {
  const k = kind.toLowerCase();
  if (k.endsWith('endpoints')) return k;
  if (
    k.endsWith('s') ||
    k.endsWith('x') ||
    k.endsWith('ch') ||
    k.endsWith('sh')
  )
    return `${k}es`;
  if (k.endsWith('y') && !'aeiou'.includes(k.charAt(k.length - 2)))
    return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}
