import { createHash } from 'node:crypto';
import {
  ClusterSnapshot,
  ControlPlaneNamespaces,
  KubeObject,
  ReadError,
  ReadResult,
  SnapshotCollection,
} from '@serving-health/plugin-serving-health-common';
import { listAll } from '../client/listAll';
import {
  KubeResponse,
  KubernetesClient,
  WatchingKubernetesClient,
} from '../client/types';
import {
  CollectionSpec,
  snapshotCollections,
  webhookServiceNamespaces,
} from './collections';
import {
  WEBHOOK_CONFIGURATIONS,
  collectionError,
  mergeReads,
} from './createClusterSnapshotLoader';
import { projectObject } from './projection';

/**
 * How one collection is kept current: by a watch, or by a LIST every poll interval because the cluster does
 * not allow a watch (`reason` names why).
 *
 * @public
 */
export type CollectionFreshness =
  | { mode: 'watch' }
  | { mode: 'poll'; reason: string };

/** @public */
export interface WatchedSnapshotStats {
  lists: number;
  watches: number;
  /** Watches restarted by a LIST because their resourceVersion was too old (410 Gone). */
  relists: number;
  events: number;
  objects: number;
}

/**
 * A cluster snapshot kept current by LIST+WATCH per collection.
 *
 * @public
 */
export interface WatchedSnapshot {
  /** Settles once every collection was listed once (or failed to be). */
  ready(): Promise<void>;
  /** The current state as a snapshot; the same object until something changes. */
  snapshot(): ClusterSnapshot;
  /**
   * Changes exactly when the content changes, and is the same on every process that holds the same objects
   * (resourceVersions, not arrival order), so replicas can share what they build from it.
   */
  version(): string;
  freshness(): Record<string, CollectionFreshness>;
  stats(): WatchedSnapshotStats;
  /** Called after every change, coalesced per tick. */
  onChange(listener: () => void): () => void;
  stop(): void;
}

/** @public */
export interface WatchedSnapshotOptions {
  client: KubernetesClient | WatchingKubernetesClient;
  namespaces: ControlPlaneNamespaces;
  /** A collection that cannot be watched is listed this often. */
  pollIntervalMs: number;
  /** Wait before a failed LIST or a broken watch is tried again. */
  retryMs?: number;
  pageSize?: number;
  /** Server-side end of each watch (`timeoutSeconds`). */
  watchTimeoutSeconds?: number;
}

const DEFAULT_RETRY_MS = 5_000;
/** A safety net only: a custom resource that is not installed is listed again when the CRDs change. */
const NOT_INSTALLED_RECHECK_MS = 30 * 60_000;
const CONNECTIVITY = ['unreachable', 'timeout', 'tls', 'unauthorized'];

/** 64 bits of a hash, XOR-able: the set's digest is updated per object in O(1). */
function objectDigest(path: string, item: KubeObject): bigint {
  const m = item.metadata ?? {};
  const h = createHash('sha1')
    .update(
      `${path}\u0000${m.namespace ?? ''}/${m.name}\u0000${m.uid ?? ''}\u0000${
        m.resourceVersion ?? ''
      }`,
    )
    .digest();
  return h.readBigUInt64BE(0);
}

const keyOf = (item: KubeObject) =>
  `${item.metadata?.namespace ?? ''}/${item.metadata?.name ?? ''}`;

/** A watch the server refuses or cannot serve, while a LIST of the same path works. */
function watchUnsupported(res: KubeResponse<undefined>): boolean {
  return !res.ok && [403, 404, 405, 406, 415].includes(res.status ?? 0);
}

interface Feed {
  spec: CollectionSpec;
  items: Map<string, KubeObject>;
  digest: bigint;
  /** Undefined until the first LIST answered. */
  error?: ReadError;
  listed: boolean;
  freshness: CollectionFreshness;
  stopped: boolean;
  stopWatch?: () => void;
  wake?: () => void;
  firstList: Promise<void>;
}

