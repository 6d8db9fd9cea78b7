import { checkHelmValues, HelmChart, nearestKey } from './helmValuesPath';

const redis: HelmChart = {
  dir: 'charts/recommender/charts/redis',
  name: 'redis',
  values: {
    architecture: 'replication',
    auth: { enabled: true, password: '' },
    master: { resources: {}, persistence: { size: '8Gi' } },
  },
  dependencies: [],
};

const recommender: HelmChart = {
  dir: 'charts/recommender',
  name: 'recommender',
  values: {
    image: { repository: 'kserve/sklearnserver', tag: 'v0.14.0' },
    predictor: { resources: { requests: { cpu: '1' } }, minReplicas: 1 },
    podAnnotations: {},
  },
  dependencies: [
    { name: 'redis', alias: 'cache', condition: 'cache.enabled', chart: redis },
    { name: 'postgresql' },
  ],
};

describe('checkHelmValues', () => {
  it('accepts keys the chart defines, free-form maps, global, conditions and aliased dependencies', () => {
    expect(
      checkHelmValues(recommender, {
        global: { imageRegistry: 'r' },
        image: { tag: 'v0.15.0' },
        predictor: { resources: { limits: { memory: '4Gi' } } },
        podAnnotations: { 'prometheus.io/scrape': 'true' },
        cache: { enabled: true, master: { persistence: { size: '1Gi' } } },
      }),
    ).toEqual({ undefinedValues: [], notVendored: [] });
  });

  it('names a misspelt key and its sibling', () => {
    expect(
      checkHelmValues(recommender, { predictor: { minReplica: 2 } }).undefinedValues,
    ).toEqual([{ path: ['predictor', 'minReplica'], nearest: ['predictor', 'minReplicas'] }]);
  });

  it('names values given under the dependency name when the chart aliases it', () => {
    expect(
      checkHelmValues(recommender, { redis: { auth: { password: 'x' } } }).undefinedValues,
    ).toEqual([{ path: ['redis'], nearest: ['cache'] }]);
  });

  it('names a subchart key at the wrong depth with the path that defines it', () => {
    expect(
      checkHelmValues(recommender, { cache: { persistence: { size: '1Gi' } } }).undefinedValues,
    ).toEqual([
      { path: ['cache', 'persistence'], nearest: ['cache', 'master', 'persistence'] },
    ]);
  });

  it('checks inside a dependency: a misspelt key under the alias', () => {
    expect(
      checkHelmValues(recommender, { cache: { master: { resource: {} } } }).undefinedValues,
    ).toEqual([
      { path: ['cache', 'master', 'resource'], nearest: ['cache', 'master', 'resources'] },
    ]);
  });

  it('reports values for a dependency that is not vendored instead of judging them', () => {
    expect(checkHelmValues(recommender, { postgresql: { auth: {} } })).toEqual({
      undefinedValues: [],
      notVendored: [{ path: ['postgresql'], dependency: 'postgresql' }],
    });
  });

  it('lets values.schema.json define keys, and close a level with additionalProperties: false', () => {
    const chart: HelmChart = {
      ...recommender,
      values: { ...(recommender.values as object), extraEnv: {} },
      schema: {
        type: 'object',
        properties: {
          image: { type: 'object' },
          predictor: { type: 'object' },
          podAnnotations: { type: 'object' },
          extraEnv: { type: 'object', additionalProperties: false, properties: { LOG_LEVEL: {} } },
          storageUri: { type: 'string' },
        },
      },
    };
    expect(
      checkHelmValues(chart, { storageUri: 's3://m', extraEnv: { LOGLEVEL: 'debug' } }).undefinedValues,
    ).toEqual([{ path: ['extraEnv', 'LOGLEVEL'], nearest: ['extraEnv', 'LOG_LEVEL'] }]);
  });
});

describe('nearestKey', () => {
  it('matches case and separators first, then a small edit distance, else nothing', () => {
    expect(nearestKey('cost_center', ['costCenter', 'owner'])).toBe('costCenter');
    expect(nearestKey('resource', ['resources', 'replicas'])).toBe('resources');
    expect(nearestKey('tolerations', ['image', 'affinity'])).toBeUndefined();
  });
});
