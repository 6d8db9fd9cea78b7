import { CacheService } from '@backstage/backend-plugin-api';
import { TriageReport } from '@serving-health/plugin-serving-health-common';
import { BoundedCache, createBoundedCache } from '../../lib/createBoundedCache';

/**
 * The default report store: Backstage's cache service, so every replica serves the reports. At most
 * `maxEntries` reports and `maxBytes` of them are kept (least recently used evicted first): reports are keyed by
 * snapshot version, and a store that only expires by TTL grows with every change of every cluster.
 */
export function createCacheReportStore(options: {
  cache: CacheService;
  maxEntries: number;
  maxBytes: number;
}): BoundedCache<TriageReport> {
  return createBoundedCache<TriageReport>({ ...options, prefix: 'report' });
}
