import { checkInferenceServiceProbes } from './inferenceServiceProbes';
import { DEFAULT_SERVING_RULES } from './servingRules';
import { KubeObject } from './types';

const rules = DEFAULT_SERVING_RULES.inferenceServices;
const probe = { httpGet: { path: '/v2/health/ready', port: 8080 } };

const isvc = (spec: unknown): KubeObject => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'fraud-detector' },
  spec,
});

describe('checkInferenceServiceProbes', () => {
  it('requires no probe unless the repository configures it', () => {
    expect(
      checkInferenceServiceProbes(isvc({ predictor: { model: {} } }), rules),
    ).toEqual([]);
  });

  it('names each required probe a predictor or transformer container lacks', () => {
    const obj = isvc({
      predictor: { model: { readinessProbe: probe } },
      transformer: { containers: [{ name: 'feast', livenessProbe: probe }] },
    });
    const findings = checkInferenceServiceProbes(obj, {
      ...rules,
      probes: ['readinessProbe', 'livenessProbe'],
    });
    expect(findings.map(f => [f.rule, f.path, f.message])).toEqual([
      [
        'inferenceservice-probes',
        '/spec/predictor/model/livenessProbe/',
        'predictor container `model` sets no livenessProbe, which this repository requires',
      ],
      [
        'inferenceservice-probes',
        '/spec/transformer/containers/0/readinessProbe/',
        'transformer container `feast` sets no readinessProbe, which this repository requires',
      ],
    ]);
    expect(findings[0].hint).toContain('/v2/health/live');
  });
});
