/*
 * Kyverno's custom JMESPath functions that need no cluster and no clock (pkg/engine/jmespath/functions.go and
 * arithmetic.go of Kyverno), with Kyverno's argument checks and error texts. Regular expressions from a policy run
 * on RE2 (re2js), as in Go: linear time, whatever the pattern and the input.
 */
import jmespath, { InputSignature } from '@jmespath-community/jmespath';
import { RE2JS } from 're2js';
import { parse as parseYaml } from 'yaml';
import { parseDuration, parseQuantity } from './quantity';
import { semverCompare } from './semver';
import { wildcardMatch } from './wildcard';

const { TYPE_ANY, TYPE_ARRAY, TYPE_NUMBER, TYPE_OBJECT, TYPE_STRING } =
  jmespath;

/** Raised for what only Kyverno can decide (cluster, clock, formats not implemented here). */
export class NotEvaluatedError extends Error {
  constructor(reason: string, readonly feature = 'variables') {
    super(reason);
  }
}

const fail = (fn: string, message: string) =>
  new Error(`JMESPath function '${fn}': ${message}`);

function str(fn: string, args: unknown[], i: number): string {
  const v = args[i];
  if (typeof v !== 'string')
    throw fail(fn, `argument #${i + 1} is not of type String`);
  return v;
}

/** Kyverno's ifaceToString: strings and numbers (Go's %v of a float). */
function text(fn: string, args: unknown[], i: number): string {
  const v = args[i];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw fail(fn, `argument #${i + 1} is not of type String or Real`);
}

function regex(fn: string, pattern: string): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (e) {
    throw fail(fn, (e as Error).message);
  }
}

const isNameChar = (c: string | undefined) =>
  c !== undefined && /^[A-Za-z0-9_]$/.test(c);

/**
 * Go's Regexp.Expand of a replacement template: `$1`, `${1}`, `$name`, `${name}`, `$$`; a group that does not
 * exist expands to nothing.
 */
function expand(
  template: string,
  groups: string[],
  named: Record<string, number>,
): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    let name = '';
    let end = i + 1;
    if (template[end] === '{') {
      const close = template.indexOf('}', end);
      name = close < 0 ? '' : template.slice(end + 1, close);
      if (!name || ![...name].every(isNameChar)) {
        out += c;
        i++;
        continue;
      }
      end = close + 1;
    } else {
      while (isNameChar(template[end])) name += template[end++];
      if (!name) {
        out += c;
        i++;
        continue;
      }
    }
    const index = /^[0-9]+$/.test(name) ? Number(name) : named[name];
    out += (index !== undefined && groups[index]) || '';
    i = end;
  }
  return out;
}

function regexReplace(fn: string, args: unknown[], literal: boolean): string {
  const re = regex(fn, str(fn, args, 0));
  const repl = text(fn, args, 2);
  const named = (re.namedGroups() ?? {}) as Record<string, number>;
  const groupCount = re.groupCount();
  return re
    .matcher(text(fn, args, 1))
    .replaceAll((...m: unknown[]) =>
      literal
        ? repl
        : expand(repl, m.slice(0, groupCount + 1) as string[], named),
    );
}

/** Go's time.Duration.String(). */
function formatDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1000000000n) {
    let unit = 'ms';
    let div = 1000000n;
    if (u < 1000n) [unit, div] = ['ns', 1n];
    else if (u < 1000000n) [unit, div] = ['µs', 1000n];
    out = `${fraction(u, div)}${unit}`;
  } else {
    const h = u / 3600000000000n;
    u %= 3600000000000n;
    const m = u / 60000000000n;
    u %= 60000000000n;
    out = `${fraction(u, 1000000000n)}s`;
    if (h > 0n) out = `${h}h${m}m${out}`;
    else if (m > 0n) out = `${m}m${out}`;
  }
  return neg ? `-${out}` : out;
}

