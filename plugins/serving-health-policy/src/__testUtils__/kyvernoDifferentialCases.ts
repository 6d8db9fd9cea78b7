/*
 * The cases of the differential test (src/kyverno/differential.test.ts): pattern / resource pairs,
 * match-exclude / resource pairs, conditions, substitutions and whole policies (foreach, validate.cel) on a
 * resource, that our evaluator and Kyverno's own engine (tools/kyverno-diff) both judge.
 * Every fixture of this package comes first; then cases drawn from a seeded generator, so a run is
 * reproducible and a disagreement keeps its id from one run to the next.
 */
import fs from 'fs';
import path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { KubeObject } from '../types';
import { CONDITION_OPERATORS } from '../kyverno/conditions';
import { MatchBlock } from '../kyverno/match';
import { parseAnchor } from '../kyverno/pattern';
import { wildcardMatch } from '../kyverno/wildcard';

export interface PatternCase {
  id: string;
  source: string;
  pattern: unknown;
  resource: Record<string, unknown>;
}

export interface MatchCase {
  id: string;
  source: string;
  rule: { name: string; match: MatchBlock; exclude?: MatchBlock };
  resource: KubeObject;
  /** Labels of the resource's namespace (as the API server has them, with kubernetes.io/metadata.name). */
  namespaceLabels: Record<string, string>;
  operation: 'CREATE' | 'UPDATE';
}

/** A block of preconditions / deny conditions on an admission context (variables, JMESPath, operators). */
export interface ConditionCase {
  id: string;
  source: string;
  conditions: unknown;
  context: Record<string, unknown>;
}

/** A policy document (pattern, message) whose `{{ }}` variables are substituted on an admission context. */
export interface SubstitutionCase {
  id: string;
  source: string;
  document: unknown;
  context: Record<string, unknown>;
}

/** A whole ClusterPolicy (foreach, validate.cel) applied to a resource on CREATE, as Kyverno's engine does. */
export interface PolicyCase {
  id: string;
  source: string;
  policy: KubeObject;
  resource: KubeObject;
}

export type DifferentialCase =
  | PatternCase
  | MatchCase
  | ConditionCase
  | SubstitutionCase
  | PolicyCase;

export const DEFAULT_SEED = 0x5eed2026;

const FIXTURES = path.join(__dirname, '../__fixtures__');

/** mulberry32: a small seeded generator; the same seed draws the same cases everywhere. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    chance: (p: number) => next() < p,
    int: (n: number) => Math.floor(next() * n),
    pick<T>(items: readonly T[]): T {
      return items[Math.floor(next() * items.length)];
    },
    some<T>(items: readonly T[], max: number): T[] {
      const n = 1 + Math.floor(next() * max);
      return Array.from(
        { length: n },
        () => items[Math.floor(next() * items.length)],
      );
    },
  };
}
type Rng = ReturnType<typeof rng>;

const readYaml = (rel: string) =>
  parse(fs.readFileSync(path.join(FIXTURES, rel), 'utf8'));

function yamlObjectsUnder(rel: string): KubeObject[] {
  const abs = path.join(FIXTURES, rel);
  if (fs.statSync(abs).isDirectory()) {
    return fs
      .readdirSync(abs)
      .sort()
      .flatMap(e => yamlObjectsUnder(path.posix.join(rel, e)));
  }
  if (!/\.ya?ml$/.test(rel)) return [];
  return parseAllDocuments(fs.readFileSync(abs, 'utf8'))
    .map(d => d.toJS())
    .filter(
      (o): o is KubeObject =>
        typeof o === 'object' && o !== null && typeof o.kind === 'string',
    );
}

// ---------------------------------------------------------------- leaves (operators, wildcards, quantities)

/** Pattern leaves: every operator, range, wildcard and number form, and malformed ones. */
// prettier-ignore
const LEAF_PATTERNS: unknown[] = [
  '*', '?*', '?', 't?', 'a*b', '*-prod', 'prod-*', '*a*a*b', '!prod', '!*', '!', '', ' ', 'x|y', 'x | y',
  'a*|b*', '|', 'x|', '!a & !b', 'a&b', '&', '>=2', '>2', '<2', '<=2', '> 2', '>= 2.5', '!2', '2', '02', '2.0',
  '1-10', '1!-10', '0-0', '10-1', '1.5-2.5', '100m-2', '1Gi-2Gi', '128Mi!-512Mi', '<=1Gi', '>500m', '>=0.5',
  '<1G', '1e3', '1k', '1K', '1000m', '>1h', '<=30s', '1h-2h', '90m', '1h30m', '>-1', '<-1', '-1', '-5-5',
  '!-1', 'true', 'false', 'null', '*:latest', '!*:latest', '*:*', '>abc', '!=x', '==x', '>=', '<', ' x', 'x ',
  '1 - 10', '1 !- 10', '1-', '-', '>1 & <20 | >31 & <33', '5.10.84-1', '!5.10.84-1', '1.2.3', 'Always',
  '!Always', 'ü*', '?ber', '0x10', '+5', '.5', '5.', '1e-3', 'NaN', 'Inf', '1_000', '1Gi', '1024Mi', '>1Gi',
  '<=0', '0', '>=0 & <=100', '!0', '*/*', '1m', '>1m', '1s-1m', '1.5', '!1.5', '1e21', '1E+21', '!null',
  '!true', '>true', '<=x', '2-10Gi', '1Mi-1Gi', '-1-1', '1-1e3', '0.5-1.5', '1!-1', '>=1Ki', '<1.5Gi',
  '1500m-2', '>0.001', '<=1e-3', '1E', '1Ki-1Mi', '+1-+5', '1.-2', '*E+20', '*E+21', '2.5E+00', '*E-07',
  '1e+21', 'Infinity', 0, 1, 2, 2.5, -1, 1000, 0.5, 0.25, 5, 1e20, 1e21, true, false, null, {}, [], ['a*'],
  [2], [true], [null], [['x'], ['y']], [[{ a: 1 }]],
];