/**
 * Keeps a cluster's snapshot current the way an informer does: each collection is listed once, then watched
 * from the list's resourceVersion with bookmarks; ADDED / MODIFIED / DELETED are applied to an in-memory map
 * of projected objects (only what the checks read); 410 Gone lists again; a watch that is forbidden or not served falls back to a LIST every
 * `pollIntervalMs` for that collection only. Services and EndpointSlices follow the namespaces the webhook
 * configurations point at, as those change.
 *
 * @public
 */
export function createWatchedSnapshot(
  options: WatchedSnapshotOptions,
): WatchedSnapshot {
  const { client, namespaces } = options;
  const retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
  const canWatch = 'watch' in client && typeof client.watch === 'function';
  const feeds = new Map<string, Feed>();
  const listeners = new Set<() => void>();
  const stats = { lists: 0, watches: 0, relists: 0, events: 0 };
  let stopped = false;
  let version: ClusterSnapshot['version'] | undefined;
  let built: ClusterSnapshot | undefined;
  let notifyScheduled = false;
  const readAt = () => new Date().toISOString();
  let changedAt = readAt();

  const changed = () => {
    built = undefined;
    changedAt = readAt();
    if (notifyScheduled) return;
    notifyScheduled = true;
    queueMicrotask(() => {
      notifyScheduled = false;
      for (const l of listeners) l();
    });
  };

  const sleep = (feed: Feed, ms: number) =>
    new Promise<void>(resolve => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      feed.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const reachOf = (v: ClusterSnapshot['version'] | undefined) => {
    if (v === undefined) return 'unknown';
    return v.ok ? 'ok' : v.error.reason;
  };

  async function readVersion() {
    const res = await client.request<any>({ path: '/version' });
    const before = reachOf(version);
    version = res.ok
      ? { ok: true, value: res.body }
      : { ok: false, error: { ...res.error, request: 'kubectl version' } };
    if (reachOf(version) !== before || !version.ok) changed();
  }

  function replace(feed: Feed, items: KubeObject[]) {
    feed.items = new Map();
    feed.digest = 0n;
    for (const item of items) {
      feed.items.set(keyOf(item), item);
      feed.digest ^= objectDigest(feed.spec.path, item);
    }
  }

  function apply(feed: Feed, type: string, raw: KubeObject) {
    const item = projectObject(feed.spec.collection, raw);
    const key = keyOf(item);
    const old = feed.items.get(key);
    if (old) feed.digest ^= objectDigest(feed.spec.path, old);
    if (type === 'DELETED') feed.items.delete(key);
    else {
      feed.items.set(key, item);
      feed.digest ^= objectDigest(feed.spec.path, item);
    }
  }

  async function list(feed: Feed): Promise<string | undefined> {
    stats.lists += 1;
    const res = await listAll<KubeObject>(client, feed.spec.path, {
      pageSize: options.pageSize,
      map: item => projectObject(feed.spec.collection, item),
      labelSelector: feed.spec.labelSelector,
    });
    if (feed.stopped) return undefined;
    feed.listed = true;
    if (!res.ok) {
      const result = collectionError(feed.spec, res.error);
      feed.error = result.ok ? undefined : result.error;
      feed.items = new Map();
      feed.digest = 0n;
      if (CONNECTIVITY.includes(res.error.reason)) {
        version = {
          ok: false,
          error: { ...res.error, request: 'kubectl version' },
        };
      }
      changed();
      return undefined;
    }
    feed.error = undefined;
    replace(feed, res.items);
    if (version && !version.ok) await readVersion();
    changed();
    return res.resourceVersion;
  }

  async function watchFrom(
    feed: Feed,
    from: string,
  ): Promise<'relist' | 'poll'> {
    // Held in an object: the event handler of each watch in the loop advances it.
    const cursor = { resourceVersion: from };
    for (;;) {
      if (feed.stopped) return 'relist';
      stats.watches += 1;
      const w = (client as WatchingKubernetesClient).watch({
        path: feed.spec.path,
        query: {
          resourceVersion: cursor.resourceVersion,
          allowWatchBookmarks: true,
          labelSelector: feed.spec.labelSelector,
          timeoutSeconds: options.watchTimeoutSeconds,
        },
        onEvent(event) {
          const rv = event.object?.metadata?.resourceVersion;
          if (rv) cursor.resourceVersion = rv;
          if (event.type === 'BOOKMARK') return;
          stats.events += 1;
          apply(feed, event.type, event.object);
          if (feed.spec.collection === 'customResourceDefinitions')
            crdsChanged();
          changed();
        },
      });
      feed.stopWatch = w.stop;
      const res = await w.done;
      feed.stopWatch = undefined;
      if (feed.stopped) return 'relist';
      // The server ended the watch on schedule: resume from the last version seen, no LIST.
      if (res.ok) continue;
      if (res.status === 410) {
        stats.relists += 1;
        return 'relist';
      }
      if (watchUnsupported(res)) {
        const rule =
          res.status === 403
            ? ` (RBAC: verb watch on ${feed.spec.resource}${
                feed.spec.apiGroup ? `.${feed.spec.apiGroup}` : ''
              })`
            : '';
        feed.freshness = {
          mode: 'poll',
          reason: `watch refused: HTTP ${res.status} ${res.error.message}${rule}`,
        };
        changed();
        return 'poll';
      }
      await sleep(feed, retryMs);
      // A cluster gone away is listed again, so the snapshot says so (and is complete when it is back).
      if (CONNECTIVITY.includes(res.error.reason)) return 'relist';
      // Otherwise resume from the same version; a too-old one answers 410.
    }
  }

  const crdsWatched = () =>
    [...feeds.values()].some(
      f =>
        f.spec.collection === 'customResourceDefinitions' &&
        f.freshness.mode === 'watch' &&
        !f.error,
    );

  /**
   * After a failed LIST: soon when the cluster was unreachable; a custom resource whose CRD is not installed is
   * listed again when the watched CRDs change (woken by them), not every poll interval.
   */
  function retryAfter(feed: Feed): number {
    if (feed.error && CONNECTIVITY.includes(feed.error.reason)) return retryMs;
    if (feed.error?.reason === 'not-installed' && crdsWatched())
      return NOT_INSTALLED_RECHECK_MS;
    return options.pollIntervalMs;
  }

  /** A CRD appeared, changed or went: the custom resources it may serve are listed again. */
  function crdsChanged() {
    for (const f of feeds.values()) {
      if (f.error?.reason === 'not-installed') f.wake?.();
    }
  }

  async function run(feed: Feed, listedOnce: () => void) {
    let poll = !canWatch;
    while (!feed.stopped && !stopped) {
      const rv = await list(feed);
      listedOnce();
      if (feed.stopped) return;
      if (rv === undefined) {
        await sleep(feed, retryAfter(feed));
        continue;
      }
      if (!poll && (await watchFrom(feed, rv)) === 'poll') poll = true;
      if (poll) await sleep(feed, options.pollIntervalMs);
    }
  }

  function start(spec: CollectionSpec): Feed {
    let listedOnce!: () => void;
    const feed: Feed = {
      spec,
      items: new Map(),
      digest: 0n,
      listed: false,
      freshness: canWatch
        ? { mode: 'watch' }
        : { mode: 'poll', reason: 'the cluster client cannot watch' },
      stopped: false,
      firstList: new Promise<void>(resolve => {
        listedOnce = resolve;
      }),
    };
    feeds.set(spec.path, feed);
    void run(feed, listedOnce);
    return feed;
  }

  function stopFeed(feed: Feed) {
    feed.stopped = true;
    feed.stopWatch?.();
    feed.wake?.();
    feeds.delete(feed.spec.path);
  }

  /** Services and EndpointSlices are read where the webhooks point; that set changes with them. */
  function followWebhookNamespaces(): Promise<void> {
    if (stopped) return Promise.resolve();
    const configurations = [...feeds.values()]
      .filter(f => WEBHOOK_CONFIGURATIONS.includes(f.spec.collection))
      .flatMap(f => [...f.items.values()]);
    const wanted = snapshotCollections(
      namespaces,
      webhookServiceNamespaces(configurations),
    ).filter(s => s.webhookScoped);
    const paths = new Set(wanted.map(s => s.path));
    for (const feed of [...feeds.values()]) {
      if (feed.spec.webhookScoped && !paths.has(feed.spec.path)) {
        stopFeed(feed);
        changed();
      }
    }
    for (const spec of wanted) if (!feeds.has(spec.path)) start(spec);
    // Every scoped feed, not only the ones started now: a call that started none must not settle first.
    return Promise.all(
      wanted.map(spec => feeds.get(spec.path)?.firstList),
    ).then(() => undefined);
  }

  const ready = (async () => {
    await readVersion();
    if (!version!.ok && CONNECTIVITY.includes(version!.error.reason)) {
      // Nothing is listed from a cluster that cannot be reached; it is asked again until it answers.
      void (async () => {
        while (!stopped && version && !version.ok) {
          await new Promise(r => setTimeout(r, retryMs).unref());
          if (!stopped) await readVersion();
        }
        if (!stopped) await startAll();
      })();
      return;
    }
    await startAll();
  })();

  /**
   * A watch on a silent cluster looks the same as one on a dead cluster until its idle timeout: /version every
   * poll interval (one small GET, no LIST) bounds how long a report may say reachable after it is not.
   */
  let heartbeat: NodeJS.Timeout | undefined;

  async function startAll() {
    heartbeat = setInterval(() => void readVersion(), options.pollIntervalMs);
    heartbeat.unref();
    const first = snapshotCollections(namespaces)
      .filter(s => !s.webhookScoped)
      .map(start);
    await Promise.all(
      first
        .filter(f => WEBHOOK_CONFIGURATIONS.includes(f.spec.collection))
        .map(f => f.firstList),
    );
    let following = followWebhookNamespaces();
    listeners.add(() => {
      following = followWebhookNamespaces();
    });
    await Promise.all(first.map(f => f.firstList));
    await following;
  }

  function build(): ClusterSnapshot {
    const collections: Partial<Record<SnapshotCollection, ReadResult>> = {};
    if (version?.ok) {
      for (const feed of feeds.values()) {
        if (!feed.listed) continue;
        const result: ReadResult = feed.error
          ? { ok: false, error: feed.error }
          : { ok: true, items: [...feed.items.values()] };
        collections[feed.spec.collection] = mergeReads(
          collections[feed.spec.collection],
          result,
        );
      }
    }
    return {
      cluster: client.cluster,
      readAt: changedAt,
      version: version ?? {
        ok: false,
        error: {
          reason: 'timeout',
          request: 'kubectl version',
          message: 'not read yet',
        },
      },
      collections,
      namespaces,
      requestCount: stats.lists + stats.watches,
    };
  }

  return {
    ready: () => ready,
    snapshot: () => (built ??= build()),
    version() {
      let digest = 0n;
      const errors: string[] = [];
      for (const feed of feeds.values()) {
        digest ^= feed.digest;
        if (feed.error) errors.push(`${feed.spec.path}:${feed.error.reason}`);
      }
      const reach = version?.ok ? 'ok' : version?.error.reason ?? 'unknown';
      return `${digest.toString(16)}:${reach}:${errors.sort().join(',')}`;
    },
    freshness: () =>
      Object.fromEntries(
        [...feeds.values()].map(f => [f.spec.path, f.freshness]),
      ),
    stats: () => ({
      ...stats,
      objects: [...feeds.values()].reduce((n, f) => n + f.items.size, 0),
    }),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped = true;
      clearInterval(heartbeat);
      listeners.clear();
      for (const feed of [...feeds.values()]) stopFeed(feed);
    },
  };
}
