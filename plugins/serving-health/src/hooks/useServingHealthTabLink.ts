import { useCallback } from 'react';
import { useRouteRef } from '@backstage/core-plugin-api';
import { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { ENTITY_CONTENT_PATH } from '../routes';

/** Builds the link to an entity's Serving Health tab. */
export function useServingHealthTabLink(): (
  entity: Entity | CompoundEntityRef | string,
) => string {
  const entityRoute = useRouteRef(entityRouteRef);
  return useCallback(
    entity =>
      `${entityRoute(entityRouteParams(entity, { encodeParams: true }))}/${ENTITY_CONTENT_PATH}`,
    [entityRoute],
  );
}
