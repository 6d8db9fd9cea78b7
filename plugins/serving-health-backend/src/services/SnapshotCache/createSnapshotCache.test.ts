import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { TestEnv, startTestEnv } from '@internal/testenv';
import {
  ClusterConnection,
  createKubernetesClient,
  KubernetesClient,
  staticCredentials,
} from '@serving-health/plugin-serving-health-kube';
import { ServingHealthCluster } from '@serving-health/plugin-serving-health-node';
import { createClusterClients } from '../ClusterClients';
import { createSnapshotCache } from './createSnapshotCache';

jest.setTimeout(60_000);

/**
 * One snapshot of the healthy testenv costs this many requests: /version + 21 LISTs of one page each
 * (11 cluster-wide, among them Kyverno's Policies, ValidatingPolicies and the InferenceServices' PolicyReports;
 * deployments/pods/events x 2 control-plane namespaces; Services/EndpointSlices x the 2 namespaces its webhooks
 * point at, kserve and kyverno).
 */
const SNAPSHOT_REQUESTS = 22;

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
    const clients = createClusterClients({
      logger: mockServices.logger.mock(),
      suppliers: [
        {
          getClusters: async () => [
            {
              name: 'c',
              authScope: options.authScope ?? 'server',
              connection: () => connection,
            },
          ],
        },
      ],
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
    const entries = await Promise.all(
      Array.from({ length: 50 }, () => cache.get('c')),
    );
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
    const { cache, requests, advance } = await setup({
      refreshMinIntervalMs: 5_000,
    });
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
    const [a, b] = await Promise.all([
      entry.controllerLogs(),
      entry.controllerLogs(),
    ]);
    expect(a).toBe(b);
    expect(requests()).toBe(SNAPSHOT_REQUESTS + 1);
  });

  it('shares a snapshot read with server credentials between different callers', async () => {
    const { cache, requests } = await setup({ authScope: 'server' });
    const alice = await cache.get('c', {
      caller: mockCredentials.user('user:default/alice'),
    });
    const bob = await cache.get('c', {
      caller: mockCredentials.user('user:default/bob'),
    });
    expect(bob).toBe(alice);
    expect(requests()).toBe(SNAPSHOT_REQUESTS);
  });

  it("never serves a snapshot read with one user's credentials to another user", async () => {
    const { cache, requests } = await setup({ authScope: 'user' });
    const alice = await cache.get('c', {
      caller: mockCredentials.user('user:default/alice'),
    });
    const bob = await cache.get('c', {
      caller: mockCredentials.user('user:default/bob'),
    });
    expect(bob).not.toBe(alice);
    expect(bob.snapshot).not.toBe(alice.snapshot);
    expect(requests()).toBe(2 * SNAPSHOT_REQUESTS);
    // The same user within the TTL gets their own snapshot again, without a read.
    expect(
      await cache.get('c', {
        caller: mockCredentials.user('user:default/alice'),
      }),
    ).toBe(alice);
    expect(requests()).toBe(2 * SNAPSHOT_REQUESTS);
  });

  it('rejects an unknown cluster with NotFoundError', async () => {
    const { cache } = await setup();
    await expect(cache.get('nope')).rejects.toThrow(
      "Cluster 'nope' is not configured",
    );
  });
});

describe('createSnapshotCache when a cluster cannot be read', () => {
  function setup(client: KubernetesClient) {
    let clock = 1_000_000;
    const cache = createSnapshotCache({
      clusters: {
        refresh: async () => {},
        problem: () => undefined,
        names: () => ['c'],
        cluster: () => ({
          name: 'c',
          authScope: 'server',
          connection: () => {
            throw new Error('not used: the client is given');
          },
        }),
        client: () => client,
      },
      logger: mockServices.logger.mock(),
      namespaces: { kserve: 'kserve', kyverno: 'kyverno' },
      ttlMs: 30_000,
      refreshMinIntervalMs: 5_000,
      logTailLines: 10,
      now: () => clock,
    });
    return {
      cache,
      advance: (ms: number) => {
        clock += ms;
      },
    };
  }

  it('keeps the snapshot of an unreachable cluster 5 s, not the configured 30 s', async () => {
    const client = createKubernetesClient({
      name: 'c',
      url: 'https://127.0.0.1:1',
      credentials: staticCredentials({}),
      timeoutMs: 2_000,
    });
    const { cache, advance } = setup(client);
    const first = await cache.get('c');
    expect(first.snapshot.version.ok).toBe(false);
    expect(client.requestCount()).toBe(1);
    advance(4_000);
    expect(await cache.get('c')).toBe(first);
    advance(2_000);
    expect(await cache.get('c')).not.toBe(first);
    expect(client.requestCount()).toBe(2);
  });

  it('does not keep a load that failed: the next caller reads again', async () => {
    let calls = 0;
    const client: KubernetesClient = {
      cluster: 'c',
      requestCount: () => calls,
      async request() {
        calls += 1;
        if (calls === 1) throw new Error('socket exploded');
        return {
          ok: false,
          error: {
            reason: 'unreachable',
            request: 'GET /version',
            message: 'down',
          },
        };
      },
    };
    const { cache } = setup(client);
    await expect(cache.get('c')).rejects.toThrow('socket exploded');
    const second = await cache.get('c');
    expect(second.snapshot.version.ok).toBe(false);
    expect(calls).toBe(2);
  });
});
