import { useCallback } from 'react';
import { useRouteRef } from '@backstage/core-plugin-api';
import { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { ENTITY_CONTENT_PATH } from '../routes';

function useEntityRoute() {
  try {
    return useRouteRef(entityRouteRef);
  } catch {
    // useRouteRef throws after its own hooks ran, so the hook order stays stable.
    return undefined;
  }
}

/** Builds the link to one tab (a path relative to the entity page, e.g. `kubernetes`) of an entity's page. */
export function useEntityTabLink(): (
  entity: Entity | CompoundEntityRef | string,
  tab: string,
) => string {
  const entityRoute = useEntityRoute();
  return useCallback(
    (entity, tab) => {
      const params = entityRouteParams(entity, { encodeParams: true });
      // Without a mounted catalog entity page, fall back to the catalog's default path.
      const base = entityRoute
        ? entityRoute(params)
        : `/catalog/${params.namespace}/${params.kind}/${params.name}`;
      return `${base}/${tab}`;
    },
    [entityRoute],
  );
}

/** Builds the link to an entity's Serving Health tab. */
export function useServingHealthTabLink(): (
  entity: Entity | CompoundEntityRef | string,
) => string {
  const tabLink = useEntityTabLink();
  return useCallback(entity => tabLink(entity, ENTITY_CONTENT_PATH), [tabLink]);
}
