import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { FleetSummary } from '@serving-health/plugin-serving-health-common';
import request from 'supertest';
import { unreachableClusterModule } from './__testUtils__/clusters';
import { servingHealthPlugin } from './plugin';

jest.setTimeout(120_000);

const ALICE = 'user:default/alice';

/**
 * The permission decisions of a portal policy: catalog reads conditional on ownership (the real catalog
 * applies the condition to its own query), serving-health reports decided per entity.
 */
function permissionsFor(reportAllowed: string[]) {
  return mockServices.permissions.mock({
    async authorizeConditional(requests, options) {
      const principal = options.credentials.principal as {
        type: string;
        userEntityRef?: string;
      };
      return requests.map(r =>
        r.permission.name === 'catalog.entity.read' && principal.type === 'user'
          ? createCatalogConditionalDecision(
              r.permission as ResourcePermission<'catalog-entity'>,
              catalogConditions.isEntityOwner({
                claims: principal.userEntityRef ? [principal.userEntityRef] : [],
              }),
            )
          : { result: AuthorizeResult.ALLOW },
      ) as any;
    },
    async authorize(requests) {
      return requests.map(r => ({
        result:
          r.permission.name !== 'servingHealth.report.read' ||
          reportAllowed.includes(String(r.resourceRef))
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      }));
    },
  });
}

const clusterModule = unreachableClusterModule('prod');

function endpoint(name: string, owner: string, reportOpen: boolean) {
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    serving.kserve.io/inferenceservice: models/${name}
  ${reportOpen ? 'labels:\n    serving-health/report: open' : 'labels: {}'}
spec:
  type: model-endpoint
  lifecycle: production
  owner: ${owner}
`;
}

describe('permissions: the real catalog applying ownership conditions, reports decided per entity', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sh-permissions-'));
  const catalogFile = path.join(dir, 'catalog-info.yaml');
  fs.writeFileSync(
    catalogFile,
    [
      endpoint('alice-open', ALICE, true),
      endpoint('alice-closed', ALICE, false),
      endpoint('bob-open', 'user:default/bob', true),
    ].join('---\n'),
  );
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function start() {
    const { server } = await startTestBackend({
      features: [
        servingHealthPlugin,
        clusterModule,
        catalogPlugin,
        permissionsFor(['component:default/alice-open', 'component:default/bob-open']).factory,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Component'] }],
              locations: [{ type: 'file', target: catalogFile }],
            },
          },
        }),
      ],
    });
    // The catalog ingests the file asynchronously; wait until it serves all three entities.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await request(server)
        .get('/api/catalog/entities/by-query?filter=kind=component')
        .set('Authorization', mockCredentials.service.header());
      if ((res.body.items ?? []).length === 3) break;
      if (Date.now() > deadline) throw new Error(`catalog not ready: ${res.status}`);
      await new Promise(r => setTimeout(r, 250));
    }
    return server;
  }

  it('lists in the fleet only entities the caller may read whose report the caller may read', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/serving-health/fleet')
      .set('Authorization', mockCredentials.user.header(ALICE));
    expect([res.status, res.body.error?.message]).toEqual([200, undefined]);
    const refs = (res.body as FleetSummary).entries.map(e => e.entityRef);
    // bob-open: hidden by the catalog condition (its report would be allowed); alice-closed: readable, but its
    // report is not.
    expect(refs).toEqual(['component:default/alice-open']);
  });

  it('answers 403 for a readable entity whose report is denied, and 404 for one the catalog hides', async () => {
    const server = await start();
    const auth = mockCredentials.user.header(ALICE);
    const open = await request(server)
      .get('/api/serving-health/entities/default/component/alice-open/report')
      .set('Authorization', auth);
    expect([open.status, open.body.error?.message]).toEqual([200, undefined]);
    expect(open.body.entityRef).toBe('component:default/alice-open');
    const closed = await request(server)
      .get('/api/serving-health/entities/default/component/alice-closed/report')
      .set('Authorization', auth);
    expect(closed.status).toBe(403);
    const hidden = await request(server)
      .get('/api/serving-health/entities/default/component/bob-open/report')
      .set('Authorization', auth);
    expect(hidden.status).toBe(404);
  });

  it('summarizes, of the refs asked, only entities the caller may read whose report the caller may read', async () => {
    const server = await start();
    const res = await request(server)
      .post('/api/serving-health/summaries')
      .set('Authorization', mockCredentials.user.header(ALICE))
      .send({
        entityRefs: [
          'component:default/alice-open',
          'component:default/alice-closed',
          'component:default/bob-open',
        ],
      });
    expect([res.status, res.body.error?.message]).toEqual([200, undefined]);
    expect((res.body as FleetSummary).entries.map(e => e.entityRef)).toEqual([
      'component:default/alice-open',
    ]);
  });
});
