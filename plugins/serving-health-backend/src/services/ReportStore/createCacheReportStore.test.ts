import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import { TriageReport } from '@serving-health/plugin-serving-health-common';
import { createCacheReportStore } from './createCacheReportStore';

const memoryCache = () =>
  CacheManager.fromConfig(
    new ConfigReader({ backend: { cache: { store: 'memory' } } }),
  ).forPlugin('serving-health');

const report = (entityRef: string) =>
  ({ entityRef, overall: 'healthy' } as unknown as TriageReport);

describe('createCacheReportStore', () => {
  it('keeps at most maxEntries reports, evicting the least recently used from the cache itself', async () => {
    const cache = memoryCache();
    const store = createCacheReportStore({
      cache,
      maxEntries: 2,
      maxBytes: Infinity,
    });
    const key = (n: string) => ({
      entityRef: `component:default/${n}`,
      scope: 'shared',
    });
    await store.set(key('a'), report('a'), { ttlMs: 60_000 });
    await store.set(key('b'), report('b'), { ttlMs: 60_000 });
    // Reading a makes b the least recently used.
    expect(await store.get(key('a'))).toEqual(report('a'));
    await store.set(key('c'), report('c'), { ttlMs: 60_000 });

    expect(store.size()).toBe(2);
    expect(await store.get(key('b'))).toBeUndefined();
    expect(
      await cache.get('report:shared:component:default/b'),
    ).toBeUndefined();
    expect(await store.get(key('a'))).toEqual(report('a'));
    expect(await store.get(key('c'))).toEqual(report('c'));
  });

  it('stays at its bound however many distinct reports are written', async () => {
    const store = createCacheReportStore({
      cache: memoryCache(),
      maxEntries: 50,
      maxBytes: Infinity,
    });
    for (let i = 0; i < 1_000; i++) {
      await store.set(
        { entityRef: `component:default/e${i}`, scope: `shared@v${i}` },
        report(`e${i}`),
        { ttlMs: 60_000 },
      );
    }
    expect(store.size()).toBe(50);
    expect(
      await store.get({
        entityRef: 'component:default/e999',
        scope: 'shared@v999',
      }),
    ).toEqual(report('e999'));
    expect(
      await store.get({
        entityRef: 'component:default/e0',
        scope: 'shared@v0',
      }),
    ).toBeUndefined();
  });

  it('forgets expired keys first, before live ones', async () => {
    const store = createCacheReportStore({
      cache: memoryCache(),
      maxEntries: 10,
      maxBytes: Infinity,
    });
    await store.set(
      { entityRef: 'component:default/old', scope: 'shared' },
      report('old'),
      { ttlMs: 1 },
    );
    await new Promise(r => setTimeout(r, 5));
    await store.set(
      { entityRef: 'component:default/new', scope: 'shared' },
      report('new'),
      { ttlMs: 60_000 },
    );
    expect(store.size()).toBe(1);
  });

  it('keeps at most maxBytes of reports, as their JSON, whatever their number', async () => {
    const cache = memoryCache();
    const big = (n: string) =>
      ({
        entityRef: n,
        overall: 'failing',
        evidence: 'x'.repeat(10_000),
      } as unknown as TriageReport);
    const bytes = JSON.stringify(big('component:default/e19')).length;
    const store = createCacheReportStore({
      cache,
      maxEntries: 1_000,
      maxBytes: bytes * 3,
    });
    for (let i = 0; i < 20; i++) {
      const entityRef = `component:default/e${i}`;
      await store.set({ entityRef, scope: 'shared' }, big(entityRef), {
        ttlMs: 60_000,
      });
    }
    expect(store.size()).toBe(3);
    expect(store.bytes()).toBeLessThanOrEqual(bytes * 3);
    // Evicted from the cache service too, not only from the bookkeeping.
    expect(
      await cache.get('report:shared:component:default/e16'),
    ).toBeUndefined();
    expect(
      await store.get({ entityRef: 'component:default/e19', scope: 'shared' }),
    ).toEqual(big('component:default/e19'));
  });
});
