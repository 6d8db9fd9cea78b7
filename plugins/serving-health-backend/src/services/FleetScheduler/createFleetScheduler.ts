import {
  AuthService,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { toError } from '@backstage/errors';
import {
  FleetEntry,
  HistoryTransition,
} from '@serving-health/plugin-serving-health-common';
import { TriageHistoryStore } from '../../database/TriageHistoryStore';
import { TriageService } from '../TriageService';

export const FLEET_TRIAGE_TASK_ID = 'serving-health-fleet-triage';

export interface FleetRunResult {
  entities: number;
  transitions: HistoryTransition[];
  pruned: number;
}

export interface FleetScheduler {
  /** One fleet triage: record every entity's state, react to each transition, prune the history. */
  run(): Promise<FleetRunResult>;
}

/**
 * Triages the whole fleet on a schedule, with the plugin's own credentials, and records what changed. The task's
 * scope is global: with several replicas on one database, one of them runs it.
 */
export async function createFleetScheduler(options: {
  scheduler: SchedulerService;
  /** Absent: no scheduled runs (config `servingHealth.schedule.enabled: false`). */
  schedule?: SchedulerServiceTaskScheduleDefinition;
  auth: AuthService;
  triage: TriageService;
  history: TriageHistoryStore;
  retentionMs: number;
  onTransition: (t: HistoryTransition, entry: FleetEntry) => Promise<void>;
  logger: LoggerService;
}): Promise<FleetScheduler> {
  const { triage, history, logger } = options;

  async function run(): Promise<FleetRunResult> {
    const started = Date.now();
    const credentials = await options.auth.getOwnServiceCredentials();
    // Fresh reads, so a change shows within one period, not one period plus the snapshot TTL.
    const fleet = await triage.fleet({ credentials, scheduledRun: true });
    const transitions: HistoryTransition[] = [];
    for (const entry of fleet.entries) {
      const transition = await history.record(
        {
          entityRef: entry.entityRef,
          overall: entry.overall,
          failureModes: [...entry.failureModes].sort(),
          failingStage: entry.failingStage,
          cluster: entry.cluster,
          owner: entry.owner,
        },
        new Date(),
      );
      if (!transition) continue;
      transitions.push(transition);
      try {
        await options.onTransition(transition, entry);
      } catch (e) {
        logger.warn('Serving Health transition handling failed', {
          entityRef: entry.entityRef,
          error: toError(e).message,
        });
      }
    }
    const pruned = await history.prune(
      new Date(Date.now() - options.retentionMs),
    );
    logger.info('Serving Health fleet triage done', {
      entities: fleet.entries.length,
      transitions: transitions.length,
      pruned,
      ms: Date.now() - started,
    });
    return { entities: fleet.entries.length, transitions, pruned };
  }

  if (options.schedule) {
    await options.scheduler.scheduleTask({
      id: FLEET_TRIAGE_TASK_ID,
      scope: 'global',
      ...options.schedule,
      fn: async () => {
        await run();
      },
    });
  }
  return { run };
}
