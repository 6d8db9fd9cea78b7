import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { EntityFilter } from '@backstage/plugin-catalog-react';
import {
  FAILURE_MODE_IDS,
  FailureModeId,
  FleetEntry,
  OverallStatus,
} from '@serving-health/plugin-serving-health-common';
import { OVERALL_STATUSES } from '../../status';

/**
 * What the sidebar filter selects; both parts must hold when both are set.
 *
 * @public
 */
export interface ServingHealthSelection {
  status?: OverallStatus;
  failureMode?: FailureModeId;
}

export function matchesSelection(
  entry: FleetEntry,
  selection: ServingHealthSelection,
): boolean {
  return (
    (!selection.status || entry.overall === selection.status) &&
    (!selection.failureMode ||
      entry.failureModes.includes(selection.failureMode))
  );
}

/** `status:<status>` and `mode:<failure mode>`, as kept in the catalog's URL query. */
export function selectionToQuery(selection: ServingHealthSelection): string[] {
  return [
    ...(selection.status ? [`status:${selection.status}`] : []),
    ...(selection.failureMode ? [`mode:${selection.failureMode}`] : []),
  ];
}

/** The selection a URL carries; values that are no status or failure mode are ignored. */
export function selectionFromQuery(
  value: string | string[] | undefined,
): ServingHealthSelection {
  const values = typeof value === 'string' ? [value] : value ?? [];
  const selection: ServingHealthSelection = {};
  for (const v of values) {
    const [part, id] = v.split(':', 2);
    if (part === 'status' && OVERALL_STATUSES.includes(id as OverallStatus)) {
      selection.status = id as OverallStatus;
    } else if (
      part === 'mode' &&
      FAILURE_MODE_IDS.includes(id as FailureModeId)
    ) {
      selection.failureMode = id as FailureModeId;
    }
  }
  return selection;
}

// No entity has this uid: with nothing matching, the catalog query must return nothing, not everything.
const NO_MATCH_UID = 'serving-health:no-match';

const refKey = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * The catalog filter "Serving health": the entities whose summary matches the selection. It narrows the
 * catalog's own query by uid (paginated catalogs filter on the backend only) and checks each entity on the
 * frontend, so it composes with the catalog's other filters either way.
 *
 * @public
 */
export class ServingHealthFilter implements EntityFilter {
  private readonly refs: Set<string>;

  constructor(
    readonly selection: ServingHealthSelection,
    /** Refs of the entities that match. */
    matching: string[],
    /** Their catalog uids. */
    private readonly uids: string[],
  ) {
    this.refs = new Set(matching.map(refKey));
  }

  getCatalogFilters() {
    return { 'metadata.uid': this.uids.length ? this.uids : [NO_MATCH_UID] };
  }

  filterEntity(entity: Entity) {
    return this.refs.has(refKey(stringifyEntityRef(entity)));
  }

  toQueryValue() {
    return selectionToQuery(this.selection);
  }
}
