import { wildcardMatch } from '@serving-health/plugin-serving-health-policy';
import { ANNOTATION_KUBERNETES_ID } from '../annotations';
import { ownerEntityRef } from '../entities';
import { ClusterSnapshot } from '../snapshot';
import { TargetBinding, TriageTarget } from '../types';

/**
 * A namespace of a cluster and the owners whose entities may be shown what is in it.
 *
 * @public
 */
export interface NamespaceOwnership {
  /** Cluster name; every cluster when absent. */
  cluster?: string;
  /** Namespace; `*` and `?` match as Kyverno wildcards (`team-a-*`). */
  namespace: string;
  /** Entity refs of the owners (`group:default/team-ml`), as in an entity's `spec.owner`. */
  owners: string[];
}

/**
 * The entity fields binding reads.
 *
 * @public
 */
export interface BindableEntity {
  kind?: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: unknown;
}

// Refs compare case-insensitively, as the catalog compares them; a malformed owner owns nothing.
const ownerRef = (owner: unknown) => ownerEntityRef(owner)?.toLocaleLowerCase('en-US');

/**
 * Whether what the entity's annotations point at is the entity's own. An annotation is written by whoever can
 * edit the entity; read through the plugin's service account, it must not show them another team's namespace.
 * Bound when the InferenceService names the entity back (`backstage.io/kubernetes-id`), or when configuration
 * gives the namespace to the entity's owner. An Argo CD Application must deploy into that namespace.
 *
 * @public
 */
export function bindTarget(options: {
  entity: BindableEntity;
  target: TriageTarget;
  snapshot: ClusterSnapshot;
  namespaceOwners: NamespaceOwnership[];
}): TargetBinding {
  const { entity, target, snapshot } = options;
  const id =
    entity.metadata.annotations?.[ANNOTATION_KUBERNETES_ID] ?? entity.metadata.name;
  const namespace = target.inferenceService?.namespace;
  const apps = snapshot.collections.applications;
  const app =
    target.argoApp && apps?.ok
      ? apps.items.find(
          a =>
            a.metadata.name === target.argoApp!.name &&
            a.metadata.namespace === target.argoApp!.namespace,
        )
      : undefined;
  const appDestination: string | undefined = app?.spec?.destination?.namespace;
  if (app && namespace && appDestination && appDestination !== namespace) {
    return {
      bound: false,
      detail: `Application ${target.argoApp!.namespace}/${target.argoApp!.name} deploys to namespace ${appDestination}, not to ${namespace}, the namespace of this entity's InferenceService.`,
    };
  }
  // Selected by label: the objects name the entity themselves.
  if (target.kubernetesId) {
    return { bound: true, by: 'label', detail: `InferenceServices labelled ${ANNOTATION_KUBERNETES_ID}=${target.kubernetesId}.` };
  }
  if (!namespace) return { bound: false, detail: 'The entity names no InferenceService.' };
  const isvcs = snapshot.collections.inferenceServices;
  const isvc = isvcs?.ok
    ? isvcs.items.find(
        i =>
          i.metadata.namespace === namespace &&
          i.metadata.name === target.inferenceService!.name,
      )
    : undefined;
  if (isvc && isvc.metadata.labels?.[ANNOTATION_KUBERNETES_ID] === id) {
    return {
      bound: true,
      by: 'label',
      detail: `InferenceService ${namespace}/${isvc.metadata.name} carries ${ANNOTATION_KUBERNETES_ID}=${id}.`,
    };
  }
  const owner = ownerRef((entity.spec as { owner?: unknown } | undefined)?.owner);
  const grant = options.namespaceOwners.find(
    o =>
      (o.cluster === undefined || o.cluster === target.cluster) &&
      wildcardMatch(o.namespace, namespace) &&
      !!owner &&
      o.owners.some(x => ownerRef(x) === owner),
  );
  if (grant) {
    return {
      bound: true,
      by: 'namespace-owner',
      detail: `Namespace ${namespace} on ${target.cluster} belongs to ${owner} (servingHealth.namespaceOwners).`,
    };
  }
  return {
    bound: false,
    detail: `Nothing ties namespace ${namespace} on ${target.cluster} to this entity: the InferenceService does not carry ${ANNOTATION_KUBERNETES_ID}=${id}${
      isvc ? '' : ' (it does not exist)'
    }, and servingHealth.namespaceOwners does not give the namespace to ${owner ?? 'its owner'}.`,
  };
}
