import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { unreachableClusterModule } from '../__testUtils__/clusters';
import { connectMcpClient, mcpActionsFeatures } from '../__testUtils__/mcp';
import { servingHealthPlugin } from '../plugin';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'fraud',
    namespace: 'default',
    annotations: {
      'serving.kserve.io/inferenceservice': 'models/fraud',
      'backstage.io/kubernetes-cluster': 'nowhere',
    },
  },
  spec: { type: 'model-endpoint', owner: 'ml', lifecycle: 'production' },
};

/** The portal's MCP endpoint, as an assistant connects to it: the MCP actions backend over streamable HTTP. */
async function mcpClient(
  permission: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
) {
  const { server } = await startTestBackend({
    features: [
      servingHealthPlugin,
      unreachableClusterModule('nowhere'),
      ...mcpActionsFeatures,
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.permissions.factory({ result: permission }),
      mockServices.rootConfig.factory({
        data: {
          backend: { actions: { pluginSources: ['serving-health'] } },
          servingHealth: { schedule: { enabled: false } },
        },
      }),
    ],
  });
  const client = await connectMcpClient(server);
  return client;
}

describe('actions for AI assistants, through the MCP actions backend', () => {
  it('lists both actions with their input schemas', async () => {
    const client = await mcpClient(AuthorizeResult.ALLOW);
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map(t => [t.name, t]));
    expect(
      byName['serving-health.get-serving-health-report'].inputSchema,
    ).toMatchObject({ required: ['entityRef'] });
    expect(
      byName['serving-health.validate-serving-health-manifests'].inputSchema,
    ).toMatchObject({ required: ['files'] });
    await client.close();
  });

  it('refuses the report to a caller without servingHealth.report.read', async () => {
    const client = await mcpClient(AuthorizeResult.DENY);
    const answer = await client.callTool({
      name: 'serving-health.get-serving-health-report',
      arguments: { entityRef: 'component:default/fraud' },
    });
    expect(answer.isError).toBe(true);
    expect(JSON.stringify(answer.content)).toContain(
      'Not allowed to read the serving-health report of component:default/fraud',
    );
    await client.close();
  });

  it('names a label near miss in manifests, and says clean when there is none', async () => {
    const client = await mcpClient(AuthorizeResult.ALLOW);
    const manifest = (labels: string) => `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: fraud
  namespace: models
  labels: {${labels}}
`;
    const bad = await client.callTool({
      name: 'serving-health.validate-serving-health-manifests',
      arguments: {
        files: [
          {
            path: 'isvc.yaml',
            content: manifest('owner: team-risk, costCenter: cc-1'),
          },
        ],
      },
    });
    expect(bad.structuredContent).toMatchObject({
      clean: false,
      violations: expect.arrayContaining([
        expect.objectContaining({
          file: 'isvc.yaml',
          hint: expect.stringContaining('cost-center'),
        }),
      ]),
    });
    const good = await client.callTool({
      name: 'serving-health.validate-serving-health-manifests',
      arguments: {
        files: [
          {
            path: 'isvc.yaml',
            content: manifest('owner: team-risk, cost-center: cc-1'),
          },
        ],
      },
    });
    expect(good.structuredContent).toMatchObject({
      clean: true,
      violations: [],
    });
    await client.close();
  });

  it('refuses validation to a caller without servingHealth.manifests.validate', async () => {
    const client = await mcpClient(AuthorizeResult.DENY);
    const answer = await client.callTool({
      name: 'serving-health.validate-serving-health-manifests',
      arguments: { files: [{ path: 'isvc.yaml', content: 'kind: Namespace' }] },
    });
    expect(answer.isError).toBe(true);
    expect(JSON.stringify(answer.content)).toContain(
      'Not allowed to validate manifests: servingHealth.manifests.validate is not granted',
    );
    await client.close();
  });
});