/** Resource values; `undefined` stands for a field the resource does not have. */
// prettier-ignore
const LEAF_VALUES: unknown[] = [
  undefined, null, 0, 1, 2, 3, 10, 11, -1, -5, 1000, 0.5, 1.5, 2.5, 1.5e-7, 1e21, 123456789.125, true, false,
  '', ' ', 'x', 'y', 'a', 'ab', 'aXb', 'ab-prod', 'prod', 'prod-eu', 't1', 't12', '2', '02', '2.0', '+2', '-1',
  '1Gi', '1024Mi', '2Gi', '1G', '500m', '0.5', '1h', '90m', '30s', '1h30m', '1m', '0', 'true', 'false', 'null',
  'nginx:latest', 'nginx:1.2', 'nginx', '5.16.5-arch1-1', '5.10.84-1', 'Always', 'Never', 'über', '1e3', '1k',
  '1K', 'NaN', 'Inf', 'inf', 'infinity', '0x1p-2', '1_0', ' 2', '.5', '5.', '1Ki', '0.1', '100m', '1E3',
  '1e-3', '1Ei', '1.5Gi', '1.', 1e20, 'x y', 'a|b', '>2', '*', [], ['x', 'y'], ['1', '3'], [1, 3], [true],
  [null], [{}], [['x']], {}, { a: 1 }, { a: 'x' },
];

/** Pairs at the edges of Go's parsers, each the reason for a fix in value.ts or quantity.ts. */
// prettier-ignore
const EDGE_LEAVES: Array<[unknown, unknown]> = [
  ['-', undefined], ['+', 0], ['.', '0'], ['Gi', 0], ['Ki', '0'], ['m', 0], ['-Gi', 0], ['e5', 0],
  ['1n', '1e-10'], ['1n', '0.0000000001'], ['2n', '1.5n'], ['>1n', '1e-10'], ['9223372036854775807', '16Ei'],
  ['8Ei', '16Ei'], ['<1n', 1.5e-7], ['>=0', 1.5e-7], ['3000000h', '3000000h'], ['>1h', '3000000h'],
  ['5.h', '5h'], ['1h1h', '2h'], ['>.5h', '31m'], ['\t>2', 3], ['\t>2', '\t>2'], ['>2\t', 3], ['x|\ty', 'y'],
  ['x| y', 'y'], [0.25, '0x1p-2'], [0.25, '0x.4p0'], [16, '0x10'], [-0.5, '-0x1p-1'], ['*E+20', 1e20],
  ['*E+21', 1e21], ['!*E+20', 1e20], ['-5-5', 0], ['-5-5', -6], ['+1-+5', 3], ['1Gi!-2Gi', '3Gi'],
  ['1.5-2', 1.75], ['1e3-2e3', 1500], ['!-5', -5],
];

function leafCases(r: Rng, count: number): PatternCase[] {
  const out: PatternCase[] = EDGE_LEAVES.map(([pattern, value], i) => ({
    id: `edge-${i}`,
    source: "generated: Go's parsers at their edges",
    pattern: { spec: { field: pattern } },
    resource: { spec: value === undefined ? {} : { field: value } },
  }));
  for (let i = 0; i < count; i++) {
    const pattern = r.pick(LEAF_PATTERNS);
    const value = r.pick(LEAF_VALUES);
    out.push({
      id: `leaf-${i}`,
      source: 'generated: one leaf',
      pattern: { spec: { field: pattern } },
      resource: { spec: value === undefined ? {} : { field: value } },
    });
  }
  return out;
}

// ---------------------------------------------------------------- trees (anchors, lists, maps)

/** Leaves with a value that satisfies them and one that does not, so generated trees pass as often as they fail. */
// prettier-ignore
const LEAF_PAIRS: Array<[unknown, unknown, unknown]> = [
  ['?*', 'v', ''], ['*', '', undefined], ['x|y', 'y', 'z'], ['>=2', 3, 1], ['<10', '5', 20],
  ['!Always', 'Never', 'Always'], ['*:latest', 'nginx:latest', 'nginx:1'],
  ['!*:latest', 'nginx:1', 'nginx:latest'], ['t?', 't1', 't12'], [null, undefined, 'x'], ['', undefined, 'x'],
  [true, true, false], [2, 2, 3], ['1-10', 5, 11], ['<=1Gi', '512Mi', '2Gi'], ['>1h', '90m', '30m'],
  ['null', 'null', 'x'],
];

const KEYS = ['a', 'b', 'c', 'name', 'image'];
const ANCHOR_FORMS = [
  (k: string) => k,
  (k: string) => k,
  (k: string) => k,
  (k: string) => `(${k})`,
  (k: string) => `=(${k})`,
  (k: string) => `^(${k})`,
  (k: string) => `X(${k})`,
  (k: string) => `<(${k})`,
  // Kyverno trims an anchor key before parsing it.
  (k: string) => ` (${k}) `,
  (k: string) => `X( ${k})`,
];

