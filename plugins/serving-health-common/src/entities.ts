import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_INFERENCESERVICE,
  ANNOTATION_KUBERNETES_ID,
} from './annotations';

/**
 * The one rule for which catalog entities Serving Health triages: those naming an InferenceService, and
 * model endpoints (`spec.type: model-endpoint`) with a `backstage.io/kubernetes-id`. The frontend shows the
 * tab and card for exactly these; the backend's fleet lists exactly these.
 *
 * @public
 */
export function isServingHealthEntity(entity: Entity): boolean {
  const a = entity.metadata.annotations ?? {};
  return (
    !!a[ANNOTATION_INFERENCESERVICE] ||
    (!!a[ANNOTATION_KUBERNETES_ID] &&
      (entity.spec as { type?: unknown } | undefined)?.type === 'model-endpoint')
  );
}

/**
 * An owner as an entity ref (`group:default/team-ml`), read as the catalog reads `spec.owner`: kind Group and
 * namespace default unless given. Undefined when absent or malformed.
 *
 * @public
 */
export function ownerEntityRef(owner: unknown): string | undefined {
  if (typeof owner !== 'string' || !owner) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, { defaultKind: 'group', defaultNamespace: 'default' }),
    );
  } catch {
    return undefined;
  }
}
