import type { KubeObject } from '@serving-health/plugin-serving-health-policy';

export type { KubeObject };

/**
 * The six stages of the manual triage, in order.
 *
 * @public
 */
export type TriageStage =
  | 'environment'
  | 'control-plane'
  | 'logs'
  | 'webhooks'
  | 'stale-webhooks'
  | 'app';

/** @public */
export const TRIAGE_STAGES: ReadonlyArray<{
  id: TriageStage;
  order: number;
  title: string;
}> = [
  { id: 'environment', order: 1, title: 'Environment gate' },
  { id: 'control-plane', order: 2, title: 'Control-plane health' },
  { id: 'logs', order: 3, title: 'Controller logs' },
  { id: 'webhooks', order: 4, title: 'Webhook availability' },
  { id: 'stale-webhooks', order: 5, title: 'Stale webhooks' },
  { id: 'app', order: 6, title: 'Application sync' },
];

/** @public */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skipped' | 'error';

/**
 * Stable slugs of the failure modes the triage names.
 *
 * @public
 */
export type FailureModeId =
  | 'webhook-no-endpoints'
  | 'crd-missing'
  | 'label-policy-mismatch'
  | 'policy-engine-not-ready'
  | 'stale-webhook'
  | 'webhook-unavailable';

/** @public */
export interface ObjectRef {
  apiVersion?: string;
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * What a check read: the object and the exact fields or lines.
 *
 * @public
 */
export interface Evidence {
  object?: ObjectRef;
  /** A short label for what this evidence shows. */
  label: string;
  /** Field path to value as read, e.g. `status.conditions[Ready].status` to `False`. */
  fields?: Record<string, string>;
  /** Verbatim lines (log lines are redacted). */
  lines?: string[];
}

/** @public */
export interface RemediationStep {
  text: string;
  command?: string;
  patch?: string;
}

/** @public */
export interface Remediation {
  why: string;
  steps: RemediationStep[];
}

/** @public */
export interface CheckResult {
  id: string;
  stage: TriageStage;
  title: string;
  status: CheckStatus;
  summary: string;
  evidence: Evidence[];
  failureMode?: FailureModeId;
  remediation?: Remediation;
  /** The id of the check whose result made this one skip. */
  blockedBy?: string;
}

/** @public */
export type OverallStatus = 'healthy' | 'degraded' | 'failing' | 'unknown';

/**
 * Where an entity's model endpoint lives.
 *
 * @public
 */
export interface TriageTarget {
  cluster: string;
  /** The InferenceService, when the entity names one (directly or through kubernetes-id). */
  inferenceService?: { namespace: string; name: string };
  /** `backstage.io/kubernetes-id` selector, when that is how the entity points at its objects. */
  kubernetesId?: string;
  argoApp?: { namespace: string; name: string };
  /**
   * The Argo CD instance whose cluster holds the Application (`argocd/instance-name`, hub and spoke); absent, the
   * Application is read on `cluster`.
   */
  argocd?: { instance: string; cluster: string };
}

/** @public */
export interface FailureModeSummary {
  id: FailureModeId;
  title: string;
  /** Ids of the checks that saw it. */
  seenBy: string[];
}

/** @public */
/**
 * Whether the objects an entity's annotations point at are the entity's own (see `bindTarget`).
 *
 * @public
 */
export type TargetBinding =
  | { bound: true; by: 'label' | 'namespace-owner'; detail: string }
  | { bound: false; detail: string };

/** @public */
export interface TriageReport {
  entityRef: string;
  target: TriageTarget;
  overall: OverallStatus;
  /** The first stage with a failing check; absent that, with an erroring one; absent that, with a warning. */
  failingStage?: TriageStage;
  failureModes: FailureModeSummary[];
  checks: CheckResult[];
  /** ISO time the cluster snapshot was read. */
  snapshotTime?: string;
  /** ISO time the report was made. */
  generatedAt: string;
  /** Whether the target is the entity's own; when not, checks that read its objects are withheld. */
  binding?: TargetBinding;
  /** Which cluster each kind of fact was read from, when not all from `target.cluster` (hub and spoke). */
  sources?: ReportSource[];
}

/**
 * One kind of fact and the cluster it was read from.
 *
 * @public
 */
export interface ReportSource {
  facts: string;
  cluster: string;
}

/**
 * One row of the fleet view.
 *
 * @public
 */
export interface FleetEntry {
  entityRef: string;
  title?: string;
  cluster?: string;
  /** The entity's `spec.owner` as an entity ref (`group:default/team-ml`); absent when it has none. */
  owner?: string;
  overall: OverallStatus;
  failingStage?: TriageStage;
  failureModes: FailureModeId[];
  /** Set when the entity could not be triaged at all (e.g. malformed annotation). */
  error?: string;
}

/** @public */
export interface FleetSummary {
  entries: FleetEntry[];
  generatedAt: string;
}

/**
 * The Kyverno policies of one cluster that act on a namespace, as the backend gives them to the browser: only
 * the fields the evaluator reads, redacted.
 *
 * @public
 */
export interface ClusterKyvernoPolicies {
  /** The configured cluster the policies were read from. */
  cluster: string;
  /** The namespace whose namespaced Policies are included; absent: ClusterPolicies only. */
  namespace?: string;
  /** kyverno.io/v1 ClusterPolicies, then the namespace's Policies. */
  policies: KubeObject[];
  /** The namespace's labels, for namespaceSelectors and failure-action overrides; absent when unknown. */
  namespaceLabels?: Record<string, string>;
  /** What could not be read (namespaced Policies, namespace labels): the browser lists it, never passes it. */
  notEvaluated: Array<{ feature: string; reason: string }>;
}
