import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { FleetSummary } from '@serving-health/plugin-serving-health-common';
import { servingHealthReportStoreExtensionPoint } from '@serving-health/plugin-serving-health-node';
import request from 'supertest';
import { unreachableClusterModule } from './__testUtils__/clusters';
import { servingHealthPlugin } from './plugin';

const endpoint = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'serving.kserve.io/inferenceservice': `models/${name}` },
  },
  spec: { type: 'model-endpoint', owner: 'ml', lifecycle: 'production' },
});

const notAnEndpoint: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'website', namespace: 'default' },
  spec: { type: 'website', owner: 'ml', lifecycle: 'production' },
};

const clusterModule = unreachableClusterModule('prod');

async function start(...extra: ReturnType<typeof createBackendModule>[]) {
  const { server } = await startTestBackend({
    features: [
      servingHealthPlugin,
      clusterModule,
      ...extra,
      catalogServiceMock.factory({
        entities: [endpoint('fraud'), endpoint('churn'), notAnEndpoint],
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootConfig.factory({ data: {} }),
    ],
  });
  return server;
}

describe('serving-health routes and credentials', () => {
  it('answers /health without credentials', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/serving-health/health')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers 401 to /report and /fleet without credentials, and 200 with a user', async () => {
    const server = await start();
    const report =
      '/api/serving-health/entities/default/component/fraud/report';
    for (const route of [report, '/api/serving-health/fleet']) {
      const anonymous = await request(server)
        .get(route)
        .set('Authorization', mockCredentials.none.header());
      expect([route, anonymous.status]).toEqual([route, 401]);
      const user = await request(server)
        .get(route)
        .set('Authorization', mockCredentials.user.header());
      expect([route, user.status]).toEqual([route, 200]);
    }
  });

  it('keeps the fleet answering when one entity fails, naming the error on that entry only', async () => {
    // A report store that fails for one entity: the fleet's per-entity error branch.
    const failingStore = createBackendModule({
      pluginId: 'serving-health',
      moduleId: 'failing-store',
      register(reg) {
        reg.registerInit({
          deps: { reports: servingHealthReportStoreExtensionPoint },
          async init({ reports }) {
            reports.setReportStore({
              async get(key) {
                if (key.entityRef === 'component:default/churn') {
                  throw new Error('report store unavailable for churn');
                }
                return undefined;
              },
              async set() {},
            });
          },
        });
      },
    });
    const server = await start(failingStore);
    const res = await request(server)
      .get('/api/serving-health/fleet')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    const entries = (res.body as FleetSummary).entries;
    expect(entries.map(e => [e.entityRef, e.overall, e.error])).toEqual([
      [
        'component:default/churn',
        'unknown',
        'report store unavailable for churn',
      ],
      ['component:default/fraud', 'unknown', undefined],
    ]);
    // fraud's own report was made (its cluster is unreachable, which the report says), not replaced by an error.
    expect(entries[1].cluster).toBe('prod');
    // spec.owner 'ml' is read as the catalog reads it, on the failed entry too: the fleet page filters by it.
    expect(entries.map(e => e.owner)).toEqual([
      'group:default/ml',
      'group:default/ml',
    ]);
  });

  describe('POST /summaries', () => {
    const post = (server: Awaited<ReturnType<typeof start>>, body: unknown) =>
      request(server)
        .post('/api/serving-health/summaries')
        .set('Authorization', mockCredentials.user.header())
        .send(body as object);

    it('summarizes the model endpoints among the refs in one answer, in the order asked, leaving out the rest', async () => {
      const server = await start();
      const res = await post(server, {
        entityRefs: [
          'component:default/fraud',
          'component:default/website',
          'component:default/no-such-entity',
          'Component:default/churn',
          'component:default/fraud',
        ],
      });
      expect(res.status).toBe(200);
      expect(
        (res.body as FleetSummary).entries.map(e => [e.entityRef, e.cluster]),
      ).toEqual([
        ['component:default/fraud', 'prod'],
        ['component:default/churn', 'prod'],
      ]);
    });

    it('answers 401 without credentials', async () => {
      const server = await start();
      const res = await request(server)
        .post('/api/serving-health/summaries')
        .set('Authorization', mockCredentials.none.header())
        .send({ entityRefs: ['component:default/fraud'] });
      expect(res.status).toBe(401);
    });

    it.each([
      [{}, "Invalid body 'entityRefs': Required"],
      [{ entityRefs: [] }, "Invalid body 'entityRefs'"],
      [
        { entityRefs: ['component:default/fraud', 'fraud'] },
        "Invalid body 'entityRefs.1': 'fraud' is not an entity ref of the form kind:namespace/name",
      ],
      [
        { entityRefs: ['component:default/a b'] },
        "Invalid body 'entityRefs.0': 'component:default/a b' is not an entity ref",
      ],
      [
        {
          entityRefs: Array.from(
            { length: 101 },
            (_, i) => `component:default/e${i}`,
          ),
        },
        "Invalid body 'entityRefs': Array must contain at most 100 element(s)",
      ],
    ])('answers 400 naming what is wrong for %j', async (body, message) => {
      const server = await start();
      const res = await post(server, body);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(message);
    });
  });
});

describe('history routes', () => {
  /** Users get `permission`; the plugin's own service principal is allowed, as the real permission client does. */
  async function startWithHistory(
    permission:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY
      | ((entityRef: string) => AuthorizeResult.ALLOW | AuthorizeResult.DENY),
  ) {
    const { server } = await startTestBackend({
      features: [
        servingHealthPlugin,
        clusterModule,
        catalogServiceMock.factory({
          entities: [endpoint('fraud'), endpoint('churn')],
        }),
        mockServices.permissions.mock({
          authorize: async (requests, { credentials }) =>
            requests.map(r => {
              const ref = (r as { resourceRef?: string }).resourceRef!;
              const decided =
                typeof permission === 'function' ? permission(ref) : permission;
              return {
                result:
                  (credentials.principal as { type: string }).type === 'service'
                    ? AuthorizeResult.ALLOW
                    : decided,
              };
            }),
        }).factory,
        mockServices.rootConfig.factory({ data: {} }),
        // The fleet triage runs once at startup: both entities recorded (unknown: the cluster is unreachable).
        mockServices.scheduler.factory({
          includeInitialDelayedTasksOnStartup: true,
        }),
      ],
    });
    return server;
  }
  const history =
    '/api/serving-health/entities/default/component/fraud/history';

  it("serves an entity's recorded state and transitions, and the fleet's", async () => {
    const server = await startWithHistory(AuthorizeResult.ALLOW);
    const res = await request(server).get(history);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      state: { entityRef: 'component:default/fraud', overall: 'unknown' },
      transitions: [{ from: null, to: 'unknown', kind: 'changed' }],
    });
    const fleet = await request(server).get(
      '/api/serving-health/fleet/history?limit=1',
    );
    expect(fleet.status).toBe(200);
    expect(fleet.body.states.map((s: any) => s.entityRef)).toEqual([
      'component:default/churn',
      'component:default/fraud',
    ]);
    expect(fleet.body.transitions).toHaveLength(1);
  });

  it('answers 401 without credentials, 404 for an unknown entity, 400 for a bad limit', async () => {
    const server = await startWithHistory(AuthorizeResult.ALLOW);
    const anonymous = await request(server)
      .get(history)
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    expect(
      (
        await request(server).get(
          '/api/serving-health/entities/default/component/nope/history',
        )
      ).status,
    ).toBe(404);
    const bad = await request(server).get(`${history}?limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("Invalid query parameter 'limit'");
  });

  it("counts the fleet history's limit in transitions the caller may read", async () => {
    // Whichever of the two entities was recorded last, a caller who may read only one gets its transition.
    for (const only of ['component:default/fraud', 'component:default/churn']) {
      const server = await startWithHistory(ref =>
        ref === only ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      );
      const fleet = await request(server).get(
        '/api/serving-health/fleet/history?limit=1',
      );
      expect(fleet.status).toBe(200);
      expect({
        only,
        states: fleet.body.states.map((s: any) => s.entityRef),
        transitions: fleet.body.transitions.map((t: any) => t.entityRef),
      }).toEqual({ only, states: [only], transitions: [only] });
    }
  });

  it('shows a caller without servingHealth.report.read no history, of the entity or in the fleet', async () => {
    const server = await startWithHistory(AuthorizeResult.DENY);
    expect((await request(server).get(history)).status).toBe(403);
    const fleet = await request(server).get(
      '/api/serving-health/fleet/history',
    );
    // The scheduler recorded both entities; the caller sees neither.
    expect(fleet.body).toEqual({ states: [], transitions: [] });
    const service = await request(server)
      .get('/api/serving-health/fleet/history')
      .set('Authorization', mockCredentials.service.header());
    expect(service.body.states).toHaveLength(2);
  });
});

describe('GET /clusters/:cluster/kyverno-policies', () => {
  const route = (cluster: string, query = '') =>
    `/api/serving-health/clusters/${cluster}/kyverno-policies${query}`;

  /** Decides servingHealth.policies.read as given, every other permission allowed. */
  async function startDeciding(policiesRead: AuthorizeResult) {
    const { server } = await startTestBackend({
      features: [
        servingHealthPlugin,
        clusterModule,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.permissions.mock({
          async authorize(requests) {
            return requests.map(r => ({
              result:
                r.permission.name === 'servingHealth.policies.read'
                  ? policiesRead
                  : AuthorizeResult.ALLOW,
            })) as any;
          },
        }).factory,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    return server;
  }

  it('answers 401 without credentials and 403 NotAllowedError without servingHealth.policies.read', async () => {
    const denied = await startDeciding(AuthorizeResult.DENY);
    const anonymous = await request(denied)
      .get(route('prod'))
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    const user = await request(denied).get(route('prod'));
    expect(user.status).toBe(403);
    expect(user.body.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('servingHealth.policies.read'),
    });
  });

  it('answers 400 InputError for a malformed cluster or namespace, 404 for a cluster not configured, 503 for one it cannot read', async () => {
    const server = await startDeciding(AuthorizeResult.ALLOW);
    const malformed = await request(server).get(route('-prod'));
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining("Invalid path parameter 'cluster'"),
    });
    const badNamespace = await request(server).get(
      route('prod', '?namespace=Not_A_Namespace'),
    );
    expect(badNamespace.status).toBe(400);
    expect(badNamespace.body.error.message).toContain(
      "Invalid query parameter 'namespace'",
    );
    const unknown = await request(server).get(route('staging'));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({
      name: 'NotFoundError',
      message: "Cluster 'staging' is not configured (known: prod)",
    });
    // prod is configured but nothing listens: no verdict may be made from policies that were not read.
    const unreachable = await request(server).get(route('prod'));
    expect(unreachable.status).toBe(503);
    expect(unreachable.body.error.message).toContain(
      "The Kyverno ClusterPolicies of cluster 'prod' could not be read",
    );
  });
});
