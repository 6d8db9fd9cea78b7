import { CacheService } from '@backstage/backend-plugin-api';
import { TriageReport } from '@serving-health/plugin-serving-health-common';
import { ServingHealthReportStore } from '@serving-health/plugin-serving-health-node';

/** The default report store: Backstage's cache service, so every replica serves the reports. */
export function createCacheReportStore(options: {
  cache: CacheService;
}): ServingHealthReportStore {
  const keyOf = (k: { entityRef: string; scope: string }) =>
    `report:${k.scope}:${k.entityRef}`;
  return {
    async get(key) {
      return (await options.cache.get<any>(keyOf(key))) as TriageReport | undefined;
    },
    async set(key, report, { ttlMs }) {
      await options.cache.set(keyOf(key), report as any, { ttl: ttlMs });
    },
  };
}
