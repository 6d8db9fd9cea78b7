import { ClusterSnapshot, TargetReads } from '@serving-health/plugin-serving-health-common';

export interface SnapshotEntry {
  snapshot: ClusterSnapshot;
  /** The controller logs, read at most once per snapshot and shared by every entity of the cluster. */
  controllerLogs(): Promise<NonNullable<TargetReads['controllerLogs']>>;
}

/** Cluster snapshots, cached for a TTL and shared by concurrent requests (single-flight). */
export interface SnapshotCache {
  get(cluster: string, options?: { refresh?: boolean }): Promise<SnapshotEntry>;
}
