/*
 * Kyverno's conditions (preconditions, deny conditions): `any` / `all` blocks or the older plain list, each
 * condition `key <operator> value` with both sides already substituted (variables.ts). The operators follow
 * pkg/engine/variables/operator of Kyverno: durations before quantities before numbers, wildcards on strings,
 * a JSON array in a string value read as a list, and `false` (never an error) for types an operator does not take.
 */
import { compareQuantities, parseDuration, parseQuantity } from './quantity';
import { operatorOf, validateValueWithPattern } from './value';
import { wildcardMatch } from './wildcard';

/** Go's fmt.Sprint for JSON values, as Kyverno's set operators print keys and values. */
function sprint(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '<nil>';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length &&
      ka.every(k => k in b && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

/** Go's strconv.ParseFloat on the plain decimal forms a condition holds. */
function parseNumber(s: string): number | undefined {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)
    ? Number(s)
    : undefined;
}

/** Kyverno's parseDuration(key, value): both as seconds when at least one side is a duration string. */
function durations(key: unknown, value: unknown): [number, number] | undefined {
  const asDuration = (v: unknown) => {
    if (typeof v !== 'string' || v === '0') return undefined;
    const ns = parseDuration(v);
    return ns === undefined ? undefined : Number(ns) / 1e9;
  };
  let k = asDuration(key);
  let v = asDuration(value);
  if (k === undefined && v === undefined) return undefined;
  // Go converts a number of seconds with time.Duration(x) * time.Second: the fraction is dropped.
  if (k === undefined)
    k = typeof key === 'number' ? Math.trunc(key) : undefined;
  if (v === undefined)
    v = typeof value === 'number' ? Math.trunc(value) : undefined;
  return k === undefined || v === undefined ? undefined : [k, v];
}

function equals(key: unknown, value: unknown): boolean {
  if (typeof key === 'boolean') return value === key;
  if (typeof key === 'number') {
    if (typeof value === 'number') return value === key;
    if (typeof value === 'string') return parseNumber(value) === key;
    return false;
  }
  if (typeof key === 'string') {
    const d = durations(key, value);
    if (d) return d[0] === d[1];
    const q = parseQuantity(key);
    if (q && typeof value === 'string') {
      const qv = parseQuantity(value);
      return qv !== undefined && compareQuantities(q, qv) === 0;
    }
    return typeof value === 'string' && wildcardMatch(value, key);
  }
  if (Array.isArray(key)) return Array.isArray(value) && deepEqual(key, value);
  if (isObject(key)) return isObject(value) && deepEqual(key, value);
  return false;
}

function notEquals(key: unknown, value: unknown): boolean {
  if (typeof key === 'boolean')
    return typeof value !== 'boolean' || value !== key;
  if (typeof key === 'number') {
    if (typeof value === 'number') return value !== key;
    if (typeof value === 'string') {
      const n = parseNumber(value);
      return n === undefined || n !== key;
    }
    return true;
  }
  if (typeof key === 'string') {
    const d = durations(key, value);
    if (d) return d[0] !== d[1];
    const q = parseQuantity(key);
    if (q && typeof value === 'string' && value !== '') {
      const qv = parseQuantity(value);
      return qv !== undefined && compareQuantities(q, qv) !== 0;
    }
    return typeof value === 'string' ? !wildcardMatch(value, key) : true;
  }
  if (Array.isArray(key))
    return !Array.isArray(value) || !deepEqual(key, value);
  if (isObject(key)) return !isObject(value) || !deepEqual(key, value);
  return true;
}

function compare(a: number, b: number, op: string): boolean {
  switch (op) {
    case 'greaterthanorequals':
      return a >= b;
    case 'greaterthan':
      return a > b;
    case 'lessthanorequals':
      return a <= b;
    default:
      return a < b;
  }
}

/** -1, 0 or 1 as `a` sorts before, with or after `b`. */
const order = (a: string | number, b: string | number) =>
  Number(a > b) - Number(a < b);

/** A semantic version (major.minor.patch, optional pre-release) as blang/semver parses it, for comparisons. */
function semver(s: string): [number, number, number, string] | undefined {
  const m =
    /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(s);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ?? ''] : undefined;
}

