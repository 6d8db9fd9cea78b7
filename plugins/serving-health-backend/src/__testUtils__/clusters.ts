import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import fs from 'node:fs';
import path from 'node:path';
import {
  KubeProxy,
  startKubeProxy,
  testEnvServingCert,
} from '@internal/fault-proxy';
import { listScenarios, TestEnv } from '@internal/testenv';
import { parseAllDocuments } from 'yaml';
import { staticCredentials } from '@serving-health/plugin-serving-health-kube';
import {
  ServingHealthClusterSupplier,
  servingHealthClusterSupplierExtensionPoint,
} from '@serving-health/plugin-serving-health-node';

/** A cluster nothing listens on: its reports come back with cluster.reachable in error, no API server needed. */
export function unreachableClusterSupplier(
  name: string,
): ServingHealthClusterSupplier {
  return {
    getClusters: async () => [
      {
        name,
        authScope: 'server',
        connection: () => ({
          name,
          url: 'https://127.0.0.1:1',
          credentials: staticCredentials({}),
          timeoutMs: 500,
        }),
      },
    ],
  };
}

/** A backend module giving the plugin only that unreachable cluster. */
export function unreachableClusterModule(name: string) {
  return createBackendModule({
    pluginId: 'serving-health',
    moduleId: 'test-cluster',
    register(reg) {
      reg.registerInit({
        deps: { clusters: servingHealthClusterSupplierExtensionPoint },
        async init({ clusters }) {
          clusters.setClusterSupplier(unreachableClusterSupplier(name));
        },
      });
    },
  });
}

/**
 * `servingHealth.clusters` with one testenv cluster, read directly. (The Kubernetes plugin's clusters, read through
 * its proxy, are tested against the real portal in tools/e2e: its dynamic ESM imports do not run under jest.)
 */
export function testenvClusterConfig(
  env: TestEnv,
  token: string,
  url: string = env.url,
) {
  return [
    {
      name: env.name,
      url,
      serviceAccountToken: token,
      caData: Buffer.from(env.caData).toString('base64'),
    },
  ];
}

/**
 * A backend's features around the plugin: the entity in the catalog, every permission allowed, one testenv
 * cluster read with the reader token at `url` (a proxy in front of it), every namespace owned by the entity's
 * owner, and `servingHealth` settings on top.
 */
export function testenvBackendFeatures(options: {
  env: TestEnv;
  url: string;
  entity: Entity;
  servingHealth?: Record<string, unknown>;
}) {
  const { env, url, entity } = options;
  return [
    catalogServiceMock.factory({ entities: [entity] }),
    mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    mockServices.rootConfig.factory({
      data: {
        servingHealth: {
          clusters: testenvClusterConfig(env, env.tokens.reader, url),
          requestTimeoutMs: 10_000,
          namespaceOwners: [
            { namespace: '*', owners: [String(entity.spec!.owner)] },
          ],
          ...options.servingHealth,
        },
      },
    }),
  ];
}

/** The catalog entities a scenario ships in its directory's catalog-info.yaml (Locations left out). */
export function scenarioEntities(scenario: string): Entity[] {
  const found = listScenarios().find(s => s.name === scenario);
  if (!found) throw new Error(`No testenv scenario '${scenario}'`);
  const text = fs.readFileSync(
    path.join(found.dir, 'catalog-info.yaml'),
    'utf8',
  );
  return parseAllDocuments(text)
    .map(d => d.toJS())
    .filter(e => e?.kind && e.kind !== 'Location');
}

/** A counting proxy in front of a testenv's API server, serving the testenv's own certificate. */
export function proxyTo(env: TestEnv): Promise<KubeProxy> {
  return startKubeProxy({
    target: env.url,
    ca: env.caData,
    ...testEnvServingCert(env.dataDir),
  });
}
