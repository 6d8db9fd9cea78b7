import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ClusterSnapshot,
  TargetReads,
  TriageReport,
} from '@serving-health/plugin-serving-health-common';
import { KubernetesClient } from '@serving-health/plugin-serving-health-kube';
import { KubernetesCallerAuth } from '../clusters/types';

/**
 * A cluster snapshot and what is read once per snapshot.
 *
 * @public
 */
export interface SnapshotEntry {
  snapshot: ClusterSnapshot;
  /** The client that read the snapshot, for the per-target reads made with the same identity. */
  client: KubernetesClient;
  /** The controller logs, read at most once per snapshot and shared by every entity it serves. */
  controllerLogs(): Promise<NonNullable<TargetReads['controllerLogs']>>;
  /** How much longer this snapshot is served; a report made from it must not be kept longer. */
  expiresInMs(): number;
  /** Changes exactly when the snapshot's objects do (watched snapshots); reports are keyed by it. */
  version?: string;
}

/**
 * Cluster snapshots for the triage. The default lists every collection once per TTL, single-flight.
 * A snapshot read with a caller's own credentials (a `user` cluster) is served to that caller only.
 *
 * @public
 */
export interface ServingHealthSnapshotSource {
  get(
    cluster: string,
    options?: {
      refresh?: boolean;
      caller?: BackstageCredentials;
      /** The caller's own cluster credentials, for `user` clusters. */
      callerAuth?: KubernetesCallerAuth;
    },
  ): Promise<SnapshotEntry>;
  /**
   * The version `get` would serve now, without reading the cluster; undefined when not known (not watched,
   * or not yet). A report stored for another version is not served.
   */
  version?(
    cluster: string,
    options?: {
      caller?: BackstageCredentials;
      callerAuth?: KubernetesCallerAuth;
    },
  ): Promise<string | undefined>;
}

/**
 * Finished reports. `scope` is `shared` for reports read with server credentials, else the caller's
 * principal, so a report made with one user's credentials is never served to another; with watched snapshots
 * it ends in `@<snapshot version>`, so a report is only served for the cluster state it was made from.
 *
 * @public
 */
export interface ServingHealthReportStore {
  get(key: { entityRef: string; scope: string }): Promise<TriageReport | undefined>;
  set(
    key: { entityRef: string; scope: string },
    report: TriageReport,
    options: { ttlMs: number },
  ): Promise<void>;
}