interface Node {
  pattern: unknown;
  /** Draws a resource value for this pattern: mostly satisfying, sometimes not, sometimes absent. */
  draw: (r: Rng) => unknown;
}

function leafNode(r: Rng): Node {
  const [pattern, good, bad] = r.pick(LEAF_PAIRS);
  return {
    pattern,
    draw: rr => (rr.chance(0.75) ? good : bad),
  };
}

function mapNode(r: Rng, depth: number): Node {
  const entries: Array<{ key: string; bare: string; node: Node }> = [];
  const used = new Set<string>();
  const n = 1 + r.int(3);
  for (let i = 0; i < n; i++) {
    const bare = r.pick(KEYS);
    if (used.has(bare)) continue;
    used.add(bare);
    const key = r.pick(ANCHOR_FORMS)(bare);
    entries.push({ key, bare, node: anyNode(r, depth + 1) });
  }
  return {
    pattern: Object.fromEntries(entries.map(e => [e.key, e.node.pattern])),
    draw: rr => {
      const obj: Record<string, unknown> = {};
      for (const e of entries) {
        const negated = e.key.startsWith('X(');
        if (negated ? rr.chance(0.7) : rr.chance(0.12)) continue;
        const v = e.node.draw(rr);
        if (v !== undefined) obj[e.bare] = v;
      }
      if (rr.chance(0.3)) obj.extra = rr.pick(['e', 1, { z: 1 }]);
      return obj;
    },
  };
}

function listNode(r: Rng, depth: number): Node {
  if (r.chance(0.25)) {
    // A list of scalars: Kyverno checks every resource element against the first one.
    const leaf = leafNode(r);
    return {
      pattern: [leaf.pattern],
      draw: rr =>
        Array.from({ length: rr.int(3) }, () => leaf.draw(rr)).filter(
          v => v !== undefined,
        ),
    };
  }
  const elements = [mapNode(r, depth)];
  if (r.chance(0.15)) elements.push(mapNode(r, depth));
  return {
    pattern: elements.map(e => e.pattern),
    draw: rr =>
      Array.from({ length: rr.int(4) }, (_, i) =>
        elements[Math.min(i, elements.length - 1)].draw(rr),
      ),
  };
}

function anyNode(r: Rng, depth: number): Node {
  if (depth >= 3) return leafNode(r);
  const roll = r.int(10);
  if (roll < 5) return leafNode(r);
  if (roll < 8) return mapNode(r, depth);
  return listNode(r, depth);
}

/** Patterns that are not maps at the root. */
const ROOT_PATTERNS: unknown[] = ['*', null, [], ['x'], [{ spec: '*' }], 'x'];

function treeCases(r: Rng, count: number): PatternCase[] {
  const out: PatternCase[] = ROOT_PATTERNS.map((pattern, i) => ({
    id: `root-${i}`,
    source: 'generated: a pattern that is not a map',
    pattern,
    resource: { spec: { a: 'x' } },
  }));
  for (let i = 0; i < count; i++) {
    const root = mapNode(r, 0);
    const resource = root.draw(r) as Record<string, unknown>;
    // A structure mismatch now and then: a scalar or a list where the pattern has a map, and the reverse.
    if (r.chance(0.08)) {
      const k = Object.keys(resource)[0];
      if (k) resource[k] = r.pick(['s', ['s'], { s: 1 }, 7]);
    }
    out.push({
      id: `tree-${i}`,
      source: 'generated: anchors, maps and lists',
      pattern: { spec: root.pattern },
      resource: { spec: resource },
    });
  }
  return out;
}

// ---------------------------------------------------------------- metadata wildcards

// prettier-ignore
const PATTERN_LABEL_KEYS = [
  'app.kubernetes.io/*', 'team-?', '*', 'owner', 'cost-*', '*-center', '(app.kubernetes.io/*)', '=(team-?)',
  'X(debug*)', '<(tier)', '(owner)', 'x-*-y',
];
// prettier-ignore
const RESOURCE_LABEL_KEYS = [
  'app.kubernetes.io/name', 'app.kubernetes.io/part-of', 'team-a', 'team-ab', 'owner', 'cost-center',
  'costCenter', 'debug', 'debug-mode', 'tier', 'x--y', 'x-a-y',
];
const LABEL_VALUES = ['?*', '*', 'gold', 'team-*', '!gold', 'a|b', '', 'x'];

/**
 * Kyverno expands a wildcard key to the first matching resource key in Go's random map order: with two
 * candidates its verdict is not reproducible, so such draws are left out.
 */
function expandsAmbiguously(
  patternKeys: string[],
  resourceKeys: string[],
): boolean {
  return patternKeys.some(k => {
    const bare = parseAnchor(k)?.key ?? k;
    return resourceKeys.filter(rk => wildcardMatch(bare, rk)).length > 1;
  });
}

