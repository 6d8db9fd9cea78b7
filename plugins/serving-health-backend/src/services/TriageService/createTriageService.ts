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
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_KUBERNETES_ID,
  FleetEntry,
  NamespaceOwnership,
  TargetResolution,
  TriageCheck,
  TriageReport,
  TriageTarget,
  ArgocdInstance,
  applicationDestinationCluster,
  bindTarget,
  resolveArgocdInstance,
  withApplicationsFrom,
  isServingHealthEntity,
  ownerEntityRef,
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
import { FleetReportSummary, FleetSummaryStore } from '../FleetSummaryStore';
import { RefreshLimiter } from '../RefreshLimiter';
import { TriageCallOptions, TriageService } from './types';

const summaryOf = (report: TriageReport): FleetReportSummary => ({
  overall: report.overall,
  failingStage: report.failingStage,
  failureModes: report.failureModes.map(m => m.id),
});

/** Entities triaged at once by a fleet request: the rest wait, so one fleet call cannot flood the event loop. */
const FLEET_CONCURRENCY = 16;
/** Admission dry-runs sent at once to one cluster (each runs every webhook of the cluster). */
const DRY_RUNS_PER_CLUSTER = 4;

export function createTriageService(options: {
  catalog: CatalogService;
  permissions: PermissionsService;
  reports: ServingHealthReportStore;
  /** What fleet scans read: a summary per report, kept under the report's key. */
  summaries: FleetSummaryStore;
  clusters: ServingHealthClusterClients;
  snapshots: ServingHealthSnapshotSource;
  refreshLimiter: RefreshLimiter;
  /** Namespaces given to owners (servingHealth.namespaceOwners): what an entity may be shown. */
  namespaceOwners: NamespaceOwnership[];
  /** Argo CD instances and the clusters they run on (hub and spoke). */
  argocdInstances?: ArgocdInstance[];
  checks: () => TriageCheck[];
  /** Also dry-run an update of each InferenceService (opt-in check admission.dry-run). */
  admissionDryRun?: boolean;
  logger: LoggerService;
  reportTtlMs: number;
}): TriageService {
  const { catalog, permissions, reports, clusters, snapshots, logger } =
    options;
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

  /**
   * The entity's target. With `argocd/instance-name`, its Application is read on the cluster of that Argo CD
   * instance, and its destination names the workload cluster unless the entity names one (then they must agree).
   */
  async function locate(
    entity: Entity,
    read: { caller: BackstageCredentials; callerAuth?: KubernetesCallerAuth },
  ): Promise<TargetResolution> {
    const names = clusters.names();
    const found = resolveArgocdInstance(entity, options.argocdInstances ?? []);
    if (!found.ok) return { ok: false, message: found.message };
    if (!found.instance)
      return resolveTriageTarget(entity, { clusters: names });
    const instance = found.instance;
    if (!names.includes(instance.cluster)) {
      return {
        ok: false,
        message: `Argo CD instance '${instance.name}' runs on cluster '${
          instance.cluster
        }', which is not configured (known: ${names.join(', ') || 'none'}).`,
      };
    }
    const argocd = { instance: instance.name, cluster: instance.cluster };
    // First pass: the annotations, with the hub standing in for a workload cluster not named yet.
    const first = resolveTriageTarget(entity, {
      clusters: names,
      argocd,
      destinationCluster: instance.cluster,
    });
    if (!first.ok) return first;
    const app = first.target.argoApp;
    if (!app) {
      return {
        ok: false,
        message: `Annotation argocd/instance-name needs argocd/app-name: which Application on '${instance.cluster}'?`,
      };
    }
    const hub = await snapshots.get(instance.cluster, {
      refresh: false,
      caller: read.caller,
      callerAuth: read.callerAuth,
    });
    const apps = hub.snapshot.collections.applications;
    const live = apps?.ok
      ? (apps.items as any[]).find(
          a =>
            a.metadata?.namespace === app.namespace &&
            a.metadata?.name === app.name,
        )
      : undefined;
    const named =
      entity.metadata.annotations?.[ANNOTATION_KUBERNETES_CLUSTER]?.trim();
    const destination = live
      ? applicationDestinationCluster(live, instance, names)
      : undefined;
    if (named) {
      if (destination?.ok && destination.cluster !== named) {
        return {
          ok: false,
          message: `Annotation ${ANNOTATION_KUBERNETES_CLUSTER} names cluster '${named}', but Application ${app.namespace}/${app.name} on '${instance.cluster}' deploys to ${destination.destination} (cluster '${destination.cluster}').`,
        };
      }
      return resolveTriageTarget(entity, { clusters: names, argocd });
    }
    if (apps && !apps.ok) {
      return {
        ok: false,
        message: `The Applications on cluster '${instance.cluster}' (Argo CD instance '${instance.name}') could not be read (${apps.error.request}: ${apps.error.message}), so the workload cluster is not known; set ${ANNOTATION_KUBERNETES_CLUSTER}.`,
      };
    }
    if (!live) {
      return {
        ok: false,
        message: `Application ${app.namespace}/${app.name} is not on cluster '${instance.cluster}' (Argo CD instance '${instance.name}'), so its destination cannot name the workload cluster; set ${ANNOTATION_KUBERNETES_CLUSTER}.`,
      };
    }
    if (!destination!.ok) return { ok: false, message: destination!.message };
    return resolveTriageTarget(entity, {
      clusters: names,
      argocd,
      destinationCluster: destination!.cluster,
    });
  }

  /** Who may share a report of this target: what is read with a caller's own credentials stays theirs. */
  function readScopeOf(
    target: TriageTarget,
    caller: BackstageCredentials,
    callerAuth: KubernetesCallerAuth | undefined,
  ) {
    const clustersRead = [target.cluster, target.argocd?.cluster].filter(
      (c): c is string => Boolean(c),
    );
    const scope = clustersRead
      .map(c => readScope(clusters, c, caller, callerAuth))
      .join('|');
    return { scope, clustersRead };
  }

  /** Snapshot versions are known when every cluster read is watched (and warm). */
  const allKnown = (
    versions: Array<string | undefined>,
  ): versions is string[] =>
    versions.length > 0 && versions.every(v => v !== undefined);

  /** A watched snapshot has a version: a report (or summary) is served only for the objects it was made from. */
  const versioned = (scope: string, versions: Array<string | undefined>) =>
    allKnown(versions) ? `${scope}@${versions.join('|')}` : scope;

  /** The key a report of the target made now would have, without reading a snapshot; `watched` when versioned. */
  async function currentKey(
    target: TriageTarget,
    caller: BackstageCredentials,
    callerAuth: KubernetesCallerAuth | undefined,
  ) {
    const { scope, clustersRead } = readScopeOf(target, caller, callerAuth);
    const versions = snapshots.version
      ? await Promise.all(
          clustersRead.map(c => snapshots.version!(c, { caller, callerAuth })),
        )
      : [];
    return { key: versioned(scope, versions), watched: allKnown(versions) };
  }

  async function triage(
    entity: Entity,
    entityRef: string,
    target: TriageTarget,
    wantRefresh: boolean | 'unlimited',
    caller: BackstageCredentials,
    callerAuth: KubernetesCallerAuth | undefined,
  ): Promise<TriageReport> {
    const { scope } = readScopeOf(target, caller, callerAuth);
    // Concurrent requests for one entity share one triage, whether they asked for a refresh or not.
    return flight(`${scope}\u0000${entityRef}`, async () => {
      const refresh =
        wantRefresh === 'unlimited' ||
        (wantRefresh && options.refreshLimiter.allow(entityRef, caller));
      let looked: string | undefined;
      if (!refresh) {
        looked = (await currentKey(target, caller, callerAuth)).key;
        const stored = await reports.get({ entityRef, scope: looked });
        if (stored) return stored;
      }
      const entry = await snapshots.get(target.cluster, {
        refresh,
        caller,
        callerAuth,
      });
      // Hub and spoke: the Applications come from the cluster that runs Argo CD, the rest from the workload's.
      const hub = target.argocd
        ? await snapshots.get(target.argocd.cluster, {
            refresh,
            caller,
            callerAuth,
          })
        : undefined;
      const snapshot = hub
        ? withApplicationsFrom(entry.snapshot, hub.snapshot)
        : entry.snapshot;
      const madeFrom = versioned(
        scope,
        hub ? [entry.version, hub.version] : [entry.version],
      );
      // A snapshot this replica only started watching now may be one another replica already made the report from.
      if (!refresh && madeFrom !== looked) {
        const stored = await reports.get({ entityRef, scope: madeFrom });
        if (stored) return stored;
      }
      const binding = bindTarget({
        entity,
        target,
        snapshot,
        namespaceOwners: options.namespaceOwners,
      });
      const run = () =>
        triageTarget({
          binding,
          entityRef,
          target,
          snapshot,
          checks: options.checks(),
          client: entry.client,
          readLogs: entry.controllerLogs,
          admissionDryRun: options.admissionDryRun,
        });
      const report = options.admissionDryRun
        ? await dryRunLimit(target.cluster)(run)
        : await run();
      // Never kept longer than the snapshot it was made from (an unreachable cluster's is short-lived).
      const ttlMs = Math.min(
        options.reportTtlMs,
        entry.expiresInMs(),
        hub?.expiresInMs() ?? Infinity,
      );
      if (ttlMs > 0) {
        const key = { entityRef, scope: madeFrom };
        await Promise.all([
          reports.set(key, report, { ttlMs }),
          options.summaries.set(key, summaryOf(report), { ttlMs }),
        ]);
      }
      return report;
    });
  }

  async function allowed(refs: string[], credentials: BackstageCredentials) {
    if (refs.length === 0) return [];
    const decisions = await permissions.authorize(
      refs.map(resourceRef => ({
        permission: servingHealthReportReadPermission,
        resourceRef,
      })),
      { credentials },
    );
    return decisions.map(d => d.result === AuthorizeResult.ALLOW);
  }

  /** One fleet entry per serving entity the caller may read the report of, in the order given. */
  async function summarize(
    entities: Entity[],
    {
      credentials,
      refresh = false,
      callerAuth,
      scheduledRun = false,
    }: TriageCallOptions & { scheduledRun?: boolean },
  ): Promise<FleetEntry[]> {
    const serving = entities.filter(isServingHealthEntity);
    const refs = serving.map(e => stringifyEntityRef(e));
    const ok = await allowed(refs, credentials);
    const visible = serving.filter((_, i) => ok[i]);
    return mapWithConcurrency(
      visible,
      FLEET_CONCURRENCY,
      async (entity): Promise<FleetEntry> => {
        const entityRef = stringifyEntityRef(entity);
        const title = entity.metadata.title ?? entity.metadata.name;
        const owner = ownerEntityRef(entity.spec?.owner);
        const resolution = await locate(entity, {
          caller: credentials,
          callerAuth,
        });
        if (!resolution.ok) {
          return {
            entityRef,
            title,
            owner,
            overall: 'unknown',
            failureModes: [],
            error: unresolved(resolution.message),
          };
        }
        const row = (summary: FleetReportSummary): FleetEntry => ({
          entityRef,
          title,
          owner,
          cluster: resolution.target.cluster,
          ...summary,
        });
        try {
          // A watched snapshot that has not changed gives the same report: a scheduled run need not make it again.
          if (!refresh) {
            const now = await currentKey(
              resolution.target,
              credentials,
              callerAuth,
            );
            if (!scheduledRun || now.watched) {
              const known = await options.summaries.get({
                entityRef,
                scope: now.key,
              });
              if (known) return row(known);
            }
          }
          const report = await triage(
            entity,
            entityRef,
            resolution.target,
            scheduledRun ? 'unlimited' : refresh,
            credentials,
            callerAuth,
          );
          return row(summaryOf(report));
        } catch (e) {
          const error = toError(e);
          logger.warn('Fleet triage failed', {
            entityRef,
            error: error.message,
          });
          return {
            entityRef,
            title,
            owner,
            cluster: resolution.target.cluster,
            overall: 'unknown',
            failureModes: [],
            error: error.message,
          };
        }
      },
    );
  }

  async function readableEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity)
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    const ref = stringifyEntityRef(entity);
    const [ok] = await allowed([ref], credentials);
    if (!ok)
      throw new NotAllowedError(
        `Not allowed to read the serving-health report of ${ref}`,
      );
    return entity;
  }

  return {
    async authorizeRead(entityRef, credentials) {
      return stringifyEntityRef(await readableEntity(entityRef, credentials));
    },

    async readable(entityRefs, credentials) {
      const ok = await allowed(entityRefs, credentials);
      return entityRefs.filter((_, i) => ok[i]);
    },

    async report(entityRef, { credentials, refresh = false, callerAuth }) {
      const entity = await readableEntity(entityRef, credentials);
      const ref = stringifyEntityRef(entity);
      await clusters.refresh();
      const resolution = await locate(entity, {
        caller: credentials,
        callerAuth,
      });
      if (!resolution.ok)
        throw new InputError(`${ref}: ${unresolved(resolution.message)}`);
      return triage(
        entity,
        ref,
        resolution.target,
        refresh,
        credentials,
        callerAuth,
      );
    },

    async clusters() {
      await clusters.refresh();
      return clusters.names().map(name => {
        const c = clusters.cluster(name)!;
        return { name, authScope: c.authScope, ...c.userAuth };
      });
    },

    async fleet({
      credentials,
      refresh = false,
      callerAuth,
      scheduledRun = false,
    }) {
      await clusters.refresh();
      const { items } = await catalog.getEntities(
        {
          filter: [
            {
              [`metadata.annotations.${ANNOTATION_INFERENCESERVICE}`]:
                CATALOG_FILTER_EXISTS,
            },
            {
              [`metadata.annotations.${ANNOTATION_KUBERNETES_ID}`]:
                CATALOG_FILTER_EXISTS,
              'spec.type': 'model-endpoint',
            },
          ],
        },
        { credentials },
      );
      const entries = await summarize(items, {
        credentials,
        refresh,
        callerAuth,
        scheduledRun,
      });
      entries.sort((a, b) => a.entityRef.localeCompare(b.entityRef));
      return { entries, generatedAt: new Date().toISOString() };
    },

    async summaries(entityRefs, { credentials, refresh = false, callerAuth }) {
      await clusters.refresh();
      // The catalog answers with the caller's credentials: an entity the caller may not read comes back null.
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs },
        { credentials },
      );
      const found = items.filter((e): e is Entity => Boolean(e));
      const entries = await summarize(found, {
        credentials,
        refresh,
        callerAuth,
      });
      return { entries, generatedAt: new Date().toISOString() };
    },
  };
}
