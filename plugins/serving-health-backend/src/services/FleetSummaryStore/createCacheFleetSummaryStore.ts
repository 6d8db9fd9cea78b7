import { CacheService } from '@backstage/backend-plugin-api';
import { FleetEntry } from '@serving-health/plugin-serving-health-common';
import { BoundedCache, createBoundedCache } from '../../lib/createBoundedCache';

/** What a fleet row needs of a report: a few hundred bytes instead of the report's checks and evidence. */
export type FleetReportSummary = Pick<
  FleetEntry,
  'overall' | 'failingStage' | 'failureModes'
>;

/** Fleet summaries of reports, under the same keys as the reports (scope and snapshot versions). */
export type FleetSummaryStore = BoundedCache<FleetReportSummary>;

/**
 * A fleet scan reads one summary per entity, not one report: at ten thousand endpoints the reports of a whole
 * fleet do not fit a report cache bounded for memory, and a scan that misses re-triages every entity.
 * Summaries are kept in Backstage's cache service (shared by replicas), bounded like the reports.
 */
export function createCacheFleetSummaryStore(options: {
  cache: CacheService;
  maxEntries: number;
}): FleetSummaryStore {
  return createBoundedCache<FleetReportSummary>({
    cache: options.cache,
    prefix: 'summary',
    maxEntries: options.maxEntries,
    // A summary is a status, a stage and a few failure-mode ids; the count bounds it.
    maxBytes: Infinity,
  });
}
