import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { KubeClient, useTestEnv } from '@internal/testenv';
import { ClusterKyvernoPolicies } from '@serving-health/plugin-serving-health-common';
import request from 'supertest';
import { testenvClusterConfig } from './__testUtils__/clusters';
import { servingHealthPlugin } from './plugin';

jest.setTimeout(120_000);

/**
 * The policies endpoint on a real kube-apiserver loaded with the kyverno-enforcement scenario (its own
 * ClusterPolicies and namespaced Policies, plus the healthy base's require-labels), read with the plugin's
 * reader identity through the snapshot.
 */
describe('GET /clusters/:cluster/kyverno-policies on a real cluster', () => {
  const env = useTestEnv({ scenario: 'kyverno-enforcement' });

  async function start() {
    const { server } = await startTestBackend({
      features: [
        servingHealthPlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.rootConfig.factory({
          data: {
            servingHealth: {
              clusters: testenvClusterConfig(env(), env().tokens.reader),
            },
          },
        }),
      ],
    });
    return server;
  }

  it("gives the ClusterPolicies and the namespace's Policies with the evaluator's fields only, redacted", async () => {
    // A policy whose message echoes a credential, as a careless author might write it: it must not reach a browser.
    const admin = new KubeClient(env().access('admin'));
    await admin.post('/apis/kyverno.io/v1/clusterpolicies', {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: {
        name: 'careless-message',
        annotations: {
          'pod-policies.kyverno.io/autogen-controllers': 'none',
          'policies.kyverno.io/description': 'kept out of the answer',
        },
      },
      spec: {
        validationFailureAction: 'Audit',
        rules: [
          {
            name: 'says-too-much',
            match: { any: [{ resources: { kinds: ['InferenceService'] } }] },
            validate: {
              message: 'ask ops, password: hunter2hunter2',
              pattern: { metadata: { labels: { team: '?*' } } },
            },
          },
        ],
      },
    });

    const server = await start();
    const res = await request(server).get(
      `/api/serving-health/clusters/${
        env().name
      }/kyverno-policies?namespace=team-b`,
    );
    expect(res.status).toBe(200);
    const body = res.body as ClusterKyvernoPolicies;
    expect(body).toMatchObject({
      cluster: env().name,
      namespace: 'team-b',
      notEvaluated: [],
    });
    // The API server labels every namespace with its name: namespaceSelectors can match on it.
    expect(body.namespaceLabels).toMatchObject({
      'kubernetes.io/metadata.name': 'team-b',
    });
    const names = body.policies.map(
      p => `${p.kind}/${p.metadata.namespace ?? ''}/${p.metadata.name}`,
    );
    expect(names.sort()).toEqual([
      'ClusterPolicy//careless-message',
      'ClusterPolicy//require-data-classification',
      'ClusterPolicy//require-labels',
      'ClusterPolicy//require-model-card',
      // models-fleet's copy of require-oncall acts in models-fleet only: not asked for.
      'Policy/team-b/require-oncall',
    ]);
    const classification = body.policies.find(
      p => p.metadata.name === 'require-data-classification',
    )!;
    // Exactly what the evaluator reads: no status, no managedFields, no annotations it does not use.
    expect(Object.keys(classification).sort()).toEqual([
      'apiVersion',
      'kind',
      'metadata',
      'spec',
    ]);
    expect(classification.metadata).toEqual({
      name: 'require-data-classification',
    });
    expect(Object.keys(classification.spec).sort()).toEqual([
      'background',
      'rules',
      'validationFailureAction',
    ]);
    expect(classification.spec.rules[0].validate.failureAction).toBe('Enforce');
    const careless = body.policies.find(
      p => p.metadata.name === 'careless-message',
    )!;
    expect(careless.metadata.annotations).toEqual({
      'pod-policies.kyverno.io/autogen-controllers': 'none',
    });
    expect(careless.spec.rules[0].validate.message).toBe(
      'ask ops, password: [REDACTED]',
    );
    expect(JSON.stringify(body)).not.toContain('hunter2');

    // Without a namespace: ClusterPolicies only.
    const clusterWide = await request(server).get(
      `/api/serving-health/clusters/${env().name}/kyverno-policies`,
    );
    expect(clusterWide.status).toBe(200);
    expect(
      (clusterWide.body as ClusterKyvernoPolicies).policies.every(
        p => p.kind === 'ClusterPolicy',
      ),
    ).toBe(true);
    expect(clusterWide.body.namespace).toBeUndefined();
  });
});
