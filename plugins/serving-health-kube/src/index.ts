/**
 * Kubernetes I/O of Serving Health, without Backstage: a bounded transport with classified errors and
 * credentials asked per request, kubeconfig contexts, the one list of snapshot collections and their loader,
 * the controller-log, policy and admission dry-run reads, and redaction of what is read. Used by the backend,
 * the scaffolder module and the CLI alike.
 *
 * @packageDocumentation
 */
export type {
  ClusterConnection,
  CredentialProvider,
  KubeCredentials,
  KubeRequest,
  KubeResponse,
  KubernetesClient,
} from './client/types';
export {
  createKubernetesClient,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from './client/createKubernetesClient';
export { staticCredentials } from './credentials/staticCredentials';
export { loadKubeconfig, KubeconfigError } from './kubeconfig/loadKubeconfig';
export type { CollectionSpec } from './snapshot/collections';
export { snapshotCollections } from './snapshot/collections';
export type { ClusterSnapshotLoader } from './snapshot/createClusterSnapshotLoader';
export { createClusterSnapshotLoader } from './snapshot/createClusterSnapshotLoader';
export {
  readControllerLogs,
  DEFAULT_LOG_TAIL_LINES,
} from './reads/readControllerLogs';
export {
  readClusterPolicies,
  readNamespaceLabels,
  ClusterPolicyReadError,
} from './reads/readClusterPolicies';
export type { ApiDiscovery, ApiResource, DryRunAnswer } from './reads/dryRun';
export { createApiDiscovery, dryRunObject } from './reads/dryRun';
export { readAdmissionDryRun } from './reads/readAdmissionDryRun';
export { triageTarget } from './triage/triageTarget';
export { redactLog, redactLogLine } from './redact';
