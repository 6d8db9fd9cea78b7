import {
  BackstageCredentials,
  CacheService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_INFERENCESERVICE,
  ANNOTATION_KUBERNETES_ID,
  FleetEntry,
  TriageCheck,
  TriageReport,
  TriageTarget,
  resolveTriageTarget,
  servingHealthReportReadPermission,
} from '@serving-health/plugin-serving-health-common';
import { triageTarget } from '@serving-health/plugin-serving-health-node';
import { ClusterRegistry } from '../ClusterRegistry';
import { SnapshotCache } from '../SnapshotCache';
import { TriageService } from './types';

/** Serving entities: an InferenceService annotation, or a kubernetes-id on a model endpoint. */
export function isServingEntity(entity: Entity): boolean {
  const a = entity.metadata.annotations ?? {};
  return (
    !!a[ANNOTATION_INFERENCESERVICE] ||
    (!!a[ANNOTATION_KUBERNETES_ID] && (entity.spec as any)?.type === 'model-endpoint')
  );
}

export function createTriageService(options: {
  catalog: CatalogService;
  permissions: PermissionsService;
  cache: CacheService;
  registry: ClusterRegistry;
  snapshots: SnapshotCache;
  checks: () => TriageCheck[];
  /** Also dry-run an update of each InferenceService (opt-in check admission.dry-run). */
  admissionDryRun?: boolean;
  logger: LoggerService;
  reportTtlMs: number;
}): TriageService {
  const { catalog, permissions, cache, registry, snapshots, logger } = options;

  async function triage(
    entityRef: string,
    target: TriageTarget,
    refresh: boolean,
  ): Promise<TriageReport> {
    const key = `report:${entityRef}`;
    if (!refresh) {
      // Finished reports are shared through the cache service, so every replica serves them.
      const cached = await cache.get<any>(key);
      if (cached) return cached as TriageReport;
    }
    const client = registry.client(target.cluster)!;
    const entry = await snapshots.get(target.cluster, { refresh });
    const report = await triageTarget({
      entityRef,
      target,
      snapshot: entry.snapshot,
      checks: options.checks(),
      client,
      readLogs: entry.controllerLogs,
      admissionDryRun: options.admissionDryRun,
    });
    await cache.set(key, report as any, { ttl: options.reportTtlMs });
    return report;
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
    async report(entityRef, { credentials, refresh = false }) {
      const entity = await catalog.getEntityByRef(entityRef, { credentials });
      if (!entity) throw new NotFoundError(`No entity ${entityRef} in the catalog`);
      const ref = stringifyEntityRef(entity);
      const [ok] = await allowed([ref], credentials);
      if (!ok) throw new NotAllowedError(`Not allowed to read the serving-health report of ${ref}`);
      const resolution = resolveTriageTarget(entity, { clusters: registry.names() });
      if (!resolution.ok) throw new InputError(`${ref}: ${resolution.message}`);
      return triage(ref, resolution.target, refresh);
    },

    async fleet({ credentials, refresh = false }) {
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
      const serving = items.filter(isServingEntity);
      const refs = serving.map(e => stringifyEntityRef(e));
      const ok = await allowed(refs, credentials);
      const visible = serving.filter((_, i) => ok[i]);
      const entries = await Promise.all(
        visible.map(async (entity): Promise<FleetEntry> => {
          const entityRef = stringifyEntityRef(entity);
          const title = entity.metadata.title ?? entity.metadata.name;
          const resolution = resolveTriageTarget(entity, { clusters: registry.names() });
          if (!resolution.ok) {
            return { entityRef, title, overall: 'unknown', failureModes: [], error: resolution.message };
          }
          try {
            const r = await triage(entityRef, resolution.target, refresh);
            return {
              entityRef,
              title,
              cluster: resolution.target.cluster,
              overall: r.overall,
              failingStage: r.failingStage,
              failureModes: r.failureModes.map(m => m.id),
            };
          } catch (e) {
            logger.warn('Fleet triage failed', { entityRef, error: String(e) });
            return { entityRef, title, cluster: resolution.target.cluster, overall: 'unknown', failureModes: [], error: String((e as Error)?.message ?? e) };
          }
        }),
      );
      entries.sort((a, b) => a.entityRef.localeCompare(b.entityRef));
      return { entries, generatedAt: new Date().toISOString() };
    },
  };
}
