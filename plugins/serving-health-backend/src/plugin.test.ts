import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  TriageCheck,
  TriageReport,
} from '@serving-health/plugin-serving-health-common';
import {
  servingHealthChecksExtensionPoint,
  servingHealthClusterSupplierExtensionPoint,
  servingHealthReportStoreExtensionPoint,
} from '@serving-health/plugin-serving-health-node';
import request from 'supertest';
import { unreachableClusterSupplier } from './__testUtils__/clusters';
import { servingHealthPlugin } from './plugin';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'fraud',
    namespace: 'default',
    annotations: {
      'serving.kserve.io/inferenceservice': 'models/fraud',
      'backstage.io/kubernetes-cluster': 'from-module',
    },
  },
  spec: { type: 'model-endpoint', owner: 'ml', lifecycle: 'production' },
};

const REPORT_PATH =
  '/api/serving-health/entities/default/component/fraud/report';

const check = (id: string): TriageCheck => ({
  id,
  stage: 'environment',
  title: `Check ${id}`,
  run: () => ({ status: 'pass', summary: 'fine', evidence: [] }),
});

function moduleWith(
  moduleId: string,
  init: (eps: {
    checks: typeof servingHealthChecksExtensionPoint.T;
    clusters: typeof servingHealthClusterSupplierExtensionPoint.T;
    reports: typeof servingHealthReportStoreExtensionPoint.T;
  }) => void,
) {
  return createBackendModule({
    pluginId: 'serving-health',
    moduleId,
    register(reg) {
      reg.registerInit({
        deps: {
          checks: servingHealthChecksExtensionPoint,
          clusters: servingHealthClusterSupplierExtensionPoint,
          reports: servingHealthReportStoreExtensionPoint,
        },
        async init(eps) {
          init(eps);
        },
      });
    },
  });
}

const unreachableSupplier = unreachableClusterSupplier('from-module');

function backendWith(...modules: ReturnType<typeof createBackendModule>[]) {
  return startTestBackend({
    features: [
      servingHealthPlugin,
      ...modules,
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootConfig.factory({ data: {} }),
    ],
  });
}

describe('serving-health extension points', () => {
  it('uses the cluster supplier a module sets instead of the configured clusters', async () => {
    const { server } = await backendWith(
      moduleWith('clusters', ({ clusters }) =>
        clusters.setClusterSupplier(unreachableSupplier),
      ),
    );
    const res = await request(server).get(REPORT_PATH);
    expect(res.status).toBe(200);
    const report = res.body as TriageReport;
    expect(report.target.cluster).toBe('from-module');
    expect(report.checks.find(c => c.id === 'cluster.reachable')).toMatchObject(
      { status: 'error' },
    );
  });

  it('lets a supplier factory wrap the default one', async () => {
    let defaultNames: string[] = [];
    const { server } = await backendWith(
      moduleWith('clusters', ({ clusters }) =>
        clusters.setClusterSupplier(async ({ getDefault }) => {
          const configured = await getDefault();
          defaultNames = (await configured.getClusters()).map(c => c.name);
          return {
            getClusters: async () => [
              ...(await configured.getClusters()),
              ...(await unreachableSupplier.getClusters()),
            ],
          };
        }),
      ),
    );
    const res = await request(server).get(REPORT_PATH);
    expect(defaultNames).toEqual([]);
    expect(res.status).toBe(200);
    expect(res.body.target.cluster).toBe('from-module');
  });

  it('keeps finished reports in the report store a module sets', async () => {
    const stored = new Map<string, TriageReport>();
    const { server } = await backendWith(
      moduleWith('clusters', ({ clusters }) =>
        clusters.setClusterSupplier(unreachableSupplier),
      ),
      moduleWith('store', ({ reports }) =>
        reports.setReportStore({
          get: async key => stored.get(`${key.scope}|${key.entityRef}`),
          set: async (key, report) => {
            stored.set(`${key.scope}|${key.entityRef}`, report);
          },
        }),
      ),
    );
    await request(server).get(REPORT_PATH).expect(200);
    // Scope `shared`, then the version of the watched snapshot the report was made from.
    const keys = [...stored.keys()];
    expect(keys).toEqual([expect.stringMatching(/^shared@[0-9a-f]+:unreachable:\|component:default\/fraud$/)]);
    // The next request is served from the store: what the store holds is what the caller gets.
    stored.set(keys[0], { ...stored.get(keys[0])!, generatedAt: 'from-the-store' });
    const again = await request(server).get(REPORT_PATH);
    expect(again.body.generatedAt).toBe('from-the-store');
  });

  it('runs a check a module adds, in its stage', async () => {
    const { server } = await backendWith(
      moduleWith('clusters', ({ clusters }) =>
        clusters.setClusterSupplier(unreachableSupplier),
      ),
      moduleWith('extra-check', ({ checks }) => checks.addCheck(check('extra.check'))),
    );
    const res = await request(server).get(REPORT_PATH);
    const ids = (res.body as TriageReport).checks.map(c => c.id);
    expect(ids).toContain('extra.check');
    expect(ids.indexOf('extra.check')).toBeLessThan(ids.indexOf('kserve.crds'));
  });

  it('refuses a check whose id is already registered, naming it', async () => {
    await expect(
      backendWith(
        moduleWith('dup', ({ checks }) => checks.addCheck(check('kserve.crds'))),
      ),
    ).rejects.toThrow("A serving-health check with id 'kserve.crds' is already registered");
  });

  it('refuses a second cluster supplier', async () => {
    await expect(
      backendWith(
        moduleWith('a', ({ clusters }) => clusters.setClusterSupplier(unreachableSupplier)),
        moduleWith('b', ({ clusters }) => clusters.setClusterSupplier(unreachableSupplier)),
      ),
    ).rejects.toThrow('The serving-health cluster supplier was already set by another module');
  });
});
