import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import {
  signalsServiceRef,
  SignalPayload,
} from '@backstage/plugin-signals-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { takeKserveWebhookOffline, useTestEnv } from '@internal/testenv';
import {
  FleetHistory,
  servingHealthClusterChannel,
  servingHealthReportChannel,
} from '@serving-health/plugin-serving-health-common';
import request from 'supertest';
import { testenvClusterConfig } from './__testUtils__/clusters';
import { connectMcpClient, mcpActionsFeatures } from './__testUtils__/mcp';
import { servingHealthPlugin } from './plugin';

jest.setTimeout(120_000);

const ENTITY = 'component:default/fraud-detector';
const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'fraud-detector',
      namespace: 'default',
      annotations: {
        'serving.kserve.io/inferenceservice': 'models/fraud-detector',
        'argocd/app-name': 'fraud-detector',
        'backstage.io/kubernetes-cluster': 'healthy',
      },
    },
    spec: {
      type: 'model-endpoint',
      lifecycle: 'production',
      owner: 'group:default/team-risk',
    },
  },
];

/** The notifications and signals backends' side of the two services: what the plugin handed them. */
const sent: NotificationSendOptions[] = [];
const published: SignalPayload[] = [];
const recordingNotifications = createServiceFactory({
  service: notificationService,
  deps: {},
  factory: () => ({
    send: async (options: NotificationSendOptions) => {
      sent.push(options);
    },
  }),
});
const recordingSignals = createServiceFactory({
  service: signalsServiceRef,
  deps: {},
  factory: () => ({
    publish: async (payload: SignalPayload) => {
      published.push(payload);
    },
  }),
});

async function waitFor<T>(
  what: string,
  read: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 200));
  }
}

describe('continuous triage of a real cluster', () => {
  const env = useTestEnv({ scenario: 'healthy' });

  it('records the transition a cluster change makes, notifies the owner once, signals the tab, and answers an MCP client', async () => {
    const { server } = await startTestBackend({
      features: [
        servingHealthPlugin,
        ...mcpActionsFeatures,
        schedulerServiceFactory,
        recordingNotifications,
        recordingSignals,
        catalogServiceMock.factory({ entities }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.rootConfig.factory({
          data: {
            backend: { actions: { pluginSources: ['serving-health'] } },
            servingHealth: {
              clusters: testenvClusterConfig(env(), env().tokens.reader),
              // The scenario's namespace is team-risk's, as the demo's config gives it: an unbound endpoint is unknown.
              namespaceOwners: [
                { namespace: 'models', owners: ['group:default/team-risk'] },
              ],
              snapshotTtlSeconds: 1,
              schedule: {
                frequency: { seconds: 1 },
                timeout: { seconds: 30 },
                initialDelay: { seconds: 0 },
              },
              notifications: { enabled: true },
            },
          },
        }),
      ],
    });
    const fleetHistory = async () =>
      (await request(server).get('/api/serving-health/fleet/history'))
        .body as FleetHistory;

    const healthy = await waitFor('the first fleet triage', async () =>
      (
        await fleetHistory()
      ).states.find(s => s.entityRef === ENTITY && s.overall === 'healthy'),
    );
    expect(sent).toEqual([]);

    // The change: KServe's webhook Service loses its only ready endpoint.
    const changedAt = Date.now();
    const change = await takeKserveWebhookOffline(env().access('admin'));

    // Open tabs hear of the change at once from the watched cluster, before any scheduled run records it.
    const clusterSignal = await waitFor('the cluster signal', async () =>
      published.find(
        p =>
          p.channel === servingHealthClusterChannel(env().name) &&
          Date.parse((p.message as any).at) >= changedAt,
      ),
    );
    // eslint-disable-next-line no-console
    console.log(
      `cluster change -> cluster signal: ${
        Date.parse((clusterSignal.message as any).at) - changedAt
      } ms`,
    );
    expect(clusterSignal).toMatchObject({
      recipients: { type: 'broadcast' },
      message: { cluster: env().name },
    });

    const failing = await waitFor('the failing transition', async () =>
      (
        await fleetHistory()
      ).transitions.find(
        t => t.entityRef === ENTITY && t.kind === 'started-failing',
      ),
    );
    const msToTransition = Date.parse(failing.at) - changedAt;
    // eslint-disable-next-line no-console
    console.log(`cluster change -> stored transition: ${msToTransition} ms`);
    expect(failing).toMatchObject({
      from: 'healthy',
      to: 'failing',
      added: ['webhook-no-endpoints'],
      cluster: 'healthy',
    });
    const state = (await fleetHistory()).states.find(
      s => s.entityRef === ENTITY,
    )!;
    expect(state.since).toBe(failing.at);
    expect(Date.parse(state.since)).toBeGreaterThan(Date.parse(healthy.since));

    await waitFor('the notification', async () => sent[0]);
    expect(sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: 'group:default/team-risk' },
        payload: expect.objectContaining({
          title: expect.stringContaining(
            'KServe webhook has no ready endpoints',
          ),
          link: '/catalog/default/component/fraud-detector/serving-health',
          severity: 'high',
        }),
      },
    ]);
    expect(published).toContainEqual({
      recipients: { type: 'broadcast' },
      channel: servingHealthReportChannel(ENTITY),
      message: { entityRef: ENTITY, at: failing.at },
    });
    // Later runs see the same state: no new transition, no second notification.
    await new Promise(r => setTimeout(r, 2500));
    expect(sent).toHaveLength(1);

    // An AI assistant asks why, through the MCP actions backend.
    const client = await connectMcpClient(server);
    const { tools } = await client.listTools();
    expect(tools.map(t => t.name)).toEqual(
      expect.arrayContaining([
        'serving-health.get-serving-health-report',
        'serving-health.validate-serving-health-manifests',
      ]),
    );
    const answer = await client.callTool({
      name: 'serving-health.get-serving-health-report',
      arguments: { entityRef: ENTITY },
    });
    // eslint-disable-next-line no-console
    console.log(`MCP answer: ${JSON.stringify(answer).slice(0, 1500)}`);
    const report = answer.structuredContent as any;
    expect(report).toMatchObject({
      entityRef: ENTITY,
      overall: 'failing',
      failureModes: [{ id: 'webhook-no-endpoints' }],
      since: failing.at,
    });
    expect(report.findings[0]).toMatchObject({
      check: 'kserve.webhook-endpoints',
      status: 'fail',
      fix: expect.arrayContaining([
        expect.objectContaining({
          command: expect.stringContaining('kubectl'),
        }),
      ]),
    });
    await client.close();

    // The endpoint comes back: a recovery, notified once more.
    await change.restore();
    const recovered = await waitFor('the recovery', async () =>
      (
        await fleetHistory()
      ).transitions.find(t => t.entityRef === ENTITY && t.kind === 'recovered'),
    );
    expect(recovered.cleared).toEqual(['webhook-no-endpoints']);
    await waitFor('the recovery notification', async () => sent[1]);
    expect(sent[1].payload).toMatchObject({
      title: expect.stringContaining('recovered'),
      severity: 'normal',
    });
  });
});
