import { createApiRef } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { FleetSummary, TriageReport } from '@serving-health/plugin-serving-health-common';

/** @public */
export interface GetReportOptions {
  /** Bypass the backend's cached report and cluster snapshot. */
  refresh?: boolean;
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
  getFleet(): Promise<FleetSummary>;
}

/** @public */
export const servingHealthApiRef = createApiRef<ServingHealthApi>({
  id: 'plugin.serving-health.service',
});
