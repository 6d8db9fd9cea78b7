import { CacheManager } from '@backstage/backend-defaults/cache';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { KubeProxy } from '@internal/fault-proxy';
import { TestEnv, startTestEnv } from '@internal/testenv';
import request from 'supertest';
import {
  proxyTo,
  scenarioEntities,
  testenvBackendFeatures,
} from './__testUtils__/clusters';
import { servingHealthPlugin } from './plugin';

jest.setTimeout(180_000);

/**
 * Two backends in one process on one cache (as two replicas on one Redis; tools/e2e/src/replicas.e2e.test.ts runs
 * the real thing), each reaching the same testenv through its own counting proxy.
 */
describe('two replicas sharing the report cache', () => {
  let env: TestEnv;
  let entity: Entity;

  beforeAll(async () => {
    env = await startTestEnv({ scenario: 'healthy' });
    entity = scenarioEntities('healthy').find(
      e => e.metadata.name === 'fraud-detector',
    )!;
  });
  afterAll(async () => {
    await env?.stop();
  });

  /** Each replica with its own proxy: what a replica asks the cluster is counted apart. */
  async function startReplicas(mode: 'watch' | 'poll') {
    const proxies = await Promise.all([0, 1].map(() => proxyTo(env)));
    const cache = CacheManager.fromConfig(new ConfigReader({}));
    const sharedCache = createServiceFactory({
      service: coreServices.cache,
      deps: { plugin: coreServices.pluginMetadata },
      factory: ({ plugin }) => cache.forPlugin(plugin.getId()),
    });
    const backends = await Promise.all(
      proxies.map(proxy =>
        startTestBackend({
          features: [
            servingHealthPlugin,
            sharedCache,
            ...testenvBackendFeatures({
              env,
              url: proxy.url,
              entity,
              servingHealth: {
                snapshots: { mode },
                snapshotTtlSeconds: 600,
                schedule: { enabled: false },
              },
            }),
          ],
        }),
      ),
    );
    return {
      backends,
      proxies,
      stop: async () => {
        await Promise.all(backends.map(b => b.stop()));
        await Promise.all(proxies.map(p => p.close()));
      },
    };
  }

  const reportPath = () =>
    `/api/serving-health/entities/default/component/${entity.metadata.name}/report`;
  const listsOf = (proxy: KubeProxy) =>
    proxy.requests().filter(r => r.list && !r.path.includes('watch=1'));

  it.each(['watch', 'poll'] as const)(
    "%s: the second replica serves the first one's report, reading nothing for it but its own watch warm-up",
    async mode => {
      const replicas = await startReplicas(mode);
      const [a, b] = replicas.backends;
      const proxies = replicas.proxies;
      try {
        const fromA = await request(a.server).get(reportPath()).expect(200);
        expect(listsOf(proxies[0]).length).toBeGreaterThan(0);
        const fromB = await request(b.server).get(reportPath()).expect(200);
        expect(fromB.body.generatedAt).toBe(fromA.body.generatedAt);
        expect(fromB.body).toEqual(fromA.body);
        const bRequests = proxies[1].requests();
        const bLists = listsOf(proxies[1]);
        process.stderr.write(
          `[replicas, ${mode}] A: ${proxies[0].requests().length} requests (${
            listsOf(proxies[0]).length
          } LISTs); B: ${bRequests.length} requests (${
            bLists.length
          } LISTs) for the same report\n`,
        );
        const aLists = listsOf(proxies[0]).length;
        const paths = bLists.map(r => r.path.split('?')[0]);
        expect({
          lists: bLists.length,
          distinctLists: new Set(paths).size,
          watched: bRequests.some(r => r.path.includes('watch=1')),
          versionReads: bRequests.filter(r => r.path === '/version').length,
          other: bRequests.filter(
            r =>
              !r.list && !r.path.includes('watch=1') && r.path !== '/version',
          ).length,
        }).toEqual(
          mode === 'poll'
            ? // The report is in the shared cache under a key B computes without asking the cluster.
              {
                lists: 0,
                distinctLists: 0,
                watched: false,
                versionReads: 0,
                other: 0,
              }
            : // B starts its own watch (one LIST per collection, never a second) and then finds A's report.
              {
                lists: aLists,
                distinctLists: aLists,
                watched: true,
                versionReads: 1,
                other: 0,
              },
        );
      } finally {
        await replicas.stop();
      }
    },
  );
});
