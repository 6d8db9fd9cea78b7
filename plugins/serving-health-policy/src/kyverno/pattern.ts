/*
 * Kyverno's validate.pattern tree walk (pkg/engine/validate, pkg/engine/anchor), reimplemented:
 * - a field named in the pattern must exist and match; fields not named are ignored;
 * - maps: anchors first (conditional `(k)`, equality `=(k)`, existence `^(k)`, negation `X(k)`), then the
 *   other keys, global anchors `<(k)` and keys holding nested anchors first;
 * - lists of maps: every element must match, except elements a conditional anchor skipped; a list of scalars
 *   in the pattern: every resource element must match its first value;
 * - wildcards in `metadata.labels` / `metadata.annotations` keys are expanded against the resource's keys.
 * The result carries Kyverno's failure path (`/metadata/labels/cost-center/`) and whether the rule is
 * skipped (a conditional or global anchor did not hold) instead of failed.
 */
import { validateValueWithPattern } from './value';
import { containsWildcard, wildcardMatch } from './wildcard';

export type AnchorType =
  | 'condition'
  | 'equality'
  | 'existence'
  | 'negation'
  | 'global'
  | 'add';

export interface Anchor {
  type: AnchorType;
  key: string;
}

const ANCHOR_RE = /^([+<=X^])?\((.+)\)$/;
const MODIFIERS: Record<string, AnchorType> = {
  '': 'condition',
  '=': 'equality',
  '^': 'existence',
  X: 'negation',
  '<': 'global',
  '+': 'add',
};

/** Kyverno trims the key first: ` (name) ` is a conditional anchor on `name`. */
export function parseAnchor(key: string): Anchor | undefined {
  const m = ANCHOR_RE.exec(key.trim());
  if (!m) return undefined;
  return { type: MODIFIERS[m[1] ?? ''], key: m[2] };
}

function anchorString(type: AnchorType, key: string): string {
  const modifier = Object.entries(MODIFIERS).find(([, t]) => t === type)![0];
  return `${modifier}(${key})`;
}

/** Tags an error carries up the tree; Kyverno matches them in the error text. */
type Tag = 'conditional' | 'global' | 'negation';

interface PatternFailure {
  path: string;
  message: string;
  tags: Set<Tag>;
  /**
   * True for Kyverno's PatternError (a map or list whose elements were all skipped); false for an anchor's own
   * error. A map ignores the failures of its other anchors only when one of its own conditions did not hold.
   */
  wrapped: boolean;
}

type Outcome = PatternFailure | undefined;

const fail = (
  path: string,
  message: string,
  tags: Iterable<Tag> = [],
  wrapped = false,
): PatternFailure => ({
  path,
  message,
  tags: new Set(tags),
  wrapped,
});

