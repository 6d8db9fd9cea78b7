import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  ArgocdInstance,
  ControlPlaneNamespaces,
  NamespaceOwnership,
} from '@serving-health/plugin-serving-health-common';
import {
  DEFAULT_LOG_TAIL_LINES,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from '@serving-health/plugin-serving-health-kube';

/** `servingHealth.*` as the backend uses it, with every default in one place (they match config.d.ts). */
export interface ServingHealthConfig {
  snapshotTtlMs: number;
  /** `watch`: LIST once, then WATCH each collection; `poll`: LIST everything every snapshotTtl. */
  snapshotMode: 'watch' | 'poll';
  /** The most reports the report store keeps in memory-bound caches; the least recently used go first. */
  reportCacheMaxEntries: number;
  /** The most bytes of serialized reports kept by this process (the same LRU order). */
  reportCacheMaxBytes: number;
  /** The most fleet summaries kept (one per entity and snapshot version; a few hundred bytes each). */
  fleetSummaryMaxEntries: number;
  refreshMinIntervalMs: number;
  requestTimeoutMs: number;
  logTailLines: number;
  admissionDryRun: boolean;
  namespaces: ControlPlaneNamespaces;
  /** Which owners' entities may be shown which namespaces, beyond InferenceServices that name their entity. */
  namespaceOwners: NamespaceOwnership[];
  /** Argo CD instances (`argocd/instance-name`) and the clusters they run on. */
  argocdInstances: ArgocdInstance[];
  /** Read the clusters of the Backstage Kubernetes plugin through its proxy (default: when it is configured). */
  kubernetesPluginClusters: boolean;
  /** The scheduled fleet triage that keeps the history; absent when `servingHealth.schedule.enabled` is false. */
  schedule?: SchedulerServiceTaskScheduleDefinition;
  /** How long transitions (and states of entities no longer seen) are kept. */
  historyRetentionMs: number;
  /** Notify entity owners when an endpoint starts failing or recovers. */
  notifications: boolean;
}

export const DEFAULTS = {
  snapshotTtlSeconds: 30,
  snapshotMode: 'watch',
  reportCacheMaxEntries: 10_000,
  reportCacheMaxMegabytes: 64,
  reportCacheMaxSummaries: 100_000,
  refreshMinIntervalSeconds: 5,
  requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
  logTailLines: DEFAULT_LOG_TAIL_LINES,
  admissionDryRun: false,
  namespaces: { kserve: 'kserve', kyverno: 'kyverno' },
  schedule: {
    frequency: { minutes: 5 },
    timeout: { minutes: 4 },
    initialDelay: { seconds: 30 },
  },
  historyRetentionDays: 30,
  notifications: false,
} as const;

function readSnapshotMode(value: string | undefined): 'watch' | 'poll' {
  const mode = value ?? DEFAULTS.snapshotMode;
  if (mode !== 'watch' && mode !== 'poll') {
    throw new InputError(
      `servingHealth.snapshots.mode must be 'watch' or 'poll', not '${mode}'`,
    );
  }
  return mode;
}

export function readServingHealthConfig(config: Config): ServingHealthConfig {
  const c = config.getOptionalConfig('servingHealth');
  const positive = (key: string, fallback: number) => {
    const value = c?.getOptionalNumber(key) ?? fallback;
    if (!Number.isInteger(value) || value < 1) {
      throw new InputError(
        `servingHealth.${key} must be a positive integer, not ${value}`,
      );
    }
    return value;
  };
  return {
    snapshotMode: readSnapshotMode(c?.getOptionalString('snapshots.mode')),
    reportCacheMaxEntries: positive(
      'reportCache.maxEntries',
      DEFAULTS.reportCacheMaxEntries,
    ),
    reportCacheMaxBytes:
      positive('reportCache.maxMegabytes', DEFAULTS.reportCacheMaxMegabytes) *
      1024 *
      1024,
    fleetSummaryMaxEntries: positive(
      'reportCache.maxSummaries',
      DEFAULTS.reportCacheMaxSummaries,
    ),
    snapshotTtlMs:
      (c?.getOptionalNumber('snapshotTtlSeconds') ??
        DEFAULTS.snapshotTtlSeconds) * 1000,
    refreshMinIntervalMs:
      (c?.getOptionalNumber('refreshMinIntervalSeconds') ??
        DEFAULTS.refreshMinIntervalSeconds) * 1000,
    requestTimeoutMs:
      c?.getOptionalNumber('requestTimeoutMs') ?? DEFAULTS.requestTimeoutMs,
    logTailLines: c?.getOptionalNumber('logTailLines') ?? DEFAULTS.logTailLines,
    admissionDryRun:
      c?.getOptionalBoolean('admissionDryRun') ?? DEFAULTS.admissionDryRun,
    namespaces: {
      kserve:
        c?.getOptionalString('namespaces.kserve') ?? DEFAULTS.namespaces.kserve,
      kyverno:
        c?.getOptionalString('namespaces.kyverno') ??
        DEFAULTS.namespaces.kyverno,
    },
    argocdInstances: (c?.getOptionalConfigArray('argocdInstances') ?? []).map(
      i => {
        // A list, not a map: destinations are URLs, which config keys cannot be.
        const destinations = i.getOptionalConfigArray('destinations');
        return {
          name: i.getString('name'),
          cluster: i.getString('cluster'),
          ...(destinations
            ? {
                destinations: Object.fromEntries(
                  destinations.map(d => [
                    d.getString('destination'),
                    d.getString('cluster'),
                  ]),
                ),
              }
            : {}),
        };
      },
    ),
    kubernetesPluginClusters:
      c?.getOptionalBoolean('kubernetesPluginClusters') ??
      config.has('kubernetes.clusterLocatorMethods'),
    schedule: readSchedule(c?.getOptionalConfig('schedule')),
    historyRetentionMs:
      (c?.getOptionalNumber('historyRetentionDays') ??
        DEFAULTS.historyRetentionDays) *
      24 *
      3600 *
      1000,
    notifications:
      c?.getOptionalBoolean('notifications.enabled') ?? DEFAULTS.notifications,
    namespaceOwners: (c?.getOptionalConfigArray('namespaceOwners') ?? []).map(
      o => ({
        cluster: o.getOptionalString('cluster'),
        namespace: o.getString('namespace'),
        owners: o.getStringArray('owners'),
      }),
    ),
  };
}

function readSchedule(
  c: Config | undefined,
): SchedulerServiceTaskScheduleDefinition | undefined {
  if (c?.getOptionalBoolean('enabled') === false) return undefined;
  if (!c?.has('frequency')) return DEFAULTS.schedule;
  const read = readSchedulerServiceTaskScheduleDefinitionFromConfig(c);
  // What the config leaves out keeps its default (the reader returns those keys as undefined).
  return {
    ...DEFAULTS.schedule,
    ...Object.fromEntries(
      Object.entries(read).filter(([, value]) => value !== undefined),
    ),
  } as SchedulerServiceTaskScheduleDefinition;
}
