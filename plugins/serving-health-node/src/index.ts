/**
 * Node.js side of Serving Health: the cluster client, snapshots and the
 * extension point for extra checks.
 *
 * @packageDocumentation
 */
export * from './client/types';
export { createKubernetesClient, DEFAULT_REQUEST_TIMEOUT_MS } from './client/createKubernetesClient';
export { readClusterConnections, loadKubeconfig } from './client/clusterConnections';
export { createClusterSnapshotLoader } from './snapshot/createClusterSnapshotLoader';
export type { ClusterSnapshotLoader } from './snapshot/createClusterSnapshotLoader';
export { readControllerLogs, DEFAULT_LOG_TAIL_LINES } from './triage/readControllerLogs';
export { triageTarget } from './triage/triageTarget';
export { readAdmissionDryRun } from './triage/readAdmissionDryRun';
export * from './extensions';
export {
  readClusterPolicies,
  readNamespaceLabels,
  ClusterPolicyReadError,
} from './policies/readClusterPolicies';
