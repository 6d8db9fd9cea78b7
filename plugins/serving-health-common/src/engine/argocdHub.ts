import { ANNOTATION_ARGOCD_INSTANCE } from '../annotations';
import { ClusterSnapshot } from '../snapshot';
import { KubeObject, ReportSource, TriageTarget } from '../types';
import { EntityLike } from './resolveTriageTarget';

/**
 * An Argo CD instance and the cluster it runs on (`servingHealth.argocdInstances`).
 *
 * @public
 */
export interface ArgocdInstance {
  /** The value of the entity's `argocd/instance-name` annotation. */
  name: string;
  /** The cluster that runs this Argo CD: its Applications are read there. */
  cluster: string;
  /**
   * Application destinations (`spec.destination.server` or `.name`) mapped to the cluster they are, when
   * their names differ from the clusters' names here.
   */
  destinations?: Record<string, string>;
}

/** Argo CD's names for the cluster it runs in. */
const IN_CLUSTER = new Set(['https://kubernetes.default.svc', 'in-cluster']);

/**
 * The Argo CD instance an entity names, or why it cannot be used; undefined when it names none.
 *
 * @public
 */
export function resolveArgocdInstance(
  entity: EntityLike,
  instances: ArgocdInstance[],
): { ok: true; instance?: ArgocdInstance } | { ok: false; message: string } {
  const name =
    entity.metadata.annotations?.[ANNOTATION_ARGOCD_INSTANCE]?.trim();
  if (!name) return { ok: true };
  const instance = instances.find(i => i.name === name);
  if (!instance) {
    return {
      ok: false,
      message: `Annotation ${ANNOTATION_ARGOCD_INSTANCE} names Argo CD instance '${name}', which servingHealth.argocdInstances does not map to a cluster (known: ${
        instances.map(i => i.name).join(', ') || 'none'
      }).`,
    };
  }
  return { ok: true, instance };
}

/**
 * The cluster an Application deploys to, as one of `clusters`: its destination mapped by the instance's
 * `destinations`, else a destination name equal to a cluster's, else Argo CD's own cluster for `in-cluster`.
 *
 * @public
 */
export function applicationDestinationCluster(
  app: KubeObject,
  instance: ArgocdInstance,
  clusters: string[],
):
  | { ok: true; cluster: string; destination: string }
  | { ok: false; message: string } {
  const dest = app.spec?.destination ?? {};
  const keys = [dest.name, dest.server].filter(
    (k): k is string => typeof k === 'string' && k !== '',
  );
  const appName = `${app.metadata?.namespace}/${app.metadata?.name}`;
  if (!keys.length) {
    return {
      ok: false,
      message: `Application ${appName} has no spec.destination.server or .name.`,
    };
  }
  for (const key of keys) {
    const mapped = instance.destinations?.[key];
    if (mapped) {
      if (!clusters.includes(mapped)) {
        return {
          ok: false,
          message: `servingHealth.argocdInstances '${instance.name}' maps destination ${key} to cluster '${mapped}', which is not configured.`,
        };
      }
      return { ok: true, cluster: mapped, destination: key };
    }
  }
  for (const key of keys) {
    if (clusters.includes(key))
      return { ok: true, cluster: key, destination: key };
    if (IN_CLUSTER.has(key))
      return { ok: true, cluster: instance.cluster, destination: key };
  }
  return {
    ok: false,
    message: `Application ${appName} deploys to ${keys.join(
      ' / ',
    )}, which is none of the configured clusters; map it under servingHealth.argocdInstances[${
      instance.name
    }].destinations.`,
  };
}

/**
 * The workload cluster's snapshot with the Argo CD Applications of the hub: what the checks read is one
 * snapshot, and `sources` says which facts came from where.
 *
 * @public
 */
export function withApplicationsFrom(
  workload: ClusterSnapshot,
  hub: ClusterSnapshot,
): ClusterSnapshot {
  if (hub.cluster === workload.cluster) return workload;
  return {
    ...workload,
    collections: {
      ...workload.collections,
      applications: hub.collections.applications,
    },
    sources: { ...workload.sources, applications: hub.cluster },
    requestCount: workload.requestCount + hub.requestCount,
  };
}

/**
 * The facts of a report and where each was read, when not all on one cluster.
 *
 * @public
 */
export function reportSources(
  target: TriageTarget,
  snapshot: ClusterSnapshot,
): ReportSource[] | undefined {
  const hub = snapshot.sources?.applications;
  if (!hub) return undefined;
  const instance = target.argocd
    ? ` (Argo CD instance ${target.argocd.instance})`
    : '';
  return [
    {
      facts: `Argo CD Applications: sync, health, deployed resources${instance}`,
      cluster: hub,
    },
    {
      facts:
        'InferenceServices, KServe, webhooks, policies, workloads, controller logs',
      cluster: snapshot.cluster,
    },
  ];
}
