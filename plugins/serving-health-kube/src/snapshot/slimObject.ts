import { KubeObject } from '@serving-health/plugin-serving-health-common';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * What a snapshot keeps of an object: no check reads managedFields, kubectl's last-applied copy of the whole
 * object, or a CRD's OpenAPI schema, and together they are most of the bytes of a large cluster's objects.
 * Returns a new object; the input is not changed.
 *
 * @public
 */
export function slimObject(item: KubeObject): KubeObject {
  if (!item || typeof item !== 'object' || !item.metadata) return item;
  const { managedFields: _managed, ...metadata } = item.metadata as any;
  if (metadata.annotations?.[LAST_APPLIED] !== undefined) {
    const { [LAST_APPLIED]: _applied, ...annotations } = metadata.annotations;
    metadata.annotations = annotations;
  }
  const slim: any = { ...item, metadata };
  if (
    item.kind === 'CustomResourceDefinition' &&
    Array.isArray(slim.spec?.versions)
  ) {
    slim.spec = {
      ...slim.spec,
      versions: slim.spec.versions.map(({ schema: _schema, ...v }: any) => v),
    };
  }
  return slim;
}
