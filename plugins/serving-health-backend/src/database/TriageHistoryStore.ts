import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  EntityState,
  HistoryTransition,
  ReportSummary,
  reportTransition,
} from '@serving-health/plugin-serving-health-common';
import { Knex } from 'knex';

export const migrationsDir = resolvePackagePath(
  '@serving-health/plugin-serving-health-backend',
  'migrations',
);

/** What one fleet triage saw of one entity. */
export interface ObservedSummary extends ReportSummary {
  entityRef: string;
  cluster?: string;
  owner?: string;
}

/** The triage history in the plugin's own database: latest state per entity, and every transition. */
export interface TriageHistoryStore {
  /**
   * Stores what was seen at `at` and returns the transition it makes, if any. Compare and write happen in one
   * transaction, so two runners seeing the same change record it once.
   */
  record(
    observed: ObservedSummary,
    at: Date,
  ): Promise<HistoryTransition | undefined>;
  state(entityRef: string): Promise<EntityState | undefined>;
  states(): Promise<EntityState[]>;
  /** Newest first; one entity's when `entityRef` is given. */
  transitions(query: {
    entityRef?: string;
    limit: number;
    /** Newest first: how many of the newest to pass over. */
    offset?: number;
  }): Promise<HistoryTransition[]>;
  /** True for the one caller that claims this transition's notification (de-duplication across replicas). */
  claimNotification(id: string, at: Date): Promise<boolean>;
  /** Deletes transitions older than `before` and the states of entities not seen since; returns how many. */
  prune(before: Date): Promise<number>;
}

interface LatestRow {
  entity_ref: string;
  overall: string;
  failure_modes: string;
  failing_stage: string | null;
  cluster: string | null;
  owner: string | null;
  since: string;
  checked_at: string;
}

interface TransitionRow {
  id: string | number;
  entity_ref: string;
  at: string;
  from_status: string | null;
  to_status: string;
  kind: string;
  added: string;
  cleared: string;
  cluster: string | null;
}

const toState = (r: LatestRow): EntityState => ({
  entityRef: r.entity_ref,
  overall: r.overall as EntityState['overall'],
  failureModes: JSON.parse(r.failure_modes),
  ...(r.failing_stage ? { failingStage: r.failing_stage } : {}),
  ...(r.cluster ? { cluster: r.cluster } : {}),
  ...(r.owner ? { owner: r.owner } : {}),
  since: r.since,
  checkedAt: r.checked_at,
});

const toTransition = (r: TransitionRow): HistoryTransition => ({
  id: String(r.id),
  entityRef: r.entity_ref,
  at: r.at,
  from: r.from_status as HistoryTransition['from'],
  to: r.to_status as HistoryTransition['to'],
  kind: r.kind as HistoryTransition['kind'],
  added: JSON.parse(r.added),
  cleared: JSON.parse(r.cleared),
  ...(r.cluster ? { cluster: r.cluster } : {}),
});

/** Runs the migrations (unless the database service says not to) and returns the store. */
export async function createTriageHistoryStore(options: {
  database: DatabaseService;
}): Promise<TriageHistoryStore> {
  const knex = await options.database.getClient();
  if (!options.database.migrations?.skip) {
    await knex.migrate.latest({ directory: migrationsDir });
  }
  return createTriageHistoryStoreFromKnex(knex);
}

export function createTriageHistoryStoreFromKnex(
  knex: Knex,
): TriageHistoryStore {
  const isSqlite = String(knex.client.config.client).includes('sqlite');
  return {
    async record(observed, at) {
      const now = at.toISOString();
      return knex.transaction(async tx => {
        const read = tx<LatestRow>('latest_reports').where({
          entity_ref: observed.entityRef,
        });
        // SQLite serializes writers anyway (and knex warns on FOR UPDATE there).
        const row = await (isSqlite ? read : read.forUpdate()).first();
        const previous = row ? toState(row) : undefined;
        const change = reportTransition(previous, observed);
        const latest: LatestRow = {
          entity_ref: observed.entityRef,
          overall: observed.overall,
          failure_modes: JSON.stringify(observed.failureModes),
          failing_stage: observed.failingStage ?? null,
          cluster: observed.cluster ?? null,
          owner: observed.owner ?? null,
          // Time in state runs from the change of status, not from a change of failure modes alone.
          since:
            previous && previous.overall === observed.overall
              ? previous.since
              : now,
          checked_at: now,
        };
        await tx('latest_reports')
          .insert(latest)
          .onConflict('entity_ref')
          .merge();
        if (!change) return undefined;
        const [inserted] = await tx('transitions')
          .insert({
            entity_ref: observed.entityRef,
            at: now,
            from_status: change.from,
            to_status: change.to,
            kind: change.kind,
            added: JSON.stringify(change.added),
            cleared: JSON.stringify(change.cleared),
            cluster: observed.cluster ?? null,
          })
          .returning('id');
        const id = typeof inserted === 'object' ? inserted.id : inserted;
        return {
          ...change,
          id: String(id),
          entityRef: observed.entityRef,
          at: now,
          ...(observed.cluster ? { cluster: observed.cluster } : {}),
        };
      });
    },

    async state(entityRef) {
      const row = await knex<LatestRow>('latest_reports')
        .where({ entity_ref: entityRef })
        .first();
      return row ? toState(row) : undefined;
    },

    async states() {
      const rows = await knex<LatestRow>('latest_reports').orderBy(
        'entity_ref',
      );
      return rows.map(toState);
    },

    async transitions({ entityRef, limit, offset = 0 }) {
      const query = knex<TransitionRow>('transitions')
        .orderBy([
          { column: 'at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(limit)
        .offset(offset);
      if (entityRef) query.where({ entity_ref: entityRef });
      return (await query).map(toTransition);
    },

    async claimNotification(id, at) {
      const updated = await knex('transitions')
        .where({ id })
        .whereNull('notified_at')
        .update({ notified_at: at.toISOString() });
      return updated === 1;
    },

    async prune(before) {
      const cutoff = before.toISOString();
      const transitions = await knex('transitions')
        .where('at', '<', cutoff)
        .delete();
      const states = await knex('latest_reports')
        .where('checked_at', '<', cutoff)
        .delete();
      return transitions + states;
    },
  };
}