function numeric(key: unknown, value: unknown, op: string): boolean {
  if (typeof key === 'number') {
    if (typeof value === 'number') return compare(key, value, op);
    if (typeof value === 'string') {
      const d = durations(key, value);
      if (d) return compare(d[0], d[1], op);
      const n = parseNumber(value);
      return n !== undefined && compare(key, n, op);
    }
    return false;
  }
  if (typeof key !== 'string') return false;
  const d = durations(key, value);
  if (d) return compare(d[0], d[1], op);
  const qk = parseQuantity(key);
  const qv = typeof value === 'string' ? parseQuantity(value) : undefined;
  if (qk && qv) return compare(compareQuantities(qk, qv), 0, op);
  const n = parseNumber(key);
  if (n !== undefined) return numeric(n, value, op);
  const vk = semver(key);
  const vv = typeof value === 'string' ? semver(value) : undefined;
  if (vk && vv) {
    for (let i = 0; i < 3; i++)
      if (vk[i] !== vv[i]) return compare(vk[i] as number, vv[i] as number, op);
    const [a, b] = [vk[3], vv[3]];
    // A version without a pre-release sorts after the same version with one.
    if (a === '' || b === '')
      return compare(Number(a === '') - Number(b === ''), 0, op);
    return compare(order(a, b), 0, op);
  }
  return false;
}

/** The deprecated Duration* operators: numbers are seconds, strings Go durations. */
function durationOperator(key: unknown, value: unknown, op: string): boolean {
  const seconds = (v: unknown) => {
    if (typeof v === 'number') return Math.trunc(v);
    if (typeof v === 'string') {
      const ns = parseDuration(v);
      return ns === undefined ? undefined : Number(ns) / 1e9;
    }
    return undefined;
  };
  const [k, v] = [seconds(key), seconds(value)];
  return (
    k !== undefined &&
    v !== undefined &&
    compare(k, v, op.replace('duration', ''))
  );
}

const bothWays = (a: string, b: string) =>
  wildcardMatch(a, b) || wildcardMatch(b, a);

/** A string value that holds a JSON array of strings, else the string itself; undefined for a JSON non-array. */
function stringList(value: string): string[] | undefined {
  try {
    const parsed = JSON.parse(value);
    if (Array.isArray(parsed) && parsed.every(x => typeof x === 'string'))
      return parsed;
    return undefined;
  } catch {
    return [value];
  }
}

/** Kyverno's AnyIn / AllIn / AnyNotIn / AllNotIn. */
function setOperator(
  key: unknown,
  value: unknown,
  mode: 'anyin' | 'allin' | 'anynotin' | 'allnotin',
): boolean {
  const any = mode === 'anyin' || mode === 'anynotin';
  const negate = mode.endsWith('notin');
  let keys: string[];
  if (typeof key === 'string') keys = [key];
  else if (typeof key === 'number' || typeof key === 'boolean')
    keys = [sprint(key)];
  else if (Array.isArray(key)) keys = key.map(sprint);
  else return false;
  const single = !Array.isArray(key);

  if (single) {
    // One key: the same lookup for all four operators; the NotIn ones negate it.
    const k = keys[0];
    let found: boolean | undefined;
    if (Array.isArray(value)) found = value.some(v => bothWays(sprint(v), k));
    else if (typeof value === 'string') {
      if (wildcardMatch(value, k)) found = true;
      else if (operatorOf(value) === '-')
        found = validateValueWithPattern(k, value);
      else {
        const list = stringList(value);
        found = list === undefined ? undefined : list.includes(k);
      }
    }
    if (found === undefined) return false;
    return negate ? !found : found;
  }

  let values: string[];
  if (Array.isArray(value)) values = value.map(sprint);
  else if ((typeof value === 'number' || typeof value === 'boolean') && any)
    values = [sprint(value)];
  else if (typeof value === 'string') {
    if (keys.length === 1 && keys[0] === value) return !negate;
    if (operatorOf(value) === '-') {
      const inRange = (k: string) => validateValueWithPattern(k, value);
      const notInRange = (k: string) =>
        validateValueWithPattern(k, value.replace('-', '!-'));
      if (mode === 'anyin') return keys.some(inRange);
      if (mode === 'anynotin') return keys.some(notInRange);
      if (mode === 'allin') return keys.every(inRange);
      return !keys.some(inRange);
    }
    const list = stringList(value);
    if (list === undefined) return false;
    values = list;
  } else return false;

  const matched = (k: string) => values.some(v => bothWays(k, v));
  if (mode === 'anyin') return keys.some(matched);
  if (mode === 'anynotin') return keys.some(k => !matched(k));
  if (mode === 'allin') return keys.every(matched);
  return !keys.some(matched);
}

