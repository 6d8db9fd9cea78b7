import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { toError } from '@backstage/errors';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  DEFAULT_CHECKS,
  OPTIONAL_CHECKS,
  TriageCheck,
  orderChecks,
  servingHealthPermissions,
} from '@serving-health/plugin-serving-health-common';
import {
  ServingHealthClusterClients,
  ServingHealthClusterSupplier,
  ServingHealthFactory,
  ServingHealthReportStore,
  ServingHealthSnapshotSource,
  createConfigClusterSupplier,
  createKubernetesPluginClusterSupplier,
  mergeClusterSuppliers,
  servingHealthChecksExtensionPoint,
  servingHealthClusterSupplierExtensionPoint,
  servingHealthReportStoreExtensionPoint,
  servingHealthSnapshotSourceExtensionPoint,
} from '@serving-health/plugin-serving-health-node';
import {
  registerGetReportAction,
  registerValidateManifestsAction,
} from './actions';
import { readServingHealthConfig } from './config';
import { createTriageHistoryStore } from './database/TriageHistoryStore';
import { createRouter } from './router';
import { createClusterClients } from './services/ClusterClients';
import { createFleetScheduler } from './services/FleetScheduler';
import { createReportSignals } from './services/ReportSignals';
import { createTransitionNotifier } from './services/TransitionNotifier';
import { createRefreshLimiter } from './services/RefreshLimiter';
import { createCacheFleetSummaryStore } from './services/FleetSummaryStore';
import { createCacheReportStore } from './services/ReportStore';
import { createSnapshotCache } from './services/SnapshotCache';
import { createPolicyReader } from './services/PolicyReader';
import { createSnapshotWatcher } from './services/SnapshotWatcher';
import { createTriageService } from './services/TriageService';

/** `?refresh=true` calls one user may make per refresh interval, across entities. */
const REFRESHES_PER_USER = 20;
/** At most one "cluster changed" signal per cluster per half second: open tabs follow without a read storm. */
const CLUSTER_SIGNAL_THROTTLE_MS = 500;

/** Holds one replaceable service: set at most once by a module, else the default. */
function createSeam<T, Deps extends object = {}>(what: string) {
  let factory: ServingHealthFactory<T, Deps> | undefined;
  return {
    set(f: ServingHealthFactory<T, Deps>) {
      if (factory)
        throw new Error(
          `The serving-health ${what} was already set by another module`,
        );
      factory = f;
    },
    isSet: () => factory !== undefined,
    async build(deps: Deps, getDefault: () => Promise<T>): Promise<T> {
      if (!factory) return getDefault();
      return typeof factory === 'function'
        ? (factory as (o: Deps & { getDefault(): Promise<T> }) => Promise<T>)({
            ...deps,
            getDefault,
          })
        : factory;
    },
  };
}

/**
 * The serving-health backend plugin.
 *
 * @public
 */
