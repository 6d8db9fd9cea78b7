import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  DEFAULT_CHECKS,
  OPTIONAL_CHECKS,
  TriageCheck,
  orderChecks,
  servingHealthPermissions,
} from '@serving-health/plugin-serving-health-common';
import {
  DEFAULT_LOG_TAIL_LINES,
  servingHealthChecksExtensionPoint,
} from '@serving-health/plugin-serving-health-node';
import { createRouter } from './router';
import { createClusterRegistry } from './services/ClusterRegistry';
import { createSnapshotCache } from './services/SnapshotCache';
import { createTriageService } from './services/TriageService';

/** The serving-health backend plugin. */
export const servingHealthPlugin = createBackendPlugin({
  pluginId: 'serving-health',
  register(env) {
    const extraChecks: TriageCheck[] = [];
    env.registerExtensionPoint(servingHealthChecksExtensionPoint, {
      addCheck(check) {
        if ([...DEFAULT_CHECKS, ...extraChecks].some(c => c.id === check.id)) {
          throw new Error(`A serving-health check with id '${check.id}' is already registered`);
        }
        extraChecks.push(check);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        cache: coreServices.cache,
        catalog: catalogServiceRef,
      },
      async init({ config, logger, httpRouter, httpAuth, permissions, permissionsRegistry, cache, catalog }) {
        permissionsRegistry.addPermissions(servingHealthPermissions);
        const ttlMs = (config.getOptionalNumber('servingHealth.snapshotTtlSeconds') ?? 30) * 1000;
        const registry = createClusterRegistry({ config, logger });
        const snapshots = createSnapshotCache({
          registry,
          logger,
          namespaces: {
            kserve: config.getOptionalString('servingHealth.namespaces.kserve') ?? 'kserve',
            kyverno: config.getOptionalString('servingHealth.namespaces.kyverno') ?? 'kyverno',
          },
          ttlMs,
          refreshMinIntervalMs:
            (config.getOptionalNumber('servingHealth.refreshMinIntervalSeconds') ?? 5) * 1000,
          logTailLines: config.getOptionalNumber('servingHealth.logTailLines') ?? DEFAULT_LOG_TAIL_LINES,
        });
        const admissionDryRun =
          config.getOptionalBoolean('servingHealth.admissionDryRun') ?? false;
        const checks = orderChecks([
          ...DEFAULT_CHECKS,
          ...(admissionDryRun ? [OPTIONAL_CHECKS.admissionDryRun] : []),
          ...extraChecks,
        ]);
        const triage = createTriageService({
          catalog,
          permissions,
          cache,
          registry,
          snapshots,
          checks: () => checks,
          admissionDryRun,
          logger,
          reportTtlMs: ttlMs,
        });
        httpRouter.use(await createRouter({ httpAuth, triage }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
