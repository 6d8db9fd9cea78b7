/**
 * The Backstage seams of Serving Health: extension points with defaults for checks, the cluster supplier,
 * the snapshot source and the report store.
 *
 * @packageDocumentation
 */
export * from './extensions';
export type {
  KubernetesCallerAuth,
  ServingHealthCluster,
  ServingHealthClusterClients,
  ServingHealthClusterSupplier,
} from './clusters/types';
export {
  createConfigClusterSupplier,
  mergeClusterSuppliers,
} from './clusters/createConfigClusterSupplier';
export {
  createKubernetesPluginClusterSupplier,
  callerAuthHeader,
  KUBERNETES_CLUSTER_HEADER,
} from './clusters/createKubernetesPluginClusterSupplier';
export { readClusterConnections } from './clusters/readClusterConnections';
export type {
  SnapshotEntry,
  ServingHealthReportStore,
  ServingHealthSnapshotSource,
} from './seams/types';
