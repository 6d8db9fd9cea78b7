/*
 * The backend under test, in its own process so that its RSS is measured
 * alone: the serving-health plugin and Backstage's Kubernetes plugin, with the
 * catalog, permissions and auth mocked as in startTestBackend, but with the
 * real root HTTP router listening on 127.0.0.1 only (startTestBackend's binds
 * every interface and cannot be replaced). Started by backend.ts with one
 * argument: a JSON file of { port, config, entities }. Reports { ready, ms }
 * over IPC; stops when the parent disconnects.
 */
import fs from 'node:fs';
import { createSpecializedBackend } from '@backstage/backend-app-api';
import { discoveryServiceFactory } from '@backstage/backend-defaults/discovery';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import {
  actionsRegistryServiceMock,
  actionsServiceMock,
  metricsServiceMock,
  tracingServiceMock,
} from '@backstage/backend-test-utils/alpha';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
// The bench is a backend of its own: it runs the plugin as packages/backend does.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import servingHealthPlugin from '@serving-health/plugin-serving-health-backend';

export interface BackendInput {
  port: number;
  config: Record<string, unknown>;
  entities: unknown[];
}

/**
 * The in-memory catalog of the test utilities, with entity lookups by ref answered from an index: its own
 * getEntityByRef indexes every entity on each call, which at ten thousand entities costs more than the report
 * it serves. A real catalog answers from a database index.
 */
function indexedCatalog(entities: Entity[]) {
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () => {
      const client = catalogServiceMock({ entities });
      const byRef = new Map(
        entities.map(e => [
          stringifyEntityRef(e).toLocaleLowerCase('en-US'),
          e,
        ]),
      );
      return Object.assign(client, {
        async getEntityByRef(
          ref: string | { kind: string; namespace?: string; name: string },
        ) {
          const key = (
            typeof ref === 'string' ? ref : stringifyEntityRef(ref)
          ).toLocaleLowerCase('en-US');
          return byRef.get(key);
        },
      });
    },
  });
}

async function run() {
  const started = Date.now();
  const input: BackendInput = JSON.parse(
    fs.readFileSync(process.argv[2], 'utf8'),
  );
  const backend = createSpecializedBackend({
    defaultServiceFactories: [
      mockServices.rootConfig.factory({
        data: {
          ...input.config,
          backend: {
            baseUrl: `http://127.0.0.1:${input.port}`,
            listen: { host: '127.0.0.1', port: input.port },
          },
        },
      }),
      rootHttpRouterServiceFactory,
      discoveryServiceFactory,
      mockServices.rootLogger.factory({ level: 'warn' }),
      mockServices.auth.factory(),
      mockServices.auditor.factory(),
      mockServices.cache.factory(),
      mockServices.database.factory(),
      // Requests without a token are the mock user, as in startTestBackend.
      mockServices.httpAuth.factory(),
      mockServices.httpRouter.factory(),
      mockServices.lifecycle.factory(),
      mockServices.logger.factory(),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.permissionsRegistry.factory(),
      mockServices.rootHealth.factory(),
      mockServices.rootLifecycle.factory(),
      mockServices.scheduler.factory(),
      mockServices.userInfo.factory(),
      mockServices.urlReader.factory(),
      mockServices.events.factory(),
      actionsRegistryServiceMock.factory(),
      actionsServiceMock.factory(),
      metricsServiceMock.factory(),
      tracingServiceMock.factory(),
    ],
  });
  backend.add(servingHealthPlugin);
  backend.add(kubernetesPlugin);
  backend.add(indexedCatalog(input.entities as Entity[]));
  await backend.start();
  const stop = async () => {
    await backend.stop().catch(() => {});
    process.exit(0);
  };
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  // The bench asks for the live heap: what is left after a full collection, beside the RSS it reads from /proc.
  process.on('message', (m: any) => {
    if (m?.memory) {
      (global as { gc?: () => void }).gc?.();
      process.send!({ memory: process.memoryUsage() });
    }
  });
  process.send!({ ready: true, ms: Date.now() - started });
}

run().catch(e => {
  process.stderr.write(`bench backend failed to start: ${e?.stack ?? e}\n`);
  process.exit(1);
});
