import {
  DEFAULT_SERVING_RULES,
  parseServingRules,
  ServingRulesFormatError,
} from './servingRules';

describe('parseServingRules', () => {
  it('keeps the defaults for omitted fields', () => {
    expect(parseServingRules('inferenceServices:\n  probes: [readinessProbe]\n')).toEqual({
      inferenceServices: {
        ...DEFAULT_SERVING_RULES.inferenceServices,
        probes: ['readinessProbe'],
      },
    });
    expect(parseServingRules('')).toEqual(DEFAULT_SERVING_RULES);
  });

  it.each([
    ['inferenceService: {}', 'unknown field(s) `inferenceService`'],
    ['inferenceServices: { probe: [] }', 'unknown field(s) `inferenceServices.probe`'],
    ['inferenceServices: { probes: [startupProbe] }', '`inferenceServices.probes` has `startupProbe`'],
    ['inferenceServices: { limits: cpu }', '`inferenceServices.limits` must be a list of strings'],
    ['inferenceServices: [', 'not valid YAML'],
  ])('rejects %j naming what is wrong', (text, message) => {
    expect(() => parseServingRules(text)).toThrow(ServingRulesFormatError);
    expect(() => parseServingRules(text)).toThrow(message);
  });
});
