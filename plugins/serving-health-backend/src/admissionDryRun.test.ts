import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TestEnv, startTestEnv } from '@internal/testenv';
import { TriageReport } from '@serving-health/plugin-serving-health-common';
import {
  createKubernetesClient,
  staticCredentials,
} from '@serving-health/plugin-serving-health-kube';
import request from 'supertest';
import { servingHealthPlugin } from './plugin';

jest.setTimeout(120_000);

const ISVC = '/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/fraud-detector';

function entity(cluster: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `fraud-detector-on-${cluster}`,
      namespace: 'default',
      annotations: {
        'serving.kserve.io/inferenceservice': 'models/fraud-detector',
        'backstage.io/kubernetes-cluster': cluster,
      },
    },
    spec: { type: 'model-endpoint', owner: 'team-ml', lifecycle: 'production' },
  };
}

describe('the opt-in admission.dry-run check against real API servers', () => {
  let healthy: TestEnv;
  let stale: TestEnv;
  let server: any;

  beforeAll(async () => {
    healthy = await startTestEnv({ scenario: 'healthy' });
    stale = await startTestEnv({ scenario: 'stale-webhook' });
    const cluster = (env: TestEnv) => ({
      name: env.name,
      url: env.url,
      authProvider: 'serviceAccount',
      // The testenv binds both shipped roles (reader and dry-run) to this identity.
      serviceAccountToken: env.tokens.reader,
      caData: Buffer.from(env.caData).toString('base64'),
    });
    ({ server } = await startTestBackend({
      features: [
        servingHealthPlugin,
        catalogServiceMock.factory({ entities: [entity(healthy.name), entity(stale.name)] }),
        mockServices.rootConfig.factory({
          data: {
            servingHealth: {
              clusters: [cluster(healthy), cluster(stale)],
              admissionDryRun: true,
              namespaceOwners: [{ namespace: '*', owners: ['group:default/team-ml'] }],
            },
          },
        }),
      ],
    }));
  });
  afterAll(async () => {
    await healthy?.stop();
    await stale?.stop();
  });

  const report = async (cluster: string): Promise<TriageReport> => {
    const res = await request(server).get(
      `/api/serving-health/entities/default/component/fraud-detector-on-${cluster}/report`,
    );
    expect(res.status).toBe(200);
    return res.body;
  };
  const resourceVersion = async (env: TestEnv) => {
    const client = createKubernetesClient({
      name: env.name,
      url: env.url,
      caData: env.caData,
      credentials: staticCredentials({ token: env.tokens.admin }),
    });
    const res = await client.request({ path: ISVC });
    return res.ok ? res.body.metadata.resourceVersion : undefined;
  };

  it('passes where every webhook a create meets is served, and persists nothing', async () => {
    const before = await resourceVersion(healthy);
    const r = await report(healthy.name);
    const check = r.checks.find(c => c.id === 'admission.dry-run')!;
    expect(check.status).toBe('pass');
    expect(await resourceVersion(healthy)).toBe(before);
    expect(r.overall).toBe('healthy');
  });

  it("fails with the API server's own denial when a stale webhook intercepts creates", async () => {
    const before = await resourceVersion(stale);
    const r = await report(stale.name);
    const check = r.checks.find(c => c.id === 'admission.dry-run')!;
    expect(check.status).toBe('fail');
    expect(check.failureMode).toBe('stale-webhook');
    expect(check.evidence[0].lines![0]).toBe(
      'Internal error occurred: failed calling webhook "validating.isvc.odh-model-controller.opendatahub.io": failed to call webhook: Post "https://odh-model-controller-webhook-service.opendatahub.svc:443/validate-serving-kserve-io-v1beta1-inferenceservice?timeout=10s": service "odh-model-controller-webhook-service" not found',
    );
    expect(await resourceVersion(stale)).toBe(before);
  });
});
