import { createApiRef } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  EntityHistory,
  FleetHistory,
  FleetSummary,
  TriageReport,
} from '@serving-health/plugin-serving-health-common';
import { KubernetesAuthProvidersApi } from './kubernetesAuthProviders';

/** @public */
export interface GetReportOptions extends CallerClusterAuth {
  /** Bypass the backend's cached report and cluster snapshot. */
  refresh?: boolean;
}

/**
 * How the signed-in user's own cluster tokens are found, for clusters read as the user (oidc, google, aks).
 *
 * @public
 */
export interface CallerClusterAuth {
  /** Usually the Kubernetes plugin's `getCredentials`; without it, no cluster token is sent. */
  clusterCredentials?: KubernetesAuthProvidersApi['getCredentials'];
}

/**
 * Reads triage reports from the serving-health backend.
 *
 * @public
 */
export interface ServingHealthApi {
  getReport(
    entity: CompoundEntityRef,
    options?: GetReportOptions,
  ): Promise<TriageReport>;
  getFleet(options?: CallerClusterAuth): Promise<FleetSummary>;
  /**
   * The fleet entries of the given entities (at most 100) in one request: only model endpoints the user may read
   * whose report the user may read.
   */
  getSummaries(
    entityRefs: string[],
    options?: CallerClusterAuth,
  ): Promise<FleetSummary>;
  /** The entity's state and transitions as the scheduled fleet triage recorded them, newest first. */
  getHistory(entity: CompoundEntityRef): Promise<EntityHistory>;
  /** Every readable entity's state (time in state) and the fleet's latest transitions. */
  getFleetHistory(): Promise<FleetHistory>;
}

/** @public */
export const servingHealthApiRef = createApiRef<ServingHealthApi>({
  id: 'plugin.serving-health.service',
});
