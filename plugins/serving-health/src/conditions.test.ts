import { isServingHealthAvailable } from './conditions';
import {
  entityWithoutAnnotation,
  modelEndpointEntity,
} from './__fixtures__/reports';

describe('isServingHealthAvailable', () => {
  it('is true for an entity naming its InferenceService', () => {
    expect(isServingHealthAvailable(modelEndpointEntity)).toBe(true);
  });

  it('is true for a model endpoint with a kubernetes-id', () => {
    expect(
      isServingHealthAvailable({
        ...entityWithoutAnnotation,
        spec: { ...entityWithoutAnnotation.spec, type: 'model-endpoint' },
        metadata: {
          name: 'x',
          annotations: { 'backstage.io/kubernetes-id': 'fraud' },
        },
      }),
    ).toBe(true);
  });

  it('is false for a kubernetes-id on anything but a model endpoint, as the backend decides', () => {
    expect(
      isServingHealthAvailable({
        ...entityWithoutAnnotation,
        spec: { ...entityWithoutAnnotation.spec, type: 'service' },
        metadata: {
          name: 'x',
          annotations: { 'backstage.io/kubernetes-id': 'web' },
        },
      }),
    ).toBe(false);
  });

  it('is false without a serving annotation', () => {
    expect(isServingHealthAvailable(entityWithoutAnnotation)).toBe(false);
  });
});