function metadataCases(r: Rng, count: number): PatternCase[] {
  const out: PatternCase[] = [];
  for (let i = 0; out.length < count; i++) {
    const tag = r.pick(['labels', 'annotations', 'labels']);
    const patternMap = Object.fromEntries(
      r
        .some(PATTERN_LABEL_KEYS, 3)
        .map(k => [k, r.pick(LABEL_VALUES)] as const),
    );
    const resourceMap = Object.fromEntries(
      r
        .some(RESOURCE_LABEL_KEYS, 4)
        .map(k => [k, r.pick(['gold', 'a', 'b', '', 'team-x', 'x'])] as const),
    );
    if (expandsAmbiguously(Object.keys(patternMap), Object.keys(resourceMap)))
      continue;
    const metadataKey = r.pick(['metadata', 'metadata', '(metadata)']);
    const tagKey = r.pick([tag, tag, `=(${tag})`]);
    const resourceMeta: Record<string, unknown> = { name: 'm' };
    if (!r.chance(0.1)) resourceMeta[tag] = resourceMap;
    const pattern: Record<string, unknown> = {
      [metadataKey]: { [tagKey]: patternMap },
    };
    if (r.chance(0.3)) pattern.spec = { 'a*': r.pick(['x', '?*']) };
    out.push({
      id: `meta-${i}`,
      source: 'generated: wildcard keys in labels and annotations',
      pattern,
      resource: {
        metadata: resourceMeta,
        spec: r.chance(0.5) ? { 'a*': 'x', ab: 'y' } : { ab: 'x' },
      },
    });
  }
  return out;
}

// ---------------------------------------------------------------- match / exclude

interface Target {
  resource: KubeObject;
  namespaceLabels: Record<string, string>;
}

const NAMESPACE_LABELS: Record<string, Record<string, string>> = {
  models: { 'cost-center': 'cc-1', team: 'risk' },
  'prod-eu': { env: 'prod', 'cost-center': '' },
  default: {},
};

function target(
  apiVersion: string,
  kind: string,
  metadata: KubeObject['metadata'],
): Target {
  const ns = metadata.namespace;
  return {
    resource: { apiVersion, kind, metadata },
    namespaceLabels: ns
      ? { ...(NAMESPACE_LABELS[ns] ?? {}), 'kubernetes.io/metadata.name': ns }
      : {},
  };
}

const TARGETS: Target[] = [
  target('serving.kserve.io/v1beta1', 'InferenceService', {
    name: 'credit-scoring',
    namespace: 'models',
    labels: { owner: 'team-risk', 'app.kubernetes.io/name': 'credit' },
    annotations: { tier: 'gold' },
  }),
  target('serving.kserve.io/v1alpha1', 'TrainedModel', {
    name: 'tm-1',
    namespace: 'prod-eu',
  }),
  target('v1', 'Pod', {
    name: 'web-0',
    namespace: 'prod-eu',
    labels: { app: 'web', tier: 'front' },
  }),
  target('v1', 'Pod', {
    name: '',
    generateName: 'job-',
    namespace: 'default',
    labels: { app: 'job' },
  }),
  target('apps/v1', 'Deployment', {
    name: 'web',
    namespace: 'models',
    labels: { app: 'web' },
    annotations: { 'example.com/owner': 'a', note: '' },
  }),
  target('batch/v1', 'CronJob', { name: 'nightly', namespace: 'default' }),
  target('networking.k8s.io/v1', 'Ingress', {
    name: 'web',
    namespace: 'prod-eu',
  }),
  target('v1', 'ConfigMap', { name: 'cfg', namespace: 'models' }),
  target('v1', 'Namespace', {
    name: 'models',
    labels: { 'cost-center': 'cc-1', 'kubernetes.io/metadata.name': 'models' },
  }),
  target('rbac.authorization.k8s.io/v1', 'ClusterRole', {
    name: 'viewer',
    labels: { 'app.kubernetes.io/name': 'viewer' },
  }),
  target('kyverno.io/v1', 'ClusterPolicy', { name: 'require-labels' }),
];

/** Every kind selector form: Kind, version/Kind, group/version/Kind, wildcards, subresources, odd ones. */
// prettier-ignore
const KIND_SELECTORS = [
  'InferenceService', 'v1beta1/InferenceService', 'serving.kserve.io/v1beta1/InferenceService',
  'serving.kserve.io/*/InferenceService', '*/InferenceService', '*', 'Inference*', 'v1/InferenceService',
  'apps/v1/InferenceService', 'InferenceService/status', 'Pod', 'v1/Pod', 'Pod/exec', 'Pod/*', 'Pod.status',
  'v1/Pod/status', '*/*', '*/status', 'apps/v1/Deployment', 'apps/*/Deployment', 'Deploy*', 'apps/v1/*',
  'Deployment/scale', 'apps/v1/Deployment/scale', 'batch/v1/CronJob', 'v1/CronJob',
  'networking.k8s.io/v1/Ingress', 'networking.k8s.io/*/Ingress', 'Namespace', 'v1/Namespace', 'ConfigMap',
  'v1/ConfigMap', 'apps/v1/ConfigMap', 'v1alpha1/TrainedModel', 'serving.kserve.io/v1alpha1/TrainedModel',
  'TrainedModel', 'ClusterRole', 'rbac.authorization.k8s.io/v1/ClusterRole', 'kyverno.io/v1/ClusterPolicy',
  'V1/Pod', 'v1foo/Pod', 'v2beta1/HorizontalPodAutoscaler', '*/v1/Pod',
  'serving.kserve.io/v1beta1/InferenceService/status', 'a/b/c/d/e', '', '?od', 'pod',
];
// prettier-ignore
const NAMES = [
  'credit-scoring', 'credit-*', '*', 'web', 'web-?', 'job-*', 'job-', '', 'nightly', '?*', 'x',
];
// prettier-ignore
const NAMESPACES = [
  'models', 'mod*', 'prod-*', 'default', '*', 'kube-system', '', '?',
];
// prettier-ignore
const ANNOTATION_FILTERS: Array<Record<string, string>> = [
  { tier: 'gold' }, { tier: 'silver' }, { tier: '*' }, { 'example.com/*': 'a' }, { '*': '*' }, { note: '' },
  { note: '?*' }, { 't*': 'g*' },
];
const SELECTORS: unknown[] = [
  { matchLabels: { owner: 'team-*' } },
  { matchLabels: { owner: 'team-risk' } },
  { matchLabels: { owner: 'team-a' } },
  { matchLabels: { app: 'web' } },
  { matchLabels: { 'app.kubernetes.io/*': '*' } },
  { matchLabels: { '*': 'web' } },
  { matchLabels: { app: '?*' } },
  { matchLabels: { 'cost-center': '?*' } },
  { matchLabels: { 'cost-center': '' } },
  { matchLabels: {} },
  {},
  {
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['front', 'gold'] },
    ],
  },
  { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] },
  { matchExpressions: [{ key: 'app', operator: 'Exists' }] },
  { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] },
  { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] },
  { matchExpressions: [{ key: 'team', operator: 'NotIn', values: [] }] },
  { matchExpressions: [{ key: 'team', operator: 'In', values: [] }] },
  { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['web'] }] },
  { matchExpressions: [{ key: 'app', operator: 'Bogus', values: ['web'] }] },
  {
    matchExpressions: [{ key: 'cost-center', operator: 'Exists' }],
    matchLabels: { team: 'risk' },
  },
  { matchLabels: { 'kubernetes.io/metadata.name': 'models' } },
];

