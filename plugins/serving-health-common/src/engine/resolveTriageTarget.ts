import {
  ANNOTATION_ARGOCD_APP,
  ANNOTATION_ARGOCD_APP_NAMESPACE,
  ANNOTATION_INFERENCESERVICE,
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_NAMESPACE,
} from '../annotations';
import { TriageTarget } from '../types';

/**
 * The part of a catalog entity the triage reads.
 *
 * @public
 */
export interface EntityLike {
  metadata: { annotations?: Record<string, string> };
}

/** @public */
export type TargetResolution =
  | { ok: true; target: TriageTarget }
  | { ok: false; annotation?: string; message: string };

// DNS-1123 subdomain for names, label for namespaces: what the API server accepts.
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Annotation values are echoed in errors; a pathological one must not be echoed whole. */
function quote(value: string): string {
  return value.length > 100
    ? `'${value.slice(0, 100)}…' (${value.length} characters)`
    : `'${value}'`;
}

function validName(s: string) {
  return s.length <= 253 && DNS_SUBDOMAIN.test(s);
}
function validNamespace(s: string) {
  return s.length <= 63 && DNS_LABEL.test(s);
}

/**
 * Reads the entity's annotations into a target, or says which annotation is malformed.
 *
 * @public
 */
export function resolveTriageTarget(
  entity: EntityLike,
  options: {
    clusters: string[];
    /** Where the Argo CD Application is read, when on another cluster (hub and spoke). */
    argocd?: TriageTarget['argocd'];
    /** The cluster the Application deploys to: the workload cluster when the entity names none. */
    destinationCluster?: string;
  },
): TargetResolution {
  const a = entity.metadata.annotations ?? {};
  const isvcRaw = a[ANNOTATION_INFERENCESERVICE]?.trim();
  const kubernetesId = a[ANNOTATION_KUBERNETES_ID]?.trim();
  if (!isvcRaw && !kubernetesId) {
    return {
      ok: false,
      message: `The entity has neither a ${ANNOTATION_INFERENCESERVICE} nor a ${ANNOTATION_KUBERNETES_ID} annotation.`,
    };
  }

  const defaultNamespace =
    a[ANNOTATION_KUBERNETES_NAMESPACE]?.trim() || 'default';
  let inferenceService: TriageTarget['inferenceService'];
  if (isvcRaw) {
    const parts = isvcRaw.split('/');
    const [namespace, name] =
      parts.length === 1 ? [defaultNamespace, parts[0]] : parts;
    if (parts.length === 1 && !validNamespace(defaultNamespace)) {
      return {
        ok: false,
        annotation: ANNOTATION_KUBERNETES_NAMESPACE,
        message: `Annotation ${ANNOTATION_KUBERNETES_NAMESPACE} must be a DNS-1123 label (the namespace of ${quote(
          parts[0],
        )}); got ${quote(defaultNamespace)}.`,
      };
    }
    if (parts.length > 2 || !validNamespace(namespace) || !validName(name)) {
      return {
        ok: false,
        annotation: ANNOTATION_INFERENCESERVICE,
        message: `Annotation ${ANNOTATION_INFERENCESERVICE} must be '<namespace>/<name>' or '<name>' with DNS-1123 names; got ${quote(
          isvcRaw,
        )}.`,
      };
    }
    inferenceService = { namespace, name };
  }
  if (kubernetesId !== undefined && !inferenceService) {
    if (
      !kubernetesId ||
      kubernetesId.length > 63 ||
      !LABEL_VALUE.test(kubernetesId)
    ) {
      return {
        ok: false,
        annotation: ANNOTATION_KUBERNETES_ID,
        message: `Annotation ${ANNOTATION_KUBERNETES_ID} must be a valid label value; got ${quote(
          kubernetesId,
        )}.`,
      };
    }
  }

  let argoApp: TriageTarget['argoApp'];
  const appName = a[ANNOTATION_ARGOCD_APP]?.trim();
  if (appName !== undefined) {
    const appNamespace = a[ANNOTATION_ARGOCD_APP_NAMESPACE]?.trim() || 'argocd';
    if (!validName(appName) || !validNamespace(appNamespace)) {
      return {
        ok: false,
        annotation: ANNOTATION_ARGOCD_APP,
        message: `Annotations ${ANNOTATION_ARGOCD_APP} / ${ANNOTATION_ARGOCD_APP_NAMESPACE} must be DNS-1123 names; got ${quote(
          `${appNamespace}/${appName}`,
        )}.`,
      };
    }
    argoApp = { namespace: appNamespace, name: appName };
  }

  const clusterRaw = a[ANNOTATION_KUBERNETES_CLUSTER]?.trim();
  let cluster: string;
  if (clusterRaw) {
    if (!options.clusters.includes(clusterRaw)) {
      return {
        ok: false,
        annotation: ANNOTATION_KUBERNETES_CLUSTER,
        message: `Annotation ${ANNOTATION_KUBERNETES_CLUSTER} names cluster ${quote(
          clusterRaw,
        )}, which is not configured (known: ${
          options.clusters.join(', ') || 'none'
        }).`,
      };
    }
    cluster = clusterRaw;
  } else if (options.destinationCluster) {
    cluster = options.destinationCluster;
  } else if (options.clusters.length === 1) {
    cluster = options.clusters[0];
  } else {
    return {
      ok: false,
      annotation: ANNOTATION_KUBERNETES_CLUSTER,
      message: `Annotation ${ANNOTATION_KUBERNETES_CLUSTER} is required when ${
        options.clusters.length
      } clusters are configured (known: ${
        options.clusters.join(', ') || 'none'
      }).`,
    };
  }

  return {
    ok: true,
    target: {
      cluster,
      inferenceService,
      kubernetesId: inferenceService ? undefined : kubernetesId,
      argoApp,
      ...(options.argocd && options.argocd.cluster !== cluster
        ? { argocd: options.argocd }
        : {}),
    },
  };
}
