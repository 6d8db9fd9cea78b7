import { parseEntityRef } from '@backstage/catalog-model';
import {
  FAILURE_MODE_IDS,
  FailureModeId,
  FleetEntry,
} from '@serving-health/plugin-serving-health-common';

/** A fleet entry with its entity ref taken apart, as the table shows and links it. */
export interface FleetRow extends FleetEntry {
  id: string;
  name: string;
  namespace: string;
  kind: string;
}

/** The fleet page's filters, as kept in the URL query. */
export interface FleetFilters {
  /** Free text matched against the entity's name, title, ref and cluster. */
  q?: string | null;
  cluster?: string | null;
  owner?: string | null;
  status?: string | null;
  failureMode?: string | null;
}

export const FILTER_KEYS = [
  'q',
  'cluster',
  'owner',
  'status',
  'failureMode',
] as const;

export function toFleetRows(entries: FleetEntry[]): FleetRow[] {
  return entries.map(entry => {
    const ref = parseEntityRef(entry.entityRef);
    return {
      id: entry.entityRef,
      name: ref.name,
      namespace: ref.namespace,
      kind: ref.kind,
      entityRef: entry.entityRef,
      title: entry.title,
      cluster: entry.cluster,
      owner: entry.owner,
      overall: entry.overall,
      failingStage: entry.failingStage,
      failureModes: entry.failureModes,
      error: entry.error,
    };
  });
}

export function filterFleetRows(
  rows: FleetRow[],
  filters: FleetFilters,
): FleetRow[] {
  const q = filters.q?.trim().toLocaleLowerCase('en-US');
  return rows.filter(
    row =>
      (!q ||
        [row.name, row.title, row.entityRef, row.cluster].some(text =>
          text?.toLocaleLowerCase('en-US').includes(q),
        )) &&
      (!filters.cluster || row.cluster === filters.cluster) &&
      (!filters.owner || row.owner === filters.owner) &&
      (!filters.status || row.overall === filters.status) &&
      (!filters.failureMode ||
        row.failureModes.includes(filters.failureMode as FailureModeId)),
  );
}

/** How many endpoints of one cluster a failure mode breaks (failing) and degrades. */
export interface ProblemCount {
  failureMode: FailureModeId;
  failing: number;
  degraded: number;
}

export interface ClusterProblems {
  cluster: string;
  problems: ProblemCount[];
}

/**
 * Failure modes per cluster with the endpoints each one breaks, most first: a platform team fixes a cause once
 * per cluster, not once per endpoint. Only failing and degraded endpoints count; a degraded one separately.
 */
export function groupProblems(rows: FleetRow[]): ClusterProblems[] {
  const byCluster = new Map<string, Map<FailureModeId, ProblemCount>>();
  for (const row of rows) {
    if (
      !row.cluster ||
      (row.overall !== 'failing' && row.overall !== 'degraded')
    ) {
      continue;
    }
    const modes = byCluster.get(row.cluster) ?? new Map();
    byCluster.set(row.cluster, modes);
    for (const id of row.failureModes) {
      const count = modes.get(id) ?? {
        failureMode: id,
        failing: 0,
        degraded: 0,
      };
      count[row.overall] += 1;
      modes.set(id, count);
    }
  }
  const catalogueOrder = (id: FailureModeId) => FAILURE_MODE_IDS.indexOf(id);
  return [...byCluster.entries()]
    .filter(([, modes]) => modes.size > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cluster, modes]) => ({
      cluster,
      problems: [...modes.values()].sort(
        (a, b) =>
          b.failing - a.failing ||
          b.degraded - a.degraded ||
          catalogueOrder(a.failureMode) - catalogueOrder(b.failureMode),
      ),
    }));
}
