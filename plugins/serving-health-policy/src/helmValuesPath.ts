/*
 * Helm merges the values it is given over a chart's defaults and never complains about a key no template
 * reads: an override under the wrong name (a dependency's name instead of its alias, `resource` for
 * `resources`, a subchart key at the top level) is silently ignored. This rule names each key a chart and its
 * dependencies do not define, and the nearest path they do.
 */

/**
 * A chart as the repository holds it: its defaults, its schema and its vendored dependencies.
 *
 * @public
 */
export interface HelmChart {
  /** Directory of Chart.yaml. */
  dir: string;
  name: string;
  /** values.yaml, parsed (an empty object when absent). */
  values: unknown;
  /** values.schema.json, parsed, when present. */
  schema?: unknown;
  dependencies: HelmDependency[];
}

/** @public */
export interface HelmDependency {
  name: string;
  alias?: string;
  /** `condition` of Chart.yaml (comma-separated value paths, e.g. `redis.enabled`). */
  condition?: string;
  /** The vendored chart (charts/<name>/ or charts/<name>-<version>.tgz); absent when not vendored. */
  chart?: HelmChart;
}

/** @public */
export interface UndefinedValue {
  /** Key path of the ignored override, e.g. `['redis', 'master', 'resource']`. */
  path: string[];
  /** The nearest path the chart defines, when one is close. */
  nearest?: string[];
}

/** @public */
export interface HelmValuesResult {
  undefinedValues: UndefinedValue[];
  /** Dependencies whose keys could not be judged (not vendored). */
  notVendored: Array<{ path: string[]; dependency: string }>;
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** What one level of a chart defines: its default map, its schema node and the dependencies (top level only). */
interface Level {
  defaults: unknown;
  schema: unknown;
}

function schemaProperty(schema: unknown, key: string): unknown {
  if (!isMap(schema)) return undefined;
  if (isMap(schema.properties) && key in schema.properties)
    return schema.properties[key];
  return undefined;
}

/**
 * Keys charts pass to Kubernetes whole (`toYaml`), whatever their defaults show: a default of
 * `resources: { requests: ... }` does not make `resources.limits` an unknown key.
 */
const KUBERNETES_PASS_THROUGH = new Set([
  'resources',
  'nodeSelector',
  'tolerations',
  'affinity',
  'annotations',
  'labels',
  'podAnnotations',
  'podLabels',
  'securityContext',
  'podSecurityContext',
  'containerSecurityContext',
  'env',
  'extraEnv',
  'envFrom',
  'volumes',
  'volumeMounts',
  'extraVolumes',
  'extraVolumeMounts',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'topologySpreadConstraints',
]);

/** True when the level accepts any key: free-form defaults (`{}`, null) and no schema saying otherwise. */
function isOpen(level: Level, key?: string): boolean {
  const { defaults, schema } = level;
  if (key !== undefined && KUBERNETES_PASS_THROUGH.has(key) && !isMap(schema))
    return true;
  if (isMap(schema)) {
    if (schema.additionalProperties === false) return false;
    if (isMap(schema.additionalProperties) || schema.additionalProperties === true)
      return true;
    if (isMap(schema.patternProperties)) return true;
    if (isMap(schema.properties)) return false;
  }
  return !isMap(defaults) || Object.keys(defaults).length === 0;
}

/** Levenshtein distance, bounded by the lengths of two short keys. */
function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(
        prev[j] + 1,
        prev[j - 1] + 1,
        diag + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diag = up;
    }
  }
  return prev[b.length];
}

const comparable = (k: string) => k.toLowerCase().replace(/[-_]/g, '');