function fraction(v: bigint, div: bigint): string {
  const int = v / div;
  const frac = (v % div).toString().padStart(div.toString().length - 1, '0');
  const trimmed = frac.replace(/0+$/, '');
  return trimmed && div > 1n ? `${int}.${trimmed}` : `${int}`;
}

type Operand =
  | { kind: 'scalar'; value: number }
  | { kind: 'quantity'; value: number }
  | { kind: 'duration'; ns: bigint };

function operand(fn: string, v: unknown): Operand {
  if (typeof v === 'number') return { kind: 'scalar', value: v };
  if (typeof v === 'string') {
    const q = parseQuantity(v);
    // apimachinery's AsApproximateFloat64: what Kyverno divides quantities with.
    if (q) return { kind: 'quantity', value: Number(q.num) / Number(q.den) };
    const ns = parseDuration(v);
    if (ns !== undefined) return { kind: 'duration', ns };
  }
  throw fail(fn, 'invalid operand');
}

function arithmetic(
  fn: 'add' | 'subtract' | 'multiply' | 'divide' | 'modulo',
  args: unknown[],
): unknown {
  const a = operand(fn, args[0]);
  const b = operand(fn, args[1]);
  if (fn === 'divide' && a.kind === 'quantity' && b.kind === 'quantity') {
    if (b.value === 0) throw fail(fn, 'Zero divisor passed');
    return a.value / b.value;
  }
  // Results that are quantities need apimachinery's canonical formatting, which is not reproduced here.
  const scalarOrQuantity = (o: Operand) =>
    o.kind === 'quantity' || o.kind === 'scalar';
  if (
    (a.kind === 'quantity' && scalarOrQuantity(b)) ||
    (b.kind === 'quantity' && scalarOrQuantity(a))
  ) {
    throw new NotEvaluatedError(
      `${fn}() on Kubernetes quantities is not evaluated here`,
      `jmespath ${fn}()`,
    );
  }
  const mismatch = () => fail(fn, 'Types mismatch');
  const zero = () => fail(fn, 'Zero divisor passed');
  if (a.kind === 'scalar' && b.kind === 'scalar') {
    switch (fn) {
      case 'add':
        return a.value + b.value;
      case 'subtract':
        return a.value - b.value;
      case 'multiply':
        return a.value * b.value;
      case 'divide':
        if (b.value === 0) throw zero();
        return a.value / b.value;
      default:
        if (!Number.isInteger(a.value) || !Number.isInteger(b.value))
          throw fail(fn, 'Non-integer argument(s) passed for modulo');
        if (b.value === 0) throw zero();
        return a.value % b.value;
    }
  }
  if (a.kind === 'duration' && b.kind === 'duration') {
    switch (fn) {
      case 'add':
        return formatDuration(a.ns + b.ns);
      case 'subtract':
        return formatDuration(a.ns - b.ns);
      case 'divide':
        if (b.ns === 0n) throw zero();
        return Number(a.ns) / Number(b.ns);
      case 'modulo':
        if (b.ns === 0n) throw zero();
        return formatDuration(a.ns % b.ns);
      default:
        throw mismatch();
    }
  }
  const duration = [a, b].find(o => o.kind === 'duration') as
    | { kind: 'duration'; ns: bigint }
    | undefined;
  const scalar = [a, b].find(o => o.kind === 'scalar') as
    | { kind: 'scalar'; value: number }
    | undefined;
  if (
    duration &&
    scalar &&
    (fn === 'multiply' || (fn === 'divide' && a === duration))
  ) {
    if (fn === 'divide' && scalar.value === 0) throw zero();
    const seconds =
      fn === 'multiply'
        ? (Number(duration.ns) / 1e9) * scalar.value
        : Number(duration.ns) / 1e9 / scalar.value;
    return formatDuration(BigInt(Math.trunc(seconds * 1e9)));
  }
  throw mismatch();
}

/** Go's filepath.Clean on a `/`-separated path (filepath.Join of one element). */
function cleanPath(p: string): string {
  if (p === '') return '';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined || '.';
}

