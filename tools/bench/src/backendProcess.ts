/*
 * The backend under test, in its own process so that its RSS is measured
 * alone: the serving-health plugin and Backstage's Kubernetes plugin, with the
 * catalog, permissions and auth mocked (startTestBackend), listening on
 * 127.0.0.1 only. Started by backend.ts with one argument: a JSON file of
 * { port, config, entities }. Reports { ready, ms } over IPC; stops when the
 * parent disconnects.
 */
import fs from 'node:fs';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { discoveryServiceFactory } from '@backstage/backend-defaults/discovery';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { servingHealthPlugin } from '@serving-health/plugin-serving-health-backend';

export interface BackendInput {
  port: number;
  config: Record<string, unknown>;
  entities: unknown[];
}

async function run() {
  const started = Date.now();
  const input: BackendInput = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const backend = await startTestBackend({
    features: [
      servingHealthPlugin,
      import('@backstage/plugin-kubernetes-backend'),
      catalogServiceMock.factory({ entities: input.entities as any[] }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootLogger.factory({ level: 'warn' }),
      mockServices.rootConfig.factory({
        data: {
          ...input.config,
          backend: {
            baseUrl: `http://127.0.0.1:${input.port}`,
            listen: { host: '127.0.0.1', port: input.port },
          },
        },
      }),
      // startTestBackend's own router listens on every interface; this one on loopback only.
      rootHttpRouterServiceFactory,
      discoveryServiceFactory,
    ],
  });
  const stop = async () => {
    await backend.stop().catch(() => {});
    process.exit(0);
  };
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.send!({ ready: true, ms: Date.now() - started });
}

run().catch(e => {
  process.stderr.write(`bench backend failed to start: ${e?.stack ?? e}\n`);
  process.exit(1);
});