/** The closest key among `keys`: same letters modulo case and separators, else within a third of its length. */
export function nearestKey(key: string, keys: string[]): string | undefined {
  const same = keys.find(k => comparable(k) === comparable(key));
  if (same) return same;
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(key.length / 3)) + 1;
  for (const k of keys) {
    const d = editDistance(key, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** Every key path the chart (and its vendored dependencies) defines, for a key met at the wrong depth. */
function definedPaths(chart: HelmChart): string[][] {
  const out: string[][] = [];
  const walk = (defaults: unknown, schema: unknown, prefix: string[]) => {
    const keys = new Set<string>([
      ...(isMap(defaults) ? Object.keys(defaults) : []),
      ...(isMap(schema) && isMap(schema.properties)
        ? Object.keys(schema.properties)
        : []),
    ]);
    for (const k of keys) {
      out.push([...prefix, k]);
      walk(
        isMap(defaults) ? defaults[k] : undefined,
        schemaProperty(schema, k),
        [...prefix, k],
      );
    }
  };
  walk(chart.values, chart.schema, []);
  for (const dep of chart.dependencies) {
    const key = dep.alias ?? dep.name;
    if (dep.chart)
      definedPaths(dep.chart).forEach(p => out.push([key, ...p]));
  }
  return out;
}

/** The keys one level defines, and at a chart's top level its dependencies' names or aliases. */
const levelKeys = (level: Level, dependent?: HelmChart) => [
  ...(isMap(level.defaults) ? Object.keys(level.defaults) : []),
  ...(isMap(level.schema) && isMap(level.schema.properties)
    ? Object.keys(level.schema.properties)
    : []),
  ...(dependent ? dependent.dependencies.map(d => d.alias ?? d.name) : []),
];

/**
 * Checks `values` given to `chart`: every key must be one the chart's values.yaml or values.schema.json
 * defines, or belong to a vendored dependency (under its alias when it has one, else its name) that defines
 * it. `global` is always accepted, and so are the paths of dependencies' `condition`s.
 *
 * @public
 */
export function checkHelmValues(
  chart: HelmChart,
  values: unknown,
): HelmValuesResult {
  const result: HelmValuesResult = { undefinedValues: [], notVendored: [] };
  const all = () => definedPaths(chart);
  let cachedAll: string[][] | undefined;
  const nearestAnywhere = (path: string[]): string[] | undefined => {
    cachedAll ??= all();
    const key = path[path.length - 1];
    const candidates = cachedAll
      .filter(p => p[p.length - 1] === key && p.join('.') !== path.join('.'))
      .sort((a, b) => a.length - b.length);
    return candidates[0];
  };

  function walk(
    level: Level,
    given: unknown,
    path: string[],
    siblings: string[],
    inChart: HelmChart,
    chartPrefix: string[],
  ) {
    if (!isMap(given)) return;
    for (const [key, value] of Object.entries(given)) {
      const here = [...path, key];
      if (path.length === chartPrefix.length) {
        if (key === 'global') continue;
        const dep = inChart.dependencies.find(d => (d.alias ?? d.name) === key);
        if (dep) {
          checkDependency(dep, value, here);
          continue;
        }
      }
      const defaults = isMap(level.defaults) ? level.defaults : undefined;
      const defined =
        (defaults !== undefined && key in defaults) ||
        schemaProperty(level.schema, key) !== undefined;
      if (!defined) {
        if (isOpen(level)) continue;
        // Helm knows an aliased dependency only by its alias.
        const aliased =
          path.length === chartPrefix.length
            ? inChart.dependencies.find(d => d.alias && d.name === key)?.alias
            : undefined;
        const near = aliased ?? nearestKey(key, siblings);
        const nearest = near ? [...path, near] : nearestAnywhere(here);
        result.undefinedValues.push({
          path: here,
          ...(nearest ? { nearest } : {}),
        });
        continue;
      }
      const child: Level = {
        defaults: defaults?.[key],
        schema: schemaProperty(level.schema, key),
      };
      if (isOpen(child, key) && KUBERNETES_PASS_THROUGH.has(key)) continue;
      // A default that is not a map (a list, a scalar) takes whatever it is given.
      if (!isMap(child.defaults) && !isMap(child.schema)) continue;
      walk(child, value, here, levelKeys(child), inChart, chartPrefix);
    }
  }

  function checkDependency(dep: HelmDependency, value: unknown, at: string[]) {
    if (!isMap(value)) return;
    const conditionKeys = (dep.condition ?? '')
      .split(',')
      .map(c => c.trim().split('.'))
      .filter(segs => segs.length === 2 && segs[0] === (dep.alias ?? dep.name))
      .map(segs => segs[1]);
    const rest = Object.fromEntries(
      Object.entries(value).filter(([k]) => !conditionKeys.includes(k)),
    );
    if (!dep.chart) {
      if (Object.keys(rest).length)
        result.notVendored.push({ path: at, dependency: dep.name });
      return;
    }
    const level: Level = { defaults: dep.chart.values, schema: dep.chart.schema };
    walk(level, rest, at, levelKeys(level, dep.chart), dep.chart, at);
  }

  const top: Level = { defaults: chart.values, schema: chart.schema };
  walk(top, values, [], levelKeys(top, chart), chart, []);
  return result;
}