const combineSkips = (
  path: string,
  skipped: PatternFailure[],
): PatternFailure => {
  const tags = new Set<Tag>();
  skipped.forEach(s => s.tags.forEach(t => tags.add(t)));
  return fail(path, skipped.map(s => s.message).join('; '), tags, true);
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isScalarPattern = (v: unknown) =>
  v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** Tracks, per anchored key seen in the pattern, whether the resource had that key (Kyverno's AnchorMap). */
class AnchorMap {
  private readonly seen = new Map<string, boolean>();

  check(pattern: Record<string, unknown>, resource: unknown) {
    for (const key of Object.keys(pattern)) {
      const a = parseAnchor(key);
      if (!a || !['condition', 'existence', 'negation'].includes(a.type))
        continue;
      if (this.seen.get(key)) continue;
      this.seen.set(key, hasKey(resource, a.key));
    }
  }

  /** A negation-anchored key that is absent is what the negation asks for, so it does not count (KeysAreMissing). */
  anyMissing(): boolean {
    return [...this.seen.entries()].some(
      ([key, present]) => !present && parseAnchor(key)?.type !== 'negation',
    );
  }
}

function hasKey(resource: unknown, key: string): boolean {
  if (isPlainObject(resource)) return key in resource;
  if (Array.isArray(resource)) return resource.some(r => hasKey(r, key));
  return false;
}

function hasNestedAnchors(pattern: unknown): boolean {
  if (isPlainObject(pattern)) {
    return Object.entries(pattern).some(([k, v]) => {
      const a = parseAnchor(k);
      return (a && a.type !== 'add') || hasNestedAnchors(v);
    });
  }
  if (Array.isArray(pattern)) return pattern.some(hasNestedAnchors);
  return false;
}

function describe(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Replaces wildcard keys of `metadata.labels` / `metadata.annotations` in the pattern with matching resource keys. */
function expandInMetadata(
  pattern: Record<string, unknown>,
  resource: Record<string, unknown>,
): Record<string, unknown> {
  const metadataKey = Object.keys(pattern).find(
    k => k === 'metadata' || parseAnchor(k)?.key === 'metadata',
  );
  if (
    !metadataKey ||
    !isPlainObject(pattern[metadataKey]) ||
    !isPlainObject(resource.metadata)
  ) {
    return pattern;
  }
  const patternMeta = { ...(pattern[metadataKey] as Record<string, unknown>) };
  const resourceMeta = resource.metadata as Record<string, unknown>;
  for (const tag of ['labels', 'annotations']) {
    const tagKey = Object.keys(patternMeta).find(
      k => k === tag || parseAnchor(k)?.key === tag,
    );
    if (
      !tagKey ||
      !isPlainObject(patternMeta[tagKey]) ||
      !isPlainObject(resourceMeta[tag])
    )
      continue;
    const resourceKeys = Object.keys(
      resourceMeta[tag] as Record<string, unknown>,
    );
    const expanded: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(
      patternMeta[tagKey] as Record<string, unknown>,
    )) {
      if (!containsWildcard(k)) {
        expanded[k] = v;
        continue;
      }
      const a = parseAnchor(k);
      const bare = a ? a.key : k;
      const match = resourceKeys.find(rk => wildcardMatch(bare, rk)) ?? bare;
      expanded[a ? anchorString(a.type, match) : match] = v;
    }
    patternMeta[tagKey] = expanded;
  }
  return { ...pattern, [metadataKey]: patternMeta };
}

const isSkip = (f: PatternFailure) =>
  f.tags.has('conditional') || f.tags.has('global');

class Walker {
  constructor(private readonly anchors: AnchorMap) {}

  element(resource: unknown, pattern: unknown, path: string): Outcome {
    if (isPlainObject(pattern)) {
      if (!isPlainObject(resource)) {
        return fail(
          path,
          `pattern and resource have different structures. Path: ${path}. Expected map, found ${
            Array.isArray(resource) ? 'list' : describe(resource)
          }`,
        );
      }
      this.anchors.check(pattern, resource);
      return this.map(resource, pattern, path);
    }
    if (Array.isArray(pattern)) {
      if (!Array.isArray(resource)) {
        return fail(
          path,
          `validation rule failed at path ${path}, resource does not satisfy the expected overlay pattern`,
        );
      }
      return this.array(resource, pattern, path);
    }
    if (isScalarPattern(pattern)) {
      const values = Array.isArray(resource) ? resource : [resource];
      for (const v of values) {
        if (!validateValueWithPattern(v, pattern)) {
          return fail(
            path,
            `resource value '${describe(resource)}' does not match '${describe(
              pattern,
            )}' at path ${path}`,
          );
        }
      }
      return undefined;
    }
    return fail(path, `failed at '${path}', pattern contains unknown type`);
  }

  private map(
    resource: Record<string, unknown>,
    rawPattern: Record<string, unknown>,
    path: string,
  ): Outcome {
    const pattern = expandInMetadata(rawPattern, resource);
    const anchorKeys: string[] = [];
    const plainKeys: string[] = [];
    for (const key of Object.keys(pattern).sort()) {
      const a = parseAnchor(key);
      if (
        a &&
        ['condition', 'existence', 'equality', 'negation'].includes(a.type)
      )
        anchorKeys.push(key);
      else plainKeys.push(key);
    }
    // Anchors first, in key order. A failure next to a condition of this map that did not hold is ignored:
    // the condition is the "if", its siblings the "then".
    const skipped: PatternFailure[] = [];
    let applied = 0;
    for (const key of anchorKeys) {
      const out = this.handle(key, pattern[key], resource, path);
      if (out) {
        if (isSkip(out)) {
          skipped.push(out);
          continue;
        }
        if (!skipped.some(e => !e.wrapped)) return out;
        continue;
      }
      applied++;
    }
    if (skipped.length && (applied === 0 || skipped.some(e => !e.wrapped))) {
      return combineSkips(path, skipped);
    }
    const front: string[] = [];
    const back: string[] = [];
    for (const key of plainKeys) {
      if (parseAnchor(key)?.type === 'global' || hasNestedAnchors(pattern[key]))
        front.unshift(key);
      else back.push(key);
    }
    for (const key of [...front, ...back]) {
      const out = this.handle(key, pattern[key], resource, path);
      if (out) return out;
    }
    return undefined;
  }

  private handle(
    element: string,
    pattern: unknown,
    resource: Record<string, unknown>,
    path: string,
  ): Outcome {
    const a = parseAnchor(element);
    if (!a || a.type === 'add') {
      const current = `${path}${element}/`;
      const value = resource[element];
      if (pattern === '*') {
        return value !== undefined && value !== null
          ? undefined
          : fail(path, `${path}/${element} not found`);
      }
      return this.element(value, pattern, current);
    }
    const current = `${path}${a.key}/`;
    const present = a.key in resource;
    const value = resource[a.key];
    switch (a.type) {
      case 'negation':
        return present
          ? fail(
              current,
              `negation anchor matched in resource: ${current} is not allowed`,
              ['negation'],
            )
          : undefined;
      case 'equality':
        return present ? this.element(value, pattern, current) : undefined;
      case 'condition': {
        if (!present) {
          return fail(
            current,
            "conditional anchor mismatch: conditional anchor key doesn't exist in the resource",
            ['conditional'],
          );
        }
        const out = this.element(value, pattern, current);
        return out
          ? fail(out.path, `conditional anchor mismatch: ${out.message}`, [
              ...out.tags,
              'conditional',
            ])
          : undefined;
      }
      case 'global': {
        if (!present) return undefined;
        const out = this.element(value, pattern, current);
        return out
          ? fail(out.path, `global anchor mismatch: ${out.message}`, [
              ...out.tags,
              'global',
            ])
          : undefined;
      }
      case 'existence': {
        if (!present) return undefined;
        if (!Array.isArray(value)) {
          return fail(
            current,
            `invalid resource type: Existence ^ () anchor can be used only on list/array type resource`,
          );
        }
        if (!Array.isArray(pattern)) {
          return fail(
            current,
            `invalid pattern type: Pattern has to be of list to compare against resource`,
          );
        }
        for (const p of pattern) {
          if (!isPlainObject(p)) {
            return fail(
              current,
              `invalid pattern type: Pattern has to be of type map to compare against items in resource`,
            );
          }
          const satisfied = value.some(
            (item, i) => this.element(item, p, `${current}${i}/`) === undefined,
          );
          if (!satisfied)
            return fail(
              current,
              `existence anchor validation failed at path ${current}`,
            );
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private array(
    resource: unknown[],
    pattern: unknown[],
    path: string,
  ): Outcome {
    if (pattern.length === 0) return fail(path, 'pattern Array empty');
    const first = pattern[0];
    if (isPlainObject(first)) {
      return this.collect(
        resource.map((item, i) => this.element(item, first, `${path}${i}/`)),
        path,
      );
    }
    if (isScalarPattern(first)) return this.element(resource, first, path);
    if (resource.length < pattern.length) {
      return fail(
        '',
        `validate Array failed, array length mismatch, resource Array len is ${resource.length} and pattern Array len is ${pattern.length}`,
      );
    }
    return this.collect(
      pattern.map((p, i) => this.element(resource[i], p, `${path}${i}/`)),
      path,
    );
  }

  /** Elements skipped by a conditional anchor do not count; if every element was skipped, so is the list. */
  private collect(outcomes: Outcome[], path: string): Outcome {
    let applied = 0;
    const skipped: PatternFailure[] = [];
    for (const out of outcomes) {
      if (!out) {
        applied++;
      } else if (isSkip(out)) {
        skipped.push(out);
      } else {
        return out;
      }
    }
    if (applied === 0 && skipped.length) return combineSkips(path, skipped);
    return undefined;
  }
}

export type PatternResult =
  | { status: 'pass' }
  | { status: 'skip'; message: string }
  | { status: 'fail'; path: string; message: string }
  /** Kyverno reports these as rule errors: a failure while an anchored key of the pattern was absent. */
  | { status: 'error'; path: string; message: string };

/** Kyverno's MatchPattern: validates a whole resource against a pattern from the root `/`. */
export function matchPattern(
  resource: unknown,
  pattern: unknown,
): PatternResult {
  const anchors = new AnchorMap();
  const out = new Walker(anchors).element(resource, pattern, '/');
  if (!out) return { status: 'pass' };
  if (isSkip(out)) return { status: 'skip', message: out.message };
  if (out.tags.has('negation'))
    return { status: 'fail', path: out.path, message: out.message };
  if (out.path === '' || anchors.anyMissing()) {
    return { status: 'error', path: out.path, message: out.message };
  }
  return { status: 'fail', path: out.path, message: out.message };
}

/** Anchors a validate pattern may not use (`+()` is for mutate rules). */
export function unsupportedAnchors(pattern: unknown): string[] {
  const found: string[] = [];
  const walk = (p: unknown) => {
    if (isPlainObject(p)) {
      for (const [k, v] of Object.entries(p)) {
        if (parseAnchor(k)?.type === 'add') found.push(k);
        walk(v);
      }
    } else if (Array.isArray(p)) {
      p.forEach(walk);
    }
  };
  walk(pattern);
  return found;
}
