/**
 * Cluster snapshots as plain objects, for tests elsewhere that need reports the engine really produces
 * (run them through `runTriage`) instead of hand-written ones.
 *
 * @packageDocumentation
 */
export {
  CLUSTER,
  ISVC_NAME,
  ISVC_NAMESPACE,
  ARGO_APP,
  KSERVE_POD,
  defaultTarget,
  healthySnapshot,
  withKServeSidecarPullForbidden,
  withCostCenterNearMiss,
  withPolicyValidate,
  withStaleIngressNginxWebhook,
  withoutInferenceServiceCrd,
  withKyvernoAdmissionNotReady,
  withClusterUnreachable,
} from './checks/__fixtures__/snapshots';
export type { TriageTarget } from './types';
export type {
  ClusterSnapshot,
  ClusterVersion,
  ControlPlaneNamespaces,
  ReadError,
  ReadErrorReason,
  ReadResult,
  SnapshotCollection,
} from './snapshot';
