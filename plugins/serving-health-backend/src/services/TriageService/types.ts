import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  FleetSummary,
  TriageReport,
} from '@serving-health/plugin-serving-health-common';
import { KubernetesCallerAuth } from '@serving-health/plugin-serving-health-node';

export interface TriageCallOptions {
  credentials: BackstageCredentials;
  refresh?: boolean;
  /** The caller's own cluster credentials (Kubernetes plugin headers), for clusters read as the user. */
  callerAuth?: KubernetesCallerAuth;
}

export interface ClusterSummary {
  name: string;
  authScope: 'server' | 'user';
  authProvider?: string;
  oidcTokenProvider?: string;
  /** The request header that carries the user's token for this cluster. */
  header?: string;
}

export interface TriageService {
  /** Throws NotFoundError (unknown entity), NotAllowedError (no permission), InputError (malformed annotation). */
  report(entityRef: string, options: TriageCallOptions): Promise<TriageReport>;
  /** The entity's canonical ref; throws as `report` does when the caller may not read its report. */
  authorizeRead(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<string>;
  /** The refs among `entityRefs` whose reports the caller may read. */
  readable(
    entityRefs: string[],
    credentials: BackstageCredentials,
  ): Promise<string[]>;
  /** Every serving entity the caller may read, with its overall status. */
  fleet(
    options: TriageCallOptions & {
      /**
       * The plugin's own scheduled run: every report made from a fresh read, past the per-user refresh limit.
       * The snapshot cache still reads each cluster at most once per `refreshMinIntervalSeconds`.
       */
      scheduledRun?: boolean;
    },
  ): Promise<FleetSummary>;
  /**
   * The fleet entries of the given entities: only those the caller may read (catalog) whose report the caller
   * may read; others, and entities that are not model endpoints, are left out. Entries keep the order given.
   */
  summaries(
    entityRefs: string[],
    options: TriageCallOptions,
  ): Promise<FleetSummary>;
  /** The clusters, and for those read as the user, whose token the caller must send. */
  clusters(): Promise<ClusterSummary[]>;
}
