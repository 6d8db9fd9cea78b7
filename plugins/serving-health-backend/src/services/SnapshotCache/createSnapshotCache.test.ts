import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { TestEnv, startTestEnv } from '@internal/testenv';
import {
  ClusterConnection,
  KubernetesClient,
  staticCredentials,
} from '@serving-health/plugin-serving-health-kube';
import { ServingHealthCluster } from '@serving-health/plugin-serving-health-node';
import { createClusterClients } from '../ClusterClients';
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

  async function setup(
    options: {
      ttlMs?: number;
      refreshMinIntervalMs?: number;
      authScope?: ServingHealthCluster['authScope'];
    } = {},
  ) {
    let clock = 1_000_000;
    const connection: ClusterConnection = {
      name: 'c',
      url: env.url,
      caData: env.caData,
      credentials: staticCredentials({ token: env.tokens.reader }),
    };
    const clients = await createClusterClients({
      logger: mockServices.logger.mock(),
      supplier: {
        getClusters: async () => [
          { name: 'c', authScope: options.authScope ?? 'server', connection: () => connection },
        ],
      },
    });
    // Every client the cache asks for, so requests are counted whoever they were made for.
    const made: KubernetesClient[] = [];
    const clusters = {
      ...clients,
      client: (name: string, caller?: Parameters<typeof clients.client>[1]) => {
        const c = clients.client(name, caller);
        if (c && !made.includes(c)) made.push(c);
        return c;
      },
    };
    const cache = createSnapshotCache({
      clusters,
      logger: mockServices.logger.mock(),
      namespaces: { kserve: 'kserve', kyverno: 'kyverno' },
      ttlMs: options.ttlMs ?? 30_000,
      refreshMinIntervalMs: options.refreshMinIntervalMs ?? 5_000,
      logTailLines: 10,
      now: () => clock,
    });
    return {
      cache,
      requests: () => made.reduce((n, c) => n + c.requestCount(), 0),
      advance: (ms: number) => {
        clock += ms;
      },
    };
  }

  it('shares one in-flight read among concurrent callers (single-flight)', async () => {
    const { cache, requests } = await setup();
    const entries = await Promise.all(Array.from({ length: 50 }, () => cache.get('c')));
    expect(new Set(entries.map(e => e.snapshot)).size).toBe(1);
    expect(requests()).toBe(SNAPSHOT_REQUESTS);
  });

  it('serves a fresh snapshot without a request and reads again after the TTL', async () => {
    const { cache, requests, advance } = await setup({ ttlMs: 30_000 });
    const first = await cache.get('c');
    advance(29_000);
    expect(await cache.get('c')).toBe(first);
    expect(requests()).toBe(SNAPSHOT_REQUESTS);
    advance(2_000);
    expect(await cache.get('c')).not.toBe(first);
    expect(requests()).toBe(2 * SNAPSHOT_REQUESTS);
  });

  it('rate-limits refreshes: a refresh within the interval gets the current snapshot', async () => {
    const { cache, requests, advance } = await setup({ refreshMinIntervalMs: 5_000 });
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
    const { cache, requests } = await setup();
    const entry = await cache.get('c');
    const [a, b] = await Promise.all([entry.controllerLogs(), entry.controllerLogs()]);
    expect(a).toBe(b);
    expect(requests()).toBe(SNAPSHOT_REQUESTS + 1);
  });

  it('shares a snapshot read with server credentials between different callers', async () => {
    const { cache, requests } = await setup({ authScope: 'server' });
    const alice = await cache.get('c', { caller: mockCredentials.user('user:default/alice') });
    const bob = await cache.get('c', { caller: mockCredentials.user('user:default/bob') });
    expect(bob).toBe(alice);
    expect(requests()).toBe(SNAPSHOT_REQUESTS);
  });

  it("never serves a snapshot read with one user's credentials to another user", async () => {
    const { cache, requests } = await setup({ authScope: 'user' });
    const alice = await cache.get('c', { caller: mockCredentials.user('user:default/alice') });
    const bob = await cache.get('c', { caller: mockCredentials.user('user:default/bob') });
    expect(bob).not.toBe(alice);
    expect(bob.snapshot).not.toBe(alice.snapshot);
    expect(requests()).toBe(2 * SNAPSHOT_REQUESTS);
    // The same user within the TTL gets their own snapshot again, without a read.
    expect(await cache.get('c', { caller: mockCredentials.user('user:default/alice') })).toBe(alice);
    expect(requests()).toBe(2 * SNAPSHOT_REQUESTS);
  });

  it('rejects an unknown cluster with NotFoundError', async () => {
    const { cache } = await setup();
    await expect(cache.get('nope')).rejects.toThrow("Cluster 'nope' is not configured");
  });
});
