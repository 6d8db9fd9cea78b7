import { CacheService } from '@backstage/backend-plugin-api';
import { TriageReport } from '@serving-health/plugin-serving-health-common';
import { ServingHealthReportStore } from '@serving-health/plugin-serving-health-node';

/**
 * The default report store: Backstage's cache service, so every replica serves the reports. At most
 * `maxEntries` reports are kept (least recently used evicted first): reports are keyed by snapshot version,
 * and a store that only expires by TTL grows with every change of every cluster (the in-memory store never
 * purges an expired key that is not read again).
 */
export function createCacheReportStore(options: {
  cache: CacheService;
  maxEntries: number;
}): ServingHealthReportStore & { size(): number } {
  const { cache, maxEntries } = options;
  const keyOf = (k: { entityRef: string; scope: string }) =>
    `report:${k.scope}:${k.entityRef}`;
  // Insertion order of a Map is the recency order: a key is re-inserted when used.
  const recent = new Map<string, number>();
  const touch = (key: string, expiresAt: number) => {
    recent.delete(key);
    recent.set(key, expiresAt);
  };
  return {
    async get(key) {
      const k = keyOf(key);
      const report = (await cache.get<any>(k)) as TriageReport | undefined;
      const expiresAt = recent.get(k);
      if (report && expiresAt !== undefined) touch(k, expiresAt);
      return report;
    },
    async set(key, report, { ttlMs }) {
      const k = keyOf(key);
      await cache.set(k, report as any, { ttl: ttlMs });
      touch(k, Date.now() + ttlMs);
      const evicted: string[] = [];
      const now = Date.now();
      for (const [old, expiresAt] of recent) {
        if (recent.size - evicted.length <= maxEntries && expiresAt > now)
          break;
        evicted.push(old);
      }
      for (const old of evicted) recent.delete(old);
      await Promise.all(evicted.map(old => cache.delete(old)));
    },
    size: () => recent.size,
  };
}
