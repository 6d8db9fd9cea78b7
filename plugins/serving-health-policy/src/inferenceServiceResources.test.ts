import { checkInferenceServiceResources } from './inferenceServiceResources';
import { DEFAULT_SERVING_RULES } from './servingRules';
import { KubeObject } from './types';

const rules = DEFAULT_SERVING_RULES.inferenceServices;

const isvc = (spec: unknown): KubeObject => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'fraud-detector', namespace: 'models' },
  spec,
});

const full = {
  requests: { cpu: '1', memory: '2Gi' },
  limits: { cpu: '2', memory: '4Gi' },
};

describe('checkInferenceServiceResources', () => {
  it('is silent when every predictor and transformer container requests and limits cpu and memory', () => {
    const obj = isvc({
      predictor: {
        model: { modelFormat: { name: 'sklearn' }, resources: full },
      },
      transformer: { containers: [{ name: 'kserve-container', resources: full }] },
    });
    expect(checkInferenceServiceResources(obj, rules)).toEqual([]);
  });

  it('names the component, the container, the missing resources and the path', () => {
    const obj = isvc({
      predictor: {
        model: {
          modelFormat: { name: 'sklearn' },
          resources: { requests: { cpu: '1' } },
        },
      },
      transformer: { containers: [{ name: 'feast', image: 'feast:1' }] },
    });
    expect(checkInferenceServiceResources(obj, rules)).toEqual([
      expect.objectContaining({
        rule: 'inferenceservice-resources',
        message: 'predictor container `model` sets no resources.requests for `memory`',
        path: '/spec/predictor/model/resources/requests/',
      }),
      expect.objectContaining({
        message: 'predictor container `model` sets no resources.limits for `cpu`, `memory`',
        path: '/spec/predictor/model/resources/limits/',
      }),
      expect.objectContaining({
        message: 'transformer container `feast` sets no resources.requests for `cpu`, `memory`',
        path: '/spec/transformer/containers/0/resources/requests/',
      }),
      expect.objectContaining({
        path: '/spec/transformer/containers/0/resources/limits/',
      }),
    ]);
  });

  it('checks the older per-framework predictor fields and custom predictor containers', () => {
    const obj = isvc({
      predictor: {
        sklearn: { storageUri: 's3://m', resources: full },
        containers: [{ name: 'custom' }],
      },
    });
    expect(
      checkInferenceServiceResources(obj, rules).map(f => f.path),
    ).toEqual([
      '/spec/predictor/containers/0/resources/requests/',
      '/spec/predictor/containers/0/resources/limits/',
    ]);
  });

  it('follows the repository settings: only the listed resources and components', () => {
    const obj = isvc({
      predictor: { model: { resources: { requests: { memory: '1Gi' }, limits: { memory: '1Gi' } } } },
      transformer: { containers: [{ name: 't' }] },
    });
    expect(
      checkInferenceServiceResources(obj, {
        ...rules,
        components: ['predictor'],
        requests: ['memory'],
        limits: ['memory'],
      }),
    ).toEqual([]);
  });

  it('ignores other kinds', () => {
    expect(
      checkInferenceServiceResources(
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { predictor: { model: {} } } },
        rules,
      ),
    ).toEqual([]);
  });
});
