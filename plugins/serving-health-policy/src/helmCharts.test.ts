import { isChartFile, loadHelmCharts } from './helmCharts';
import { parseManifests } from './manifests';

const docs = (files: Record<string, string>) =>
  Object.entries(files).flatMap(([file, text]) => parseManifests(text, file).documents);

describe('loadHelmCharts', () => {
  it('reads a chart with its values, schema and vendored dependency (found by name, keyed by alias)', () => {
    const charts = loadHelmCharts(
      docs({
        'charts/recommender/Chart.yaml':
          'apiVersion: v2\nname: recommender\ndependencies:\n  - { name: redis, alias: cache, condition: cache.enabled }\n  - { name: postgresql }\n',
        'charts/recommender/values.yaml': 'image: { tag: v1 }\n',
        'charts/recommender/values.schema.json': '{"type": "object"}',
        'charts/recommender/charts/redis/Chart.yaml': 'apiVersion: v2\nname: redis\n',
        'charts/recommender/charts/redis/values.yaml': 'master: { count: 1 }\n',
      }),
    );
    expect(charts).toEqual([
      {
        dir: 'charts/recommender',
        name: 'recommender',
        values: { image: { tag: 'v1' } },
        schema: { type: 'object' },
        dependencies: [
          {
            name: 'redis',
            alias: 'cache',
            condition: 'cache.enabled',
            chart: {
              dir: 'charts/recommender/charts/redis',
              name: 'redis',
              values: { master: { count: 1 } },
              schema: undefined,
              dependencies: [],
            },
          },
          { name: 'postgresql' },
        ],
      },
    ]);
  });

  it('tells chart files (templates, values, vendored charts) from the manifests next to them', () => {
    const dirs = ['charts/recommender'];
    expect(isChartFile('charts/recommender/templates/isvc.yaml', dirs)).toBe(true);
    expect(isChartFile('charts/recommender/values-prod.yaml', dirs)).toBe(true);
    expect(isChartFile('charts/recommender/charts/redis/values.yaml', dirs)).toBe(true);
    expect(isChartFile('charts/recommender-crds/crd.yaml', dirs)).toBe(false);
    expect(isChartFile('apps/recommender.yaml', dirs)).toBe(false);
  });
});
