import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  toError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_INFERENCESERVICE,
  ANNOTATION_KUBERNETES_ID,
  FleetEntry,
  NamespaceOwnership,
  TriageCheck,
  TriageReport,
  TriageTarget,
  bindTarget,
  isServingHealthEntity,
  resolveTriageTarget,
  servingHealthReportReadPermission,
} from '@serving-health/plugin-serving-health-common';
import { triageTarget } from '@serving-health/plugin-serving-health-kube';
import {
  KubernetesCallerAuth,
  ServingHealthClusterClients,
  ServingHealthReportStore,
  ServingHealthSnapshotSource,
} from '@serving-health/plugin-serving-health-node';
import { createLimit } from '../../lib/createLimit';
import { mapWithConcurrency } from '../../lib/mapWithConcurrency';
import { readScope } from '../../lib/principalKey';
import { createSingleFlight } from '../../lib/singleFlight';
import { RefreshLimiter } from '../RefreshLimiter';
import { TriageService } from './types';

/** Entities triaged at once by a fleet request: the rest wait, so one fleet call cannot flood the event loop. */
const FLEET_CONCURRENCY = 16;
/** Admission dry-runs sent at once to one cluster (each runs every webhook of the cluster). */
const DRY_RUNS_PER_CLUSTER = 4;

export function createTriageService(options: {
  catalog: CatalogService;
  permissions: PermissionsService;
  reports: ServingHealthReportStore;
  clusters: ServingHealthClusterClients;
  snapshots: ServingHealthSnapshotSource;
  refreshLimiter: RefreshLimiter;
  /** Namespaces given to owners (servingHealth.namespaceOwners): what an entity may be shown. */
  namespaceOwners: NamespaceOwnership[];
  checks: () => TriageCheck[];
  /** Also dry-run an update of each InferenceService (opt-in check admission.dry-run). */
  admissionDryRun?: boolean;
  logger: LoggerService;
  reportTtlMs: number;
}): TriageService {
  const { catalog, permissions, reports, clusters, snapshots, logger } = options;
  const flight = createSingleFlight<TriageReport>();
  const dryRunLimits = new Map<string, ReturnType<typeof createLimit>>();
  const dryRunLimit = (cluster: string) => {
    let limit = dryRunLimits.get(cluster);
    if (!limit) {
      limit = createLimit(DRY_RUNS_PER_CLUSTER);
      dryRunLimits.set(cluster, limit);
    }
    return limit;
  };

  /** An unknown cluster may be one a failing supplier would have named: say so. */
  const unresolved = (message: string) => {
    const problem = clusters.problem();
    return problem ? `${message} ${problem}` : message;
  };

  async function triage(
    entity: Entity,
    entityRef: string,
    target: TriageTarget,
    wantRefresh: boolean,
    caller: BackstageCredentials,
    callerAuth: KubernetesCallerAuth | undefined,
  ): Promise<TriageReport> {
    // A report read with the caller's own credentials is kept for that caller only.
    const scope = readScope(clusters, target.cluster, caller, callerAuth);
    // Concurrent requests for one entity share one triage, whether they asked for a refresh or not.
    return flight(`${scope}\u0000${entityRef}`, async () => {
      const refresh =
        wantRefresh && options.refreshLimiter.allow(entityRef, caller);
      if (!refresh) {
        const stored = await reports.get({ entityRef, scope });
        if (stored) return stored;
      }
      const entry = await snapshots.get(target.cluster, { refresh, caller, callerAuth });
      const binding = bindTarget({
        entity,
        target,
        snapshot: entry.snapshot,
        namespaceOwners: options.namespaceOwners,
      });
      const run = () =>
        triageTarget({
          binding,
          entityRef,
          target,
          snapshot: entry.snapshot,
          checks: options.checks(),
          client: entry.client,
          readLogs: entry.controllerLogs,
          admissionDryRun: options.admissionDryRun,
        });
      const report = options.admissionDryRun
        ? await dryRunLimit(target.cluster)(run)
        : await run();
      // Never kept longer than the snapshot it was made from (an unreachable cluster's is short-lived).
      const ttlMs = Math.min(options.reportTtlMs, entry.expiresInMs());
      if (ttlMs > 0) await reports.set({ entityRef, scope }, report, { ttlMs });
      return report;
    });
  }

  async function allowed(refs: string[], credentials: BackstageCredentials) {
    if (refs.length === 0) return [];
    const decisions = await permissions.authorize(
      refs.map(resourceRef => ({ permission: servingHealthReportReadPermission, resourceRef })),
      { credentials },
    );
    return decisions.map(d => d.result === AuthorizeResult.ALLOW);
  }

  return {
    async report(entityRef, { credentials, refresh = false, callerAuth }) {
      const entity = await catalog.getEntityByRef(entityRef, { credentials });
      if (!entity) throw new NotFoundError(`No entity ${entityRef} in the catalog`);
      const ref = stringifyEntityRef(entity);
      const [ok] = await allowed([ref], credentials);
      if (!ok) throw new NotAllowedError(`Not allowed to read the serving-health report of ${ref}`);
      await clusters.refresh();
      const resolution = resolveTriageTarget(entity, { clusters: clusters.names() });
      if (!resolution.ok) throw new InputError(`${ref}: ${unresolved(resolution.message)}`);
      return triage(entity, ref, resolution.target, refresh, credentials, callerAuth);
    },

    async fleet({ credentials, refresh = false, callerAuth }) {
      await clusters.refresh();
      const { items } = await catalog.getEntities(
        {
          filter: [
            { [`metadata.annotations.${ANNOTATION_INFERENCESERVICE}`]: CATALOG_FILTER_EXISTS },
            {
              [`metadata.annotations.${ANNOTATION_KUBERNETES_ID}`]: CATALOG_FILTER_EXISTS,
              'spec.type': 'model-endpoint',
            },
          ],
        },
        { credentials },
      );
      const serving = items.filter(isServingHealthEntity);
      const refs = serving.map(e => stringifyEntityRef(e));
      const ok = await allowed(refs, credentials);
      const visible = serving.filter((_, i) => ok[i]);
      const entries = await mapWithConcurrency(
        visible,
        FLEET_CONCURRENCY,
        async (entity): Promise<FleetEntry> => {
          const entityRef = stringifyEntityRef(entity);
          const title = entity.metadata.title ?? entity.metadata.name;
          const resolution = resolveTriageTarget(entity, { clusters: clusters.names() });
          if (!resolution.ok) {
            return { entityRef, title, overall: 'unknown', failureModes: [], error: unresolved(resolution.message) };
          }
          try {
            const r = await triage(entity, entityRef, resolution.target, refresh, credentials, callerAuth);
            return {
              entityRef,
              title,
              cluster: resolution.target.cluster,
              overall: r.overall,
              failingStage: r.failingStage,
              failureModes: r.failureModes.map(m => m.id),
            };
          } catch (e) {
            const error = toError(e);
            logger.warn('Fleet triage failed', { entityRef, error: error.message });
            return { entityRef, title, cluster: resolution.target.cluster, overall: 'unknown', failureModes: [], error: error.message };
          }
        },
      );
      entries.sort((a, b) => a.entityRef.localeCompare(b.entityRef));
      return { entries, generatedAt: new Date().toISOString() };
    },
  };
}
