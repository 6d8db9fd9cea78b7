/**
 * A Kubernetes object as read from the API or a manifest, kept loosely typed on purpose.
 *
 * @public
 */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
    resourceVersion?: string;
    [key: string]: unknown;
  };
  spec?: any;
  status?: any;
  [key: string]: any;
}

/**
 * Rule ids of the pre-merge validation. Kyverno rules are `kyverno:<policy>/<rule>`.
 *
 * @public
 */
export type ValidationRuleId =
  | 'label-key-syntax'
  | 'label-value-syntax'
  | 'label-required'
  | 'label-key-style'
  | 'label-near-miss'
  | 'kustomize-patch-delete'
  | 'argocd-sync-order'
  | 'helm-values-path'
  | 'inferenceservice-resources'
  | 'inferenceservice-probes'
  | `kyverno:${string}/${string}`;

/**
 * `error`: the cluster (or the convention) rejects it. `warning`: reported and counted, but the cluster would
 * admit it (a Kyverno policy in Audit mode, a key-style convention).
 *
 * @public
 */
export type ViolationSeverity = 'error' | 'warning';

/** @public */
export interface ResourceRef {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
}

/** @public */
export interface Violation {
  file: string;
  /** 1-based line of the offending field when known, else of the document. */
  line?: number;
  resource: ResourceRef;
  rule: ValidationRuleId;
  severity: ViolationSeverity;
  message: string;
  /** JSON-pointer-like path in Kyverno's style, e.g. `/metadata/labels/cost-center/`. */
  path: string;
  /** A suggested fix, when one is obvious (the conventional key for a near miss). */
  hint?: string;
}

/**
 * What a rule says about one object, before the caller places it in a file.
 *
 * @public
 */
export type ObjectFinding = Pick<
  Violation,
  'rule' | 'severity' | 'message' | 'path' | 'hint'
>;

/**
 * A policy rule (or a whole policy) this evaluator could not decide. Never counted as a pass.
 *
 * @public
 */
export interface NotEvaluated {
  /** The policy; absent for entries about a document (not a Kubernetes object). */
  policy?: string;
  rule?: string;
  /** What needs the cluster or the requester, e.g. `context.apiCall`, `userInfo`, `validate.cel.paramKind`, `match.subjects`. */
  feature: string;
  reason: string;
  /** Set when the entry concerns one resource (the rule matched it or might have). */
  file?: string;
  resource?: ResourceRef;
}

/**
 * A file that could not be read as YAML, with the position the parser reported.
 *
 * @public
 */
export interface ManifestError {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

/** @public */
export interface ValidationReport {
  violations: Violation[];
  notEvaluated: NotEvaluated[];
  /** Malformed input. When non-empty the report is incomplete: callers treat it as a runtime error. */
  errors: ManifestError[];
  /** How many Kubernetes objects and policies were looked at. */
  stats: { files: number; resources: number; policies: number };
}
