import { Entity } from '@backstage/catalog-model';
import { isServingHealthEntity } from '@serving-health/plugin-serving-health-common';

/**
 * True when the entity is one the backend triages (the same rule, from -common).
 *
 * @public
 */
export const isServingHealthAvailable = (entity: Entity): boolean =>
  isServingHealthEntity(entity);