/** The deprecated In / NotIn: exact strings, no wildcards on lists of keys. */
function inOperator(key: unknown, value: unknown, negate: boolean): boolean {
  if (
    typeof key === 'string' ||
    typeof key === 'number' ||
    typeof key === 'boolean'
  ) {
    const k = sprint(key);
    let found: boolean;
    if (Array.isArray(value)) found = value.some(v => bothWays(sprint(v), k));
    else if (typeof value === 'string') {
      if (wildcardMatch(value, k)) found = true;
      else {
        try {
          const arr = JSON.parse(value);
          if (!Array.isArray(arr)) return false;
          found = arr.includes(k);
        } catch {
          return false;
        }
      }
    } else return false;
    return negate ? !found : found;
  }
  if (!Array.isArray(key)) return false;
  const keys = key.map(sprint);
  let values: unknown[];
  if (Array.isArray(value)) values = value;
  else if (typeof value === 'string') {
    if (keys.length === 1 && keys[0] === value) return true;
    try {
      values = JSON.parse(value);
      if (!Array.isArray(values)) return false;
    } catch {
      return false;
    }
  } else return false;
  if (values.some(v => typeof v !== 'string')) return false;
  const set = new Set(values as string[]);
  return negate ? keys.some(k => !set.has(k)) : keys.every(k => set.has(k));
}

export const CONDITION_OPERATORS = [
  'Equal',
  'Equals',
  'NotEqual',
  'NotEquals',
  'In',
  'AnyIn',
  'AllIn',
  'NotIn',
  'AnyNotIn',
  'AllNotIn',
  'GreaterThanOrEquals',
  'GreaterThan',
  'LessThanOrEquals',
  'LessThan',
  'DurationGreaterThanOrEquals',
  'DurationGreaterThan',
  'DurationLessThanOrEquals',
  'DurationLessThan',
];

/**
 * One condition with Kyverno's operator semantics; undefined for an operator Kyverno does not know (an error
 * there, "failed to create handler for condition operator").
 */
export function evaluateOperator(
  operator: string,
  key: unknown,
  value: unknown,
): boolean | undefined {
  const op = operator.toLowerCase();
  switch (op) {
    case 'equal':
    case 'equals':
      return equals(key, value);
    case 'notequal':
    case 'notequals':
      return notEquals(key, value);
    case 'in':
      return inOperator(key, value, false);
    case 'notin':
      return inOperator(key, value, true);
    case 'anyin':
    case 'allin':
    case 'anynotin':
    case 'allnotin':
      return setOperator(key, value, op);
    case 'greaterthanorequals':
    case 'greaterthan':
    case 'lessthanorequals':
    case 'lessthan':
      return numeric(key, value, op);
    case 'durationgreaterthanorequals':
    case 'durationgreaterthan':
    case 'durationlessthanorequals':
    case 'durationlessthan':
      return durationOperator(key, value, op);
    default:
      return undefined;
  }
}

/** A condition as written in a policy. */
export interface Condition {
  key?: unknown;
  operator?: string;
  value?: unknown;
  message?: string;
}

/**
 * A block of conditions after substitution: `{ any?, all? }` (Kyverno's AnyAllConditions), a list of such
 * blocks, or the older plain list of conditions. Returns whether they hold and Kyverno's message (the messages
 * of the conditions that decided).
 */
export function evaluateConditions(
  conditions: unknown,
  evaluate: (c: Condition) => boolean,
): { result: boolean; message: string } {
  const join = (msgs: Array<string | undefined>, sep: string) =>
    msgs.filter(m => m).join(sep);
  const block = (c: { any?: Condition[]; all?: Condition[] }) => {
    let anyResult = true;
    let allResult = true;
    const trueMsgs: Array<string | undefined> = [];
    const falseMsgs: Array<string | undefined> = [];
    if (Array.isArray(c.any)) {
      anyResult = false;
      for (const cond of c.any) {
        if (evaluate(cond)) {
          anyResult = true;
          trueMsgs.push(cond.message);
          break;
        }
        falseMsgs.push(cond.message);
      }
    }
    for (const cond of Array.isArray(c.all) ? c.all : []) {
      if (!evaluate(cond)) {
        allResult = false;
        falseMsgs.push(cond.message);
        break;
      }
      trueMsgs.push(cond.message);
    }
    const result = anyResult && allResult;
    return { result, message: join(result ? trueMsgs : falseMsgs, '; ') };
  };
  if (Array.isArray(conditions)) {
    const isBlock = conditions.some(
      c => isObject(c) && ('any' in c || 'all' in c),
    );
    const msgs: string[] = [];
    for (const c of conditions as any[]) {
      const r = isBlock
        ? block(c)
        : { result: evaluate(c), message: c?.message ?? '' };
      if (!r.result) return { result: false, message: r.message };
      msgs.push(r.message);
    }
    return { result: true, message: join(msgs, ';') };
  }
  if (isObject(conditions)) return block(conditions as any);
  return { result: true, message: '' };
}
