import { Entity } from '@backstage/catalog-model';
import { SERVING_ANNOTATIONS } from '@serving-health/plugin-serving-health-common';

/**
 * True when the entity names a model endpoint Serving Health can triage.
 *
 * @public
 */
export const isServingHealthAvailable = (entity: Entity): boolean =>
  SERVING_ANNOTATIONS.some(a => Boolean(entity.metadata.annotations?.[a]));
