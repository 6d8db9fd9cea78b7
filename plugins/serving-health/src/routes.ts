import { createRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({
  id: 'serving-health',
});

export const entityContentRouteRef = createRouteRef({
  id: 'serving-health:entity-content',
});

/** Path of the entity tab below an entity page, in both app styles. */
export const ENTITY_CONTENT_PATH = 'serving-health';
