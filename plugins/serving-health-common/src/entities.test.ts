import { Entity } from '@backstage/catalog-model';
import { isServingHealthEntity, ownerEntityRef } from './entities';

const entity = (
  annotations: Record<string, string>,
  spec: Entity['spec'] = { type: 'service' },
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'e', annotations },
  spec,
});

describe('isServingHealthEntity', () => {
  it('accepts an entity naming its InferenceService, whatever its type', () => {
    expect(
      isServingHealthEntity(
        entity({ 'serving.kserve.io/inferenceservice': 'models/fraud' }),
      ),
    ).toBe(true);
  });

  it('accepts a kubernetes-id only on a model endpoint', () => {
    const id = { 'backstage.io/kubernetes-id': 'fraud' };
    expect(isServingHealthEntity(entity(id, { type: 'model-endpoint' }))).toBe(true);
    expect(isServingHealthEntity(entity(id, { type: 'service' }))).toBe(false);
    expect(isServingHealthEntity(entity(id, {}))).toBe(false);
  });

  it('rejects an entity with neither annotation, or an empty one', () => {
    expect(isServingHealthEntity(entity({}))).toBe(false);
    expect(
      isServingHealthEntity(entity({ 'serving.kserve.io/inferenceservice': '' })),
    ).toBe(false);
  });
});

describe('ownerEntityRef', () => {
  it('reads spec.owner as the catalog does: kind Group and namespace default unless given', () => {
    expect(ownerEntityRef('team-ml')).toBe('group:default/team-ml');
    expect(ownerEntityRef('user:ops/alice')).toBe('user:ops/alice');
  });

  it('is undefined for an absent or malformed owner', () => {
    expect(ownerEntityRef(undefined)).toBeUndefined();
    expect(ownerEntityRef('')).toBeUndefined();
    expect(ownerEntityRef(42)).toBeUndefined();
    expect(ownerEntityRef('user:')).toBeUndefined();
  });
});
