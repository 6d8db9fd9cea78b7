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
  KubeWatch,
  KubeWatchRequest,
  WatchEvent,
  WatchingKubernetesClient,
} from './client/types';
export {
  createKubernetesClient,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from './client/createKubernetesClient';
export type { ListOptions, ListResponse } from './client/listAll';
export { DEFAULT_LIST_PAGE_SIZE, listAll } from './client/listAll';
export { staticCredentials } from './credentials/staticCredentials';
export { proxyFromEnvironment } from './client/proxyFromEnvironment';
export {
  defaultKubeconfigFiles,
  loadKubeconfig,
  KubeconfigError,
} from './kubeconfig/loadKubeconfig';
export type { CollectionSpec } from './snapshot/collections';
export {
  snapshotCollections,
  webhookServiceNamespaces,
} from './snapshot/collections';
export type { ClusterSnapshotLoader } from './snapshot/createClusterSnapshotLoader';
export { createClusterSnapshotLoader } from './snapshot/createClusterSnapshotLoader';
export type {
  CollectionFreshness,
  WatchedSnapshot,
  WatchedSnapshotOptions,
  WatchedSnapshotStats,
} from './snapshot/createWatchedSnapshot';
export { createWatchedSnapshot } from './snapshot/createWatchedSnapshot';
export { slimObject } from './snapshot/slimObject';
export type { Projection } from './snapshot/projection';
export { SNAPSHOT_PROJECTIONS, projectObject } from './snapshot/projection';
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
export { createApiDiscovery, dryRunObject, dryRunOnly } from './reads/dryRun';
export { readAdmissionDryRun } from './reads/readAdmissionDryRun';
export { triageTarget } from './triage/triageTarget';
export { redactDeep, redactLog, redactLogLine, redactText } from './redact';
export type { RenderKustomizationsOptions } from './render/renderKustomizations';
export {
  DEFAULT_KUSTOMIZE_TIMEOUT_MS,
  KustomizeRenderError,
  renderKustomizations,
} from './render/renderKustomizations';
export { isChartArchive, readChartArchive } from './render/readChartArchive';
