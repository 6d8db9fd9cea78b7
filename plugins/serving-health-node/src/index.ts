/**
 * The Backstage seams of Serving Health: extension points with defaults for checks, the cluster supplier,
 * the snapshot source and the report store.
 *
 * @packageDocumentation
 */
export * from './extensions';
export type {
  ServingHealthCluster,
  ServingHealthClusterClients,
  ServingHealthClusterSupplier,
} from './clusters/types';
export { createConfigClusterSupplier } from './clusters/createConfigClusterSupplier';
export { readClusterConnections } from './clusters/readClusterConnections';
export type {
  SnapshotEntry,
  ServingHealthReportStore,
  ServingHealthSnapshotSource,
} from './seams/types';