function resourceDescription(r: Rng): Record<string, unknown> {
  const rd: Record<string, unknown> = {};
  const fields = r.some(
    [
      'kinds',
      'kinds',
      'kinds',
      'name',
      'names',
      'namespaces',
      'annotations',
      'selector',
      'namespaceSelector',
      'operations',
    ],
    3,
  );
  for (const f of fields) {
    switch (f) {
      case 'kinds':
        rd.kinds = r.some(KIND_SELECTORS, 2);
        break;
      case 'name':
        rd.name = r.pick(NAMES);
        break;
      case 'names':
        rd.names = r.some(NAMES, 2);
        break;
      case 'namespaces':
        rd.namespaces = r.some(NAMESPACES, 2);
        break;
      case 'annotations':
        rd.annotations = r.pick(ANNOTATION_FILTERS);
        break;
      case 'selector':
        rd.selector = r.pick(SELECTORS);
        break;
      case 'namespaceSelector':
        rd.namespaceSelector = r.pick(SELECTORS);
        break;
      default:
        rd.operations = r.some(['CREATE', 'UPDATE', 'DELETE', 'CONNECT'], 2);
    }
  }
  return rd;
}

function matchBlock(r: Rng, exclude: boolean): MatchBlock {
  const filter = () => ({ resources: resourceDescription(r) });
  const form = r.int(exclude ? 3 : 4);
  if (form === 0) return filter() as MatchBlock;
  if (form === 3) return { any: [{ resources: {} }] } as MatchBlock;
  const filters = Array.from({ length: 1 + r.int(3) }, filter);
  return (form === 1 ? { any: filters } : { all: filters }) as MatchBlock;
}

function matchCases(r: Rng, count: number): MatchCase[] {
  const out: MatchCase[] = [];
  for (let i = 0; i < count; i++) {
    const t = r.pick(TARGETS);
    out.push({
      id: `match-${i}`,
      source: 'generated: match / exclude',
      rule: {
        name: 'r',
        match: matchBlock(r, false),
        ...(r.chance(0.4) ? { exclude: matchBlock(r, true) } : {}),
      },
      resource: t.resource,
      namespaceLabels: t.namespaceLabels,
      operation: r.chance(0.8) ? 'CREATE' : 'UPDATE',
    });
  }
  return out;
}

// ---------------------------------------------------------------- fixtures

