import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { FleetEntry } from '@serving-health/plugin-serving-health-common';
import { OVERALL_SEVERITY } from '../../status';

/** The catalog filter of the entities a group owns or a system holds; undefined for other kinds. */
export function endpointsQueryOf(
  entity: Entity,
): Record<string, string> | undefined {
  const ref = stringifyEntityRef(entity);
  switch (entity.kind.toLocaleLowerCase('en-US')) {
    case 'group':
      return { 'relations.ownedBy': ref };
    case 'system':
      return { 'relations.partOf': ref };
    default:
      return undefined;
  }
}

/** Worst first: failing, degraded, unknown, healthy; then more failure modes first; then by name. */
export function worstFirst(entries: FleetEntry[]): FleetEntry[] {
  return [...entries].sort(
    (a, b) =>
      OVERALL_SEVERITY[b.overall] - OVERALL_SEVERITY[a.overall] ||
      b.failureModes.length - a.failureModes.length ||
      a.entityRef.localeCompare(b.entityRef),
  );
}
