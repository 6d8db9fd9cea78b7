import {
  FleetEntry,
  FleetSummary,
} from '@serving-health/plugin-serving-health-common';

/** What the backend's POST /summaries takes at most in one request. */
export const MAX_SUMMARIES_PER_REQUEST = 100;

export type FetchSummaries = (entityRefs: string[]) => Promise<FleetSummary>;

/**
 * Summaries of single entities, asked for one by one (a table cell, a card row) and fetched together: every ref
 * asked for within one batch window goes into one request. Answers are kept for `ttlMs`, so a table re-rendering
 * or sorting asks nothing again.
 */
export interface SummaryLoader {
  /** The entity's entry; undefined when it is no model endpoint, or not one whose report the user may read. */
  load(
    entityRef: string,
    fetch: FetchSummaries,
  ): Promise<FleetEntry | undefined>;
  /** What is known now without asking: an entry, `null` for "none", undefined for "not known yet". */
  peek(entityRef: string): FleetEntry | null | undefined;
  /** Keeps entries already fetched another way (the fleet summary), so their cells need no request. */
  prime(entries: FleetEntry[]): void;
}

interface Cached {
  at: number;
  value: Promise<FleetEntry | undefined>;
  settled?: FleetEntry | null;
}

interface Waiting {
  ref: string;
  resolve: (entry: FleetEntry | undefined) => void;
  reject: (error: Error) => void;
}

const key = (entityRef: string) => entityRef.toLocaleLowerCase('en-US');

export function createSummaryLoader(options: {
  ttlMs: number;
  /** How long requests are collected before one is sent (cells of one render ask within a few ms). */
  batchWindowMs?: number;
  now?: () => number;
}): SummaryLoader {
  const now = options.now ?? Date.now;
  const cache = new Map<string, Cached>();
  let waiting: Waiting[] = [];
  let batchFetch: FetchSummaries | undefined;

  const flush = async () => {
    const batch = waiting;
    const fetchSummaries = batchFetch!;
    waiting = [];
    batchFetch = undefined;
    const refs = [...new Set(batch.map(w => w.ref))];
    for (let i = 0; i < refs.length; i += MAX_SUMMARIES_PER_REQUEST) {
      const chunk = new Set(refs.slice(i, i + MAX_SUMMARIES_PER_REQUEST));
      const inChunk = batch.filter(w => chunk.has(w.ref));
      try {
        const { entries } = await fetchSummaries([...chunk]);
        const byRef = new Map(entries.map(e => [key(e.entityRef), e]));
        for (const w of inChunk) w.resolve(byRef.get(w.ref));
      } catch (e) {
        // Not kept: the next render asks again.
        for (const w of inChunk) {
          cache.delete(w.ref);
          w.reject(e as Error);
        }
      }
    }
  };

  const fresh = (ref: string) => {
    const cached = cache.get(ref);
    return cached && now() - cached.at < options.ttlMs ? cached : undefined;
  };

  return {
    load(entityRef, fetchSummaries) {
      const ref = key(entityRef);
      const cached = fresh(ref);
      if (cached) return cached.value;
      const entry: Cached = {
        at: now(),
        value: new Promise((resolve, reject) => {
          if (!batchFetch) {
            batchFetch = fetchSummaries;
            setTimeout(flush, options.batchWindowMs ?? 10);
          }
          waiting.push({ ref, resolve, reject });
        }),
      };
      entry.value.then(
        found => {
          entry.settled = found ?? null;
        },
        () => {},
      );
      cache.set(ref, entry);
      return entry.value;
    },

    peek(entityRef) {
      return fresh(key(entityRef))?.settled;
    },

    prime(entries) {
      const at = now();
      for (const e of entries) {
        cache.set(key(e.entityRef), {
          at,
          value: Promise.resolve(e),
          settled: e,
        });
      }
    },
  };
}

/** The browser's one loader: the catalog table's cells, its sort and its filter share what was fetched. */
export const servingHealthSummaries = createSummaryLoader({ ttlMs: 30_000 });
