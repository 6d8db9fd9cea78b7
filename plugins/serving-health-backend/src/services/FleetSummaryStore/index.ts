export { createCacheFleetSummaryStore } from './createCacheFleetSummaryStore';
export type {
  FleetReportSummary,
  FleetSummaryStore,
} from './createCacheFleetSummaryStore';