function fixtureCases(): DifferentialCase[] {
  const out: DifferentialCase[] = [];
  const patternCases: Array<{ name: string; pattern: unknown; resource: any }> =
    readYaml('kyverno-pattern-cases.yaml');
  patternCases.forEach((c, i) =>
    out.push({
      id: `fixture-pattern-${i}`,
      source: `kyverno-pattern-cases.yaml: ${c.name}`,
      pattern: c.pattern,
      resource: c.resource,
    }),
  );
  const valueGroups: Array<{
    group: string;
    cases: Array<{ value?: unknown; pattern: unknown }>;
  }> = readYaml('kyverno-value-cases.yaml');
  valueGroups.forEach((g, gi) =>
    g.cases.forEach((c, i) =>
      out.push({
        id: `fixture-value-${gi}-${i}`,
        source: `kyverno-value-cases.yaml: ${g.group}`,
        pattern: { spec: { field: c.pattern } },
        resource: { spec: c.value === undefined ? {} : { field: c.value } },
      }),
    ),
  );
  // Every rule of the fixture policies against every object of the fixture manifests: match, then pattern.
  const policies = yamlObjectsUnder('policies').filter(
    p =>
      ['ClusterPolicy', 'Policy'].includes(p.kind ?? '') &&
      (p.apiVersion ?? '').startsWith('kyverno.io/'),
  );
  const objects = [
    ...yamlObjectsUnder('manifests'),
    ...yamlObjectsUnder('kustomize'),
    ...policies,
    ...TARGETS.map(t => t.resource),
  ];
  for (const policy of policies) {
    for (const rule of policy.spec?.rules ?? []) {
      objects.forEach((obj, oi) => {
        const ns = obj.metadata?.namespace;
        const id = `fixture-${policy.metadata.name}-${rule.name}-${oi}`;
        const source = `policies/${policy.metadata.name} rule ${rule.name} on ${obj.kind}/${obj.metadata?.name}`;
        // A rule on the requester (subjects, roles) is decided only at admission: ours says so, and
        // Kyverno, given no request, ignores the requester; no verdict to compare.
        const onRequester = JSON.stringify(rule.match ?? {}).match(
          /"(subjects|roles|clusterRoles)"/,
        );
        if (rule.match && !onRequester) {
          out.push({
            id: `${id}-match`,
            source,
            rule: { name: rule.name, match: rule.match, exclude: rule.exclude },
            resource: obj,
            namespaceLabels: ns ? { 'kubernetes.io/metadata.name': ns } : {},
            operation: 'CREATE',
          });
        }
        const patterns = [
          rule.validate?.pattern,
          ...(rule.validate?.anyPattern ?? []),
        ].filter(p => p !== undefined && !JSON.stringify(p).includes('{{'));
        patterns.forEach((pattern, pi) =>
          out.push({
            id: `${id}-pattern-${pi}`,
            source,
            pattern,
            resource: obj as Record<string, unknown>,
          }),
        );
      });
    }
  }
  return out;
}

const CONDITION_KEYS: unknown[] = [
  '{{ request.object.metadata.labels.team }}',
  "{{ request.object.metadata.labels.team || '' }}",
  '{{ request.object.metadata.labels }}',
  '{{ request.object.spec.replicas }}',
  '{{ request.object.spec.containers[].image }}',
  "{{ request.object.spec.containers[0].resources.limits.memory || '0' }}",
  '{{ request.operation }}',
  '{{ to_upper(request.object.metadata.name) }}',
  '{{ length(request.object.spec.containers) }}',
  '{{ request.object.metadata.annotations."example.com/ttl" || \'\' }}',
  "{{ split(request.object.metadata.name, '-') }}",
  "{{ regex_match('^[a-z]+-[0-9]+$', request.object.metadata.name) }}",
  "{{ pattern_match('web-*', request.object.metadata.name) }}",
  '{{ add(request.object.spec.replicas, `1`) }}',
  '{{ request.object.metadata.labels.tier || request.object.metadata.name }}',
  'name: {{ request.object.metadata.name }}',
  "{{ semver_compare('1.10.0', '>=1.9.x') }}",
  "{{ semver_compare('2.1.5', '<2.0.0 || >=3.0.0') }}",
  "{{ semver_compare('4.1.3-rc.1', '>4.1.2 <=4.1.3') }}",
  "{{ divide('1Gi', request.object.spec.containers[0].resources.limits.memory || '1Gi') }}",
  "{{ subtract('2h', request.object.metadata.annotations.\"example.com/ttl\" || '0s') }}",
  'gold',
  5,
  2.5,
  '1h',
  '500Mi',
  ['gold', 'web-*'],
  true,
  '1.2.3',
];

const CONDITION_VALUES: unknown[] = [
  'gold',
  'g*',
  ['gold', 'silver'],
  '["gold","silver"]',
  3,
  '3',
  '2-5',
  '1h',
  '30m',
  90,
  '500Mi',
  '1Gi',
  'CREATE',
  ['CREATE', 'UPDATE'],
  '',
  true,
  'false',
  { team: 'gold' },
  '{{ request.object.metadata.name }}',
  'nginx:*',
  ['nginx:*', 'busybox'],
  '1.10.0',
  [],
];

// Every operator Kyverno knows, and one it does not (an error there).
const OPERATORS = [...CONDITION_OPERATORS, 'Matches'];

function admissionObject(r: Rng): Record<string, unknown> {
  const labels: Record<string, string> = {};
  if (r.chance(0.6)) labels.team = r.pick(['gold', 'silver', 'Gold', 'g1']);
  if (r.chance(0.4)) labels.tier = r.pick(['web', 'batch']);
  const annotations: Record<string, string> = {};
  if (r.chance(0.4))
    annotations['example.com/ttl'] = r.pick(['2h', '45m', '90', 'soon']);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: r.pick(['web-1', 'web-22', 'batch', 'db-7']),
      namespace: 'models',
      ...(Object.keys(labels).length || r.chance(0.5) ? { labels } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: {
      replicas: r.pick([1, 3, 5, 8]),
      containers: r.some(
        [
          {
            name: 'a',
            image: 'nginx:1.25',
            resources: { limits: { memory: '256Mi' } },
          },
          {
            name: 'b',
            image: 'busybox',
            resources: { limits: { memory: '2Gi' } },
          },
          { name: 'c', image: 'ghcr.io/x/y:latest' },
        ],
        2,
      ),
    },
  };
}

