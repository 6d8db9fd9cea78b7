import { KubeObject } from './types';

/**
 * Why a read did not return objects.
 *
 * @public
 */
export type ReadErrorReason =
  | 'forbidden'
  | 'unauthorized'
  | 'timeout'
  | 'unreachable'
  | 'tls'
  | 'not-installed'
  | 'not-found'
  /** 429, or 503 with Retry-After: still refused after the one wait its Retry-After asked for (if it fit the timeout). */
  | 'throttled'
  | 'failed';

/** @public */
export interface ReadError {
  reason: ReadErrorReason;
  /** What was asked, as a kubectl user would say it: `list pods -n kserve`. */
  request: string;
  message: string;
  /** For `forbidden`: the ClusterRole rule that would allow the read. */
  missingRule?: { apiGroup: string; resource: string; verb: string };
  httpStatus?: number;
}

/** @public */
export type ReadResult<T = KubeObject> =
  | { ok: true; items: T[] }
  | { ok: false; error: ReadError };

/**
 * The cluster-wide collections read once per cluster per TTL.
 *
 * @public
 */
export type SnapshotCollection =
  | 'nodes'
  | 'namespaces'
  | 'customResourceDefinitions'
  | 'validatingWebhookConfigurations'
  | 'mutatingWebhookConfigurations'
  | 'services'
  | 'endpointSlices'
  | 'controlPlaneDeployments'
  | 'controlPlanePods'
  | 'controlPlaneEvents'
  | 'applications'
  | 'inferenceServices'
  | 'clusterPolicies'
  /** Kyverno's namespaced Policies (kyverno.io/v1 Policy). */
  | 'kyvernoPolicies'
  /** Kyverno 1.14+ CEL ValidatingPolicies (policies.kyverno.io). */
  | 'validatingPolicies'
  /** wgpolicyk8s.io/v1alpha2 PolicyReports: Kyverno's own verdicts on live objects. */
  | 'policyReports';

/** @public */
export interface ClusterVersion {
  gitVersion: string;
  major?: string;
  minor?: string;
}

/** @public */
export interface ClusterSnapshot {
  cluster: string;
  /** ISO time the round of reads started. */
  readAt: string;
  version:
    | { ok: true; value: ClusterVersion }
    | { ok: false; error: ReadError };
  collections: Partial<Record<SnapshotCollection, ReadResult>>;
  /** Namespaces the control-plane collections were read from. */
  namespaces: ControlPlaneNamespaces;
  /** How many API requests this snapshot cost. */
  requestCount: number;
  /** Collections read on another cluster than `cluster` (Argo CD Applications on a hub). */
  sources?: Partial<Record<SnapshotCollection, string>>;
}

/** @public */
export interface ControlPlaneNamespaces {
  kserve: string;
  kyverno: string;
}

/**
 * Reads made for one target only, when a check needs them.
 *
 * @public
 */
export interface TargetReads {
  /** Last lines of the KServe controller's `manager` container. */
  controllerLogs?: ReadResult<string> & { pod?: string; container?: string };
  /** The API server's answer to a server-side dry-run update of the InferenceService (opt-in). */
  admissionDryRun?: AdmissionDryRunResult;
}

/** @public */
export type AdmissionDryRunResult =
  | { outcome: 'admitted'; object: { namespace: string; name: string } }
  | {
      outcome: 'denied';
      object: { namespace: string; name: string };
      httpStatus?: number;
      /** The API server's message, verbatim. */
      message: string;
    }
  | { outcome: 'not-run'; reason: string; error?: ReadError };
