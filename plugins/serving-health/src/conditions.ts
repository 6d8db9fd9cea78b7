import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  isServingHealthEntity,
} from '@serving-health/plugin-serving-health-common';

/**
 * True when the entity is one the backend triages (the same rule, from -common).
 *
 * @public
 */
export const isServingHealthAvailable = (entity: Entity): boolean =>
  isServingHealthEntity(entity);

/** True when Backstage's Kubernetes plugin can find the entity's objects, so its `kubernetes` tab has something to show. */
export const hasKubernetesTab = (entity: Entity): boolean =>
  [ANNOTATION_KUBERNETES_ID, ANNOTATION_KUBERNETES_LABEL_SELECTOR].some(
    a => !!entity.metadata.annotations?.[a],
  );