function base64Decode(s: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0)
    throw new Error('illegal base64 data at input byte 0');
  const bytes = Uint8Array.from(atob(s), c => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

function base64Encode(s: string): string {
  const bytes = new TextEncoder().encode(s);
  return btoa(Array.from(bytes, b => String.fromCharCode(b)).join(''));
}

interface KyvernoFunction {
  fn: (args: any[]) => unknown;
  signature: InputSignature[];
}

const s1 = [{ types: [TYPE_STRING] }];
const s2 = [{ types: [TYPE_STRING] }, { types: [TYPE_STRING] }];
const any2 = [{ types: [TYPE_ANY] }, { types: [TYPE_ANY] }];

/** The functions by name, with the signatures Kyverno declares. */
export const KYVERNO_FUNCTIONS: Record<string, KyvernoFunction> = {
  compare: {
    signature: s2,
    fn: a => {
      const [x, y] = [str('compare', a, 0), str('compare', a, 1)];
      return Number(x > y) - Number(x < y);
    },
  },
  equal_fold: {
    signature: s2,
    fn: a =>
      str('equal_fold', a, 0).toLowerCase() ===
      str('equal_fold', a, 1).toLowerCase(),
  },
  replace: {
    signature: [...s2, { types: [TYPE_STRING] }, { types: [TYPE_NUMBER] }],
    fn: a => {
      const [s, from, to] = [0, 1, 2].map(i => str('replace', a, i));
      let n = Math.trunc(a[3]);
      if (n < 0) return s.split(from).join(to);
      let out = s;
      let at = 0;
      while (n-- > 0) {
        const i = out.indexOf(from, at);
        if (i < 0) break;
        out = out.slice(0, i) + to + out.slice(i + from.length);
        at = i + to.length + (from === '' ? 1 : 0);
      }
      return out;
    },
  },
  replace_all: {
    signature: [...s2, { types: [TYPE_STRING] }],
    fn: a =>
      str('replace_all', a, 0)
        .split(str('replace_all', a, 1))
        .join(str('replace_all', a, 2)),
  },
  to_upper: { signature: s1, fn: a => str('to_upper', a, 0).toUpperCase() },
  to_lower: { signature: s1, fn: a => str('to_lower', a, 0).toLowerCase() },
  trim: {
    signature: s2,
    fn: a => {
      const s = Array.from(str('trim', a, 0));
      const cut = new Set(Array.from(str('trim', a, 1)));
      let i = 0;
      let j = s.length;
      while (i < j && cut.has(s[i])) i++;
      while (j > i && cut.has(s[j - 1])) j--;
      return s.slice(i, j).join('');
    },
  },
  trim_prefix: {
    signature: s2,
    fn: a => {
      const [s, p] = [str('trim_prefix', a, 0), str('trim_prefix', a, 1)];
      return s.startsWith(p) ? s.slice(p.length) : s;
    },
  },
  split: {
    signature: s2,
    fn: a => {
      const [s, sep] = [str('split', a, 0), str('split', a, 1)];
      return sep === '' ? Array.from(s) : s.split(sep);
    },
  },
  regex_replace_all: {
    signature: [
      { types: [TYPE_STRING] },
      { types: [TYPE_STRING, TYPE_NUMBER] },
      { types: [TYPE_STRING, TYPE_NUMBER] },
    ],
    fn: a => regexReplace('regex_replace_all', a, false),
  },
  regex_replace_all_literal: {
    signature: [
      { types: [TYPE_STRING] },
      { types: [TYPE_STRING, TYPE_NUMBER] },
      { types: [TYPE_STRING, TYPE_NUMBER] },
    ],
    fn: a => regexReplace('regex_replace_all_literal', a, true),
  },
  regex_match: {
    signature: [
      { types: [TYPE_STRING] },
      { types: [TYPE_STRING, TYPE_NUMBER] },
    ],
    fn: a =>
      regex('regex_match', str('regex_match', a, 0))
        .matcher(text('regex_match', a, 1))
        .find(),
  },
  pattern_match: {
    signature: [
      { types: [TYPE_STRING] },
      { types: [TYPE_STRING, TYPE_NUMBER] },
    ],
    fn: a => wildcardMatch(str('regex_match', a, 0), text('regex_match', a, 1)),
  },
  label_match: {
    signature: [{ types: [TYPE_OBJECT] }, { types: [TYPE_OBJECT] }],
    fn: a =>
      Object.entries(a[0] as Record<string, unknown>).every(
        ([k, v]) => k in a[1] && a[1][k] === v,
      ),
  },
  to_boolean: {
    signature: s1,
    fn: a => {
      const v = str('to_boolean', a, 0);
      if (v.toLowerCase() === 'true') return true;
      if (v.toLowerCase() === 'false') return false;
      throw fail(
        'to_boolean',
        `lowercase argument must be 'true' or 'false' (provided: '${v}')`,
      );
    },
  },
  add: { signature: any2, fn: a => arithmetic('add', a) },
  subtract: { signature: any2, fn: a => arithmetic('subtract', a) },
  multiply: { signature: any2, fn: a => arithmetic('multiply', a) },
  divide: { signature: any2, fn: a => arithmetic('divide', a) },
  modulo: { signature: any2, fn: a => arithmetic('modulo', a) },
  sum: {
    signature: [{ types: [TYPE_ARRAY] }],
    fn: a => {
      const list = a[0] as unknown[];
      if (!list.length)
        throw fail('sum', 'at least one element in the array is required');
      return list
        .slice(1)
        .reduce((acc, v) => arithmetic('add', [acc, v]), list[0]);
    },
  },
  round: {
    signature: [{ types: [TYPE_NUMBER] }, { types: [TYPE_NUMBER] }],
    fn: a => {
      if (!Number.isInteger(a[1]))
        throw fail('round', 'Non-integer argument(s) passed for round off');
      const p = 10 ** a[1];
      return Math.round(a[0] * p) / p;
    },
  },
  base64_decode: {
    signature: s1,
    fn: a => base64Decode(str('base64_decode', a, 0)),
  },
  base64_encode: {
    signature: s1,
    fn: a => base64Encode(str('base64_encode', a, 0)),
  },
  path_canonicalize: {
    signature: s1,
    fn: a => cleanPath(str('path_canonicalize', a, 0)),
  },
  truncate: {
    signature: [{ types: [TYPE_STRING] }, { types: [TYPE_NUMBER] }],
    fn: a => {
      const s = str('truncate', a, 0);
      const n = Math.max(0, Math.trunc(a[1]));
      return Array.from(s).slice(0, n).join('');
    },
  },
  semver_compare: {
    signature: s2,
    fn: a => {
      try {
        return semverCompare(
          str('semver_compare', a, 0),
          str('semver_compare', a, 1),
        );
      } catch (e) {
        throw fail('semver_compare', (e as Error).message);
      }
    },
  },
  parse_json: {
    signature: s1,
    fn: a => JSON.parse(str('parse_json', a, 0)),
  },
  parse_yaml: {
    signature: s1,
    fn: a => parseYaml(str('parse_yaml', a, 0), { maxAliasCount: 100 }),
  },
  items: {
    signature: [
      { types: [TYPE_OBJECT, TYPE_ARRAY] },
      { types: [TYPE_STRING] },
      { types: [TYPE_STRING] },
    ],
    fn: a => {
      const [input, k, v] = a;
      if (Array.isArray(input))
        return input.map((x, i) => ({ [k]: i, [v]: x }));
      return Object.keys(input)
        .sort()
        .map(key => ({ [k]: key, [v]: input[key] }));
    },
  },
  object_from_lists: {
    signature: [{ types: [TYPE_ARRAY] }, { types: [TYPE_ARRAY] }],
    fn: a => {
      const [keys, values] = a as [unknown[], unknown[]];
      return Object.fromEntries(
        keys.map((key, i) => [
          text('object_from_lists', [key], 0),
          i < values.length ? values[i] : null,
        ]),
      );
    },
  },
};
