import { mockCredentials } from '@backstage/backend-test-utils';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** What a test backend needs to serve the plugin's actions to MCP clients, as a portal does. */
export const mcpActionsFeatures = [
  mcpActionsPlugin,
  actionsRegistryServiceFactory,
  actionsServiceFactory,
];

/** An MCP client connected to the test backend's MCP actions endpoint over streamable HTTP, as a user. */
export async function connectMcpClient(server: {
  port(): number;
}): Promise<Client> {
  const client = new Client({ name: 'serving-health-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(
      new URL(`http://localhost:${server.port()}/api/mcp-actions/v1`),
      {
        requestInit: {
          headers: { Authorization: mockCredentials.user.header() },
        },
      },
    ),
  );
  return client;
}
