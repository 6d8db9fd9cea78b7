import { mockServices } from '@backstage/backend-test-utils';
import { TestEnv, startTestEnv } from '@internal/testenv';
import { createClusterRegistry } from '../ClusterRegistry';
import { createSnapshotCache } from './createSnapshotCache';

jest.setTimeout(60_000);

/** One snapshot of the testenv costs this many requests (/version + 16 LIST). */
const SNAPSHOT_REQUESTS = 17;

describe('createSnapshotCache against a real API server', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv({ scenario: 'healthy' });
  });
  afterAll(async () => {
    await env?.stop();
  });

  function setup(options: { ttlMs?: number; refreshMinIntervalMs?: number } = {}) {
    let clock = 1_000_000;
    const registry = createClusterRegistry({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
      connections: [{ name: 'c', url: env.url, caData: env.caData, token: env.tokens.reader }],
    });
    const cache = createSnapshotCache({
      registry,
      logger: mockServices.logger.mock(),
      namespaces: { kserve: 'kserve', kyverno: 'kyverno' },
      ttlMs: options.ttlMs ?? 30_000,
      refreshMinIntervalMs: options.refreshMinIntervalMs ?? 5_000,
      logTailLines: 10,
      now: () => clock,
    });
    return {
      cache,
      requests: () => registry.client('c')!.requestCount(),
      advance: (ms: number) => {
        clock += ms;
      },
    };
  }

  it('shares one in-flight read among concurrent callers (single-flight)', async () => {
    const { cache, requests } = setup();
    const entries = await Promise.all(Array.from({ length: 50 }, () => cache.get('c')));
    expect(new Set(entries.map(e => e.snapshot)).size).toBe(1);
    expect(requests()).toBe(SNAPSHOT_REQUESTS);
  });

  it('serves a fresh snapshot without a request and reads again after the TTL', async () => {
    const { cache, requests, advance } = setup({ ttlMs: 30_000 });
    const first = await cache.get('c');
    advance(29_000);
    expect(await cache.get('c')).toBe(first);
    expect(requests()).toBe(SNAPSHOT_REQUESTS);
    advance(2_000);
    expect(await cache.get('c')).not.toBe(first);
    expect(requests()).toBe(2 * SNAPSHOT_REQUESTS);
  });

  it('rate-limits refreshes: a refresh within the interval gets the current snapshot', async () => {
    const { cache, requests, advance } = setup({ refreshMinIntervalMs: 5_000 });
    const first = await cache.get('c');
    advance(1_000);
    expect(await cache.get('c', { refresh: true })).toBe(first);
    expect(requests()).toBe(SNAPSHOT_REQUESTS);
    advance(5_000);
    const refreshed = await cache.get('c', { refresh: true });
    expect(refreshed).not.toBe(first);
    expect(requests()).toBe(2 * SNAPSHOT_REQUESTS);
  });

  it('reads the controller logs at most once per snapshot', async () => {
    const { cache, requests } = setup();
    const entry = await cache.get('c');
    const [a, b] = await Promise.all([entry.controllerLogs(), entry.controllerLogs()]);
    expect(a).toBe(b);
    expect(requests()).toBe(SNAPSHOT_REQUESTS + 1);
  });

  it('rejects an unknown cluster with NotFoundError', async () => {
    const { cache } = setup();
    await expect(cache.get('nope')).rejects.toThrow("Cluster 'nope' is not configured");
  });
});
