/**
 * The browser-safe core of Serving Health, shared by the browser, the backend and the CLI: report types,
 * the failure-mode catalogue, annotations and the one entity predicate, permissions, the checks (pure
 * functions) and the triage engine.
 *
 * @packageDocumentation
 */
export type {
  KubeObject,
  TriageStage,
  CheckStatus,
  FailureModeId,
  ObjectRef,
  Evidence,
  RemediationStep,
  Remediation,
  CheckResult,
  OverallStatus,
  TriageTarget,
  FailureModeSummary,
  TriageReport,
  FleetEntry,
  FleetSummary,
  ClusterKyvernoPolicies,
  TargetBinding,
  ReportSource,
} from './types';
export { TRIAGE_STAGES } from './types';
export type {
  ReadErrorReason,
  ReadError,
  ReadResult,
  SnapshotCollection,
  ClusterVersion,
  ClusterSnapshot,
  ControlPlaneNamespaces,
  TargetReads,
  AdmissionDryRunResult,
} from './snapshot';
export type { FailureModeInfo } from './failureModes';
export { FAILURE_MODES, FAILURE_MODE_IDS } from './failureModes';
export {
  ANNOTATION_INFERENCESERVICE,
  ANNOTATION_ARGOCD_APP,
  ANNOTATION_ARGOCD_APP_NAMESPACE,
  ANNOTATION_ARGOCD_INSTANCE,
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_KUBERNETES_NAMESPACE,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
} from './annotations';
export { isServingHealthEntity, ownerEntityRef } from './entities';
export {
  servingHealthReportReadPermission,
  servingHealthPoliciesReadPermission,
  servingHealthManifestsValidatePermission,
  servingHealthPermissions,
} from './permissions';
export type { TriageCheck, CheckContext, CheckOutcome } from './checks';
export {
  DEFAULT_CHECKS,
  OPTIONAL_CHECKS,
  KSERVE_CONTROLLER_NAME,
} from './checks';
export type {
  EntityLike,
  TargetResolution,
} from './engine/resolveTriageTarget';
export type { BindableEntity, NamespaceOwnership } from './engine/bindTarget';
export { bindTarget } from './engine/bindTarget';
export {
  runTriage,
  orderChecks,
  overallStatus,
  needsControllerLogs,
  resolveTriageTarget,
  applicationDestinationCluster,
  resolveArgocdInstance,
  withApplicationsFrom,
} from './engine';
export type { ArgocdInstance } from './engine';
export type { ReportSummary, ReportTransition } from './history/transitions';
export { summarizeReport, reportTransition } from './history/transitions';
export type {
  HistoryTransition,
  EntityState,
  EntityHistory,
  FleetHistory,
} from './history/types';
export {
  servingHealthClusterChannel,
  servingHealthReportChannel,
} from './history/types';
