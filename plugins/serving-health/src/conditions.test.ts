import { isServingHealthAvailable } from './conditions';
import {
  entityWithoutAnnotation,
  modelEndpointEntity,
} from './__fixtures__/reports';

describe('isServingHealthAvailable', () => {
  it('is true for an entity naming its InferenceService', () => {
    expect(isServingHealthAvailable(modelEndpointEntity)).toBe(true);
  });

  it('is true for an entity with a kubernetes-id', () => {
    expect(
      isServingHealthAvailable({
        ...entityWithoutAnnotation,
        metadata: {
          name: 'x',
          annotations: { 'backstage.io/kubernetes-id': 'fraud' },
        },
      }),
    ).toBe(true);
  });

  it('is false without a serving annotation', () => {
    expect(isServingHealthAvailable(entityWithoutAnnotation)).toBe(false);
  });
});
