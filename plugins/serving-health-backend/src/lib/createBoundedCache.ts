import { CacheService } from '@backstage/backend-plugin-api';

/** What a report (or its summary) is kept under: the entity, and who may read it made from what. */
export interface ReportKey {
  entityRef: string;
  /** The read scope, with the snapshot versions the report was made from when they are known. */
  scope: string;
}

/** Values kept by {@link createBoundedCache}. */
export interface BoundedCache<T> {
  get(key: ReportKey): Promise<T | undefined>;
  set(key: ReportKey, value: T, options: { ttlMs: number }): Promise<void>;
  /** Keys this process wrote or read that are still kept. */
  size(): number;
  /** Their serialized size in bytes (UTF-16 code units: the JSON of a report is ASCII but for names). */
  bytes(): number;
}

/**
 * Keys of Backstage's cache service, bounded in number and in serialized bytes: the least recently used go
 * first, expired ones before live ones, deleted from the cache service itself (its in-memory store never purges
 * an expired key that is not read again, and keys carrying a snapshot version are never read again).
 *
 * Values are stored as one JSON string: the cache service's own serializer walks an object key by key in
 * JavaScript, which costs more than the triage it saves for a large report; a string is copied as it is.
 */
export function createBoundedCache<T>(options: {
  cache: CacheService;
  prefix: string;
  maxEntries: number;
  maxBytes: number;
  now?: () => number;
}): BoundedCache<T> {
  const { cache, prefix, maxEntries, maxBytes } = options;
  const now = options.now ?? Date.now;
  const keyOf = (key: ReportKey) => `${prefix}:${key.scope}:${key.entityRef}`;
  // Insertion order of a Map is the recency order: a key is re-inserted when used.
  const recent = new Map<string, { expiresAt: number; bytes: number }>();
  let total = 0;

  const touch = (k: string, entry: { expiresAt: number; bytes: number }) => {
    const old = recent.get(k);
    if (old) total -= old.bytes;
    recent.delete(k);
    recent.set(k, entry);
    total += entry.bytes;
  };

  return {
    async get(key) {
      const k = keyOf(key);
      const raw = await cache.get(k);
      if (raw === undefined) return undefined;
      const entry = recent.get(k);
      if (entry) touch(k, entry);
      // Written by this code as a string; an object is from a replica of an older version.
      return typeof raw === 'string' ? (JSON.parse(raw) as T) : (raw as T);
    },
    async set(key, value, { ttlMs }) {
      const k = keyOf(key);
      const json = JSON.stringify(value);
      await cache.set(k, json, { ttl: ttlMs });
      touch(k, { expiresAt: now() + ttlMs, bytes: json.length });
      const evicted: string[] = [];
      const at = now();
      let count = recent.size;
      for (const [old, entry] of recent) {
        if (count <= maxEntries && total <= maxBytes && entry.expiresAt > at)
          break;
        evicted.push(old);
        count -= 1;
        total -= entry.bytes;
      }
      for (const old of evicted) recent.delete(old);
      await Promise.all(evicted.map(old => cache.delete(old)));
    },
    size: () => recent.size,
    bytes: () => total,
  };
}