function conditionCases(r: Rng, count: number): ConditionCase[] {
  const condition = () => ({
    key: r.pick(CONDITION_KEYS),
    operator: r.pick(OPERATORS),
    value: r.pick(CONDITION_VALUES),
    ...(r.chance(0.3)
      ? { message: r.pick(['m1', 'no {{ request.object.metadata.name }}']) }
      : {}),
  });
  const list = () => Array.from({ length: 1 + r.int(3) }, condition);
  return Array.from({ length: count }, (_, i) => {
    const shape = r.int(4);
    let conditions: unknown;
    if (shape === 0) conditions = list();
    else if (shape === 1) conditions = { any: list() };
    else if (shape === 2) conditions = { all: list() };
    else conditions = { any: list(), all: list() };
    return {
      id: `cond-${i}`,
      source: 'generated conditions',
      conditions,
      context: {
        request: {
          operation: r.pick(['CREATE', 'UPDATE']),
          object: admissionObject(r),
        },
      },
    };
  });
}

const TEMPLATES: unknown[] = [
  'x-{{ request.object.metadata.name }}-y',
  '{{ request.object.spec.replicas }}',
  'n={{ request.object.spec.replicas }}',
  '{{ request.object.metadata.labels }}',
  'labels: {{ request.object.metadata.labels }}',
  '\\{{ request.operation }} stays',
  '{{- request.object.metadata.annotations.template }}!',
  '{{ request.object.metadata.annotations.template }}!',
  '{{ request.object.metadata.annotations.template }}',
  '{{ request.object.metadata.labels.team }}',
  '{{ request.object.spec.containers[].name }}',
  '{{ request.object.metadata.name }}{{ request.operation }}',
  "{{ request.object.metadata.labels.team || 'nobody' }}/{{ length(request.object.spec.containers) }}",
  '{{ request.object.spec.containers[?image == `busybox`] | [0].name }}',
  '{{ }}',
  '{{ request.object.metadata.name',
  'plain',
  7,
  true,
];

function substitutionCases(r: Rng, count: number): SubstitutionCase[] {
  return Array.from({ length: count }, (_, i) => {
    const object = admissionObject(r);
    // An annotation that itself holds a variable: substituted again inside a longer string, not when alone.
    if (r.chance(0.5))
      (object.metadata as Record<string, any>).annotations = {
        template: r.pick([
          '{{ request.operation }}',
          'plain {{',
          '{{ request.object.kind }}',
        ]),
      };
    // Keys stay plain: Kyverno renames a map entry while it iterates the Go map, so whether a renamed entry is
    // substituted again depends on the iteration order.
    const document =
      r.int(3) === 0
        ? { a: r.pick(TEMPLATES), list: r.some(TEMPLATES, 2) }
        : r.pick(TEMPLATES);
    return {
      id: `subst-${i}`,
      source: 'generated substitution',
      document,
      context: {
        request: { operation: r.pick(['CREATE', 'UPDATE']), object },
      },
    };
  });
}

// ---------------------------------------------------------------- whole policies: foreach, validate.cel

const POD_MATCH = { any: [{ resources: { kinds: ['Pod'] } }] };

function policyOf(name: string, rules: unknown[]): KubeObject {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name },
    spec: { validationFailureAction: 'Enforce', rules },
  } as KubeObject;
}

function podResource(r: Rng): KubeObject {
  const pod = admissionObject(r) as Record<string, any>;
  for (const c of pod.spec.containers as Array<Record<string, unknown>>) {
    if (r.chance(0.5))
      c.ports = r.some(
        [{ containerPort: 80 }, { containerPort: 8080 }, { containerPort: 22 }],
        2,
      );
  }
  if (r.chance(0.2)) pod.spec.containers = [];
  if (r.chance(0.1)) delete pod.spec.containers;
  return pod as KubeObject;
}

// Patterns for one container (elementScope true) or for the whole Pod (elementScope false).
const ELEMENT_PATTERNS: unknown[] = [
  { image: '!*:latest' },
  { name: 'a | b' },
  { resources: { limits: { memory: '<=1Gi' } } },
  { '=(ports)': [{ containerPort: '<1024' }] },
  { image: '*nginx*' },
];
const SCOPE_FALSE_PATTERNS: unknown[] = [
  { metadata: { labels: { team: '?*' } } },
  { spec: { containers: [{ name: '?*' }] } },
  { metadata: { name: 'web-*' } },
];
// Deny conditions on a container (`element`) or a label (`element.key` / `element.value` of a map's entries).
const CONTAINER_DENY: unknown[] = [
  { key: '{{ element.image }}', operator: 'Equals', value: 'busybox' },
  { key: '{{ element.name }}', operator: 'AnyIn', value: ['a', 'c'] },
  {
    key: "{{ element.resources.limits.memory || '0' }}",
    operator: 'GreaterThan',
    value: '1Gi',
  },
  { key: '{{ elementIndex }}', operator: 'GreaterThanOrEquals', value: 1 },
  { key: '{{ element.missing }}', operator: 'Equals', value: 'x' },
];
const LABEL_DENY: unknown[] = [
  { key: '{{ element }}', operator: 'Equals', value: 'gold' },
  { key: '{{ element }}', operator: 'Equals', value: 'web' },
  { key: '{{ element }}', operator: 'NotIn', value: ['gold', 'web'] },
];
const ELEMENT_MESSAGES = [
  'bad container {{ element.name }}',
  'element {{ elementIndex }} of {{ request.object.metadata.name }}',
  'plain',
];
const PORT_DENY: unknown[] = [
  {
    key: '{{ element.containerPort }}',
    operator: 'LessThan',
    value: 1024,
  },
  {
    key: '{{ element0.name }}-{{ element.containerPort }}',
    operator: 'Equals',
    value: 'a-80',
  },
  { key: '{{ elementIndex1 }}', operator: 'Equals', value: 1 },
];