export const servingHealthPlugin = createBackendPlugin({
  pluginId: 'serving-health',
  register(env) {
    const extraChecks: TriageCheck[] = [];
    env.registerExtensionPoint(servingHealthChecksExtensionPoint, {
      addCheck(check) {
        if (
          [
            ...DEFAULT_CHECKS,
            ...Object.values(OPTIONAL_CHECKS),
            ...extraChecks,
          ].some(c => c.id === check.id)
        ) {
          throw new Error(
            `A serving-health check with id '${check.id}' is already registered`,
          );
        }
        extraChecks.push(check);
      },
    });
    const clusterSupplier =
      createSeam<ServingHealthClusterSupplier>('cluster supplier');
    env.registerExtensionPoint(servingHealthClusterSupplierExtensionPoint, {
      setClusterSupplier: s => clusterSupplier.set(s),
    });
    const snapshotSource = createSeam<
      ServingHealthSnapshotSource,
      { clusters: ServingHealthClusterClients }
    >('snapshot source');
    env.registerExtensionPoint(servingHealthSnapshotSourceExtensionPoint, {
      setSnapshotSource: s => snapshotSource.set(s),
    });
    const reportStore = createSeam<ServingHealthReportStore>('report store');
    env.registerExtensionPoint(servingHealthReportStoreExtensionPoint, {
      setReportStore: s => reportStore.set(s),
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        cache: coreServices.cache,
        lifecycle: coreServices.lifecycle,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init({
        config,
        discovery,
        auth,
        logger,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        cache,
        lifecycle,
        database,
        scheduler,
        catalog,
        notifications,
        signals,
        actionsRegistry,
      }) {
        permissionsRegistry.addPermissions(servingHealthPermissions);
        const settings = readServingHealthConfig(config);
        // The Kubernetes plugin's clusters first; servingHealth.clusters add to them or replace one by name.
        const defaultSuppliers = [
          ...(settings.kubernetesPluginClusters
            ? [
                createKubernetesPluginClusterSupplier({
                  discovery,
                  auth,
                  timeoutMs: settings.requestTimeoutMs,
                }),
              ]
            : []),
          createConfigClusterSupplier(config),
        ];
        const clusters = createClusterClients({
          // The defaults stay separate so that one failing (the Kubernetes plugin down) keeps the other's clusters.
          suppliers: clusterSupplier.isSet()
            ? [
                await clusterSupplier.build({}, async () =>
                  mergeClusterSuppliers(defaultSuppliers),
                ),
              ]
            : defaultSuppliers,
          logger,
        });
        const reportSignals = createReportSignals({
          signals,
          throttleMs: CLUSTER_SIGNAL_THROTTLE_MS,
          onError: e =>
            logger.warn(
              `Could not signal a cluster change: ${toError(e).message}`,
            ),
        });
        const snapshots = await snapshotSource.build({ clusters }, async () => {
          const polled = createSnapshotCache({
            clusters,
            logger,
            namespaces: settings.namespaces,
            ttlMs: settings.snapshotTtlMs,
            refreshMinIntervalMs: settings.refreshMinIntervalMs,
            logTailLines: settings.logTailLines,
          });
          if (settings.snapshotMode === 'poll') return polled;
          const watcher = createSnapshotWatcher({
            clusters,
            logger,
            namespaces: settings.namespaces,
            pollIntervalMs: settings.snapshotTtlMs,
            logTailLines: settings.logTailLines,
            perCaller: polled,
            // Open tabs read again when the cluster their report came from changes: live without polling.
            onChange: cluster => reportSignals.clusterChanged(cluster),
          });
          lifecycle.addShutdownHook(() => watcher.stop());
          return watcher;
        });
        const reports = await reportStore.build({}, async () =>
          createCacheReportStore({
            cache,
            maxEntries: settings.reportCacheMaxEntries,
            maxBytes: settings.reportCacheMaxBytes,
          }),
        );
        const summaries = createCacheFleetSummaryStore({
          cache,
          maxEntries: settings.fleetSummaryMaxEntries,
        });
        const checks = orderChecks([
          ...DEFAULT_CHECKS,
          ...(settings.admissionDryRun
            ? [OPTIONAL_CHECKS.admissionDryRun]
            : []),
          ...extraChecks,
        ]);
        const triage = createTriageService({
          catalog,
          permissions,
          reports,
          summaries,
          clusters,
          snapshots,
          namespaceOwners: settings.namespaceOwners,
          argocdInstances: settings.argocdInstances,
          refreshLimiter: createRefreshLimiter({
            intervalMs: settings.refreshMinIntervalMs,
            perUserLimit: REFRESHES_PER_USER,
          }),
          checks: () => checks,
          admissionDryRun: settings.admissionDryRun,
          logger,
          reportTtlMs: settings.snapshotTtlMs,
        });
        const history = await createTriageHistoryStore({ database });
        const notifier = settings.notifications
          ? createTransitionNotifier({ notifications, history, logger })
          : undefined;
        await createFleetScheduler({
          scheduler,
          schedule: settings.schedule,
          auth,
          triage,
          history,
          retentionMs: settings.historyRetentionMs,
          logger,
          async onTransition(transition, entry) {
            await reportSignals.reportChanged(transition);
            await notifier?.notify(transition, entry);
          },
        });
        registerGetReportAction({ actionsRegistry, triage, history });
        registerValidateManifestsAction({ actionsRegistry, permissions });
        httpRouter.use(
          await createRouter({
            httpAuth,
            triage,
            history,
            policies: createPolicyReader({ permissions, clusters, snapshots }),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