function denyBlock(r: Rng, pool: unknown[]) {
  return r.chance(0.5)
    ? { conditions: { any: r.some(pool, 2) } }
    : { conditions: { all: r.some(pool, 2) } };
}

function foreachEntry(r: Rng): Record<string, unknown> {
  const kind = r.int(5);
  const preconditions = r.chance(0.25)
    ? {
        preconditions: {
          all: [
            { key: '{{ element.name }}', operator: 'NotEquals', value: 'c' },
          ],
        },
      }
    : {};
  if (kind === 0) {
    const scope = r.pick([undefined, true, false]);
    return {
      list: 'request.object.spec.containers',
      ...(scope === undefined ? {} : { elementScope: scope }),
      ...preconditions,
      pattern: r.pick(
        scope === false ? SCOPE_FALSE_PATTERNS : ELEMENT_PATTERNS,
      ),
    };
  }
  if (kind === 1)
    return {
      list: 'request.object.spec.containers',
      ...preconditions,
      deny: denyBlock(r, CONTAINER_DENY),
    };
  if (kind === 2)
    return {
      list: r.pick([
        'request.object.metadata.labels',
        'request.object.metadata.labels.*',
        'values(request.object.metadata.labels)',
      ]),
      deny: denyBlock(r, LABEL_DENY),
    };
  if (kind === 3)
    return {
      list: 'request.object.spec.containers',
      ...preconditions,
      foreach: [
        {
          list: 'element.ports',
          ...(r.chance(0.5)
            ? { deny: denyBlock(r, PORT_DENY) }
            : { pattern: { containerPort: r.pick(['>=1024', '80 | 8080']) } }),
        },
      ],
    };
  return {
    list: 'request.object.spec.containers',
    anyPattern: [{ image: 'nginx*' }, { name: 'b' }],
  };
}

function foreachCases(r: Rng, count: number): PolicyCase[] {
  return Array.from({ length: count }, (_, i) => {
    const foreach = Array.from({ length: 1 + r.int(2) }, () => foreachEntry(r));
    const message = r.pick(ELEMENT_MESSAGES);
    // Kyverno lists a map's values in Go's random map order: which label fails first, and its index, vary
    // from run to run, so a message over label elements names none.
    const overLabels = foreach.some(f => String(f.list).includes('labels'));
    const validate = { message: overLabels ? 'plain' : message, foreach };
    return {
      id: `foreach-${i}`,
      source: 'generated foreach',
      policy: policyOf('fe', [{ name: 'r', match: POD_MATCH, validate }]),
      resource: podResource(r),
    };
  });
}

const CEL_EXPRESSIONS = [
  "has(object.metadata.labels) && 'team' in object.metadata.labels",
  "object.spec.containers.all(c, !c.image.endsWith(':latest'))",
  'size(object.spec.containers) <= 1',
  "object.metadata.name.startsWith('web')",
  "object.spec.containers.exists(c, c.name == 'a')",
  "object.metadata.labels.team == 'gold'",
  'has(object.spec.replicas) && object.spec.replicas > 2',
  'object.spec.containers.all(c, !has(c.ports) || c.ports.all(p, p.containerPort >= 1024))',
  "request.operation == 'CREATE'",
  "object.metadata.?labels.?tier.orValue('none') != 'batch'",
  'variables.images.all(i, i.contains(":"))',
  "namespaceObject.metadata.name == 'models'",
];
const CEL_MESSAGES: Array<Record<string, string>> = [
  {},
  { message: 'static message' },
  { messageExpression: "'pod ' + object.metadata.name + ' is not allowed'" },
  {
    messageExpression: "'containers: ' + string(size(object.spec.containers))",
  },
  { messageExpression: '42' },
];

function celCases(r: Rng, count: number): PolicyCase[] {
  return Array.from({ length: count }, (_, i) => {
    const expressions = r
      .some(CEL_EXPRESSIONS, 2)
      .map(expression => ({ expression, ...r.pick(CEL_MESSAGES) }));
    const cel: Record<string, unknown> = { expressions };
    if (expressions.some(e => e.expression.includes('variables.')))
      cel.variables = [
        {
          name: 'images',
          expression: 'object.spec.containers.map(c, c.image)',
        },
      ];
    const rule: Record<string, unknown> = {
      name: 'r',
      match: POD_MATCH,
      validate: { ...(r.chance(0.3) ? { message: 'rule message' } : {}), cel },
    };
    if (r.chance(0.2))
      rule.celPreconditions = [
        {
          name: 'p',
          expression: r.pick([
            "object.metadata.name != 'batch'",
            'size(object.spec.containers) > 0',
          ]),
        },
      ];
    return {
      id: `cel-${i}`,
      source: 'generated validate.cel',
      policy: policyOf('cel', [rule]),
      resource: podResource(r),
    };
  });
}

/** All cases: the fixtures, then the generated ones. */
export function differentialCases(seed = DEFAULT_SEED): DifferentialCase[] {
  const r = rng(seed);
  return [
    ...fixtureCases(),
    ...leafCases(r, 900),
    ...treeCases(r, 700),
    ...metadataCases(r, 200),
    ...matchCases(r, 700),
    ...conditionCases(r, 1500),
    ...substitutionCases(r, 500),
    ...foreachCases(r, 800),
    ...celCases(r, 600),
  ];
}
