/*
 * One value against one pattern leaf, with the semantics of Kyverno's engine (pkg/engine/pattern):
 * booleans and numbers compare by value, `null` accepts absent/empty/zero, strings split on `|` (or) and
 * `&` (and), each part an operator (`>`, `<`, `>=`, `<=`, `!`), a range (`1-10`, `1!-10`) or a wildcard
 * string; numeric parts compare as Go durations first, then as Kubernetes quantities, then as strings.
 */
import { compareQuantities, parseDuration, parseQuantity } from './quantity';
import { wildcardMatch } from './wildcard';

type Operator = '' | '>=' | '<=' | '>' | '<' | '!' | '-' | '!-';

const NUMBER_WITH_UNIT = String.raw`\d+(?:\.\d+)?[^-!\s]*`;
const NOT_IN_RANGE = new RegExp(
  `^(${NUMBER_WITH_UNIT})!-(${NUMBER_WITH_UNIT})$`,
);
const IN_RANGE = new RegExp(`^(${NUMBER_WITH_UNIT})-(${NUMBER_WITH_UNIT})$`);

function operatorOf(pattern: string): Operator {
  if (pattern.length < 2) return '';
  for (const op of ['>=', '<=', '>', '<', '!'] as const) {
    if (pattern.startsWith(op)) return op;
  }
  if (NOT_IN_RANGE.test(pattern)) return '!-';
  if (IN_RANGE.test(pattern)) return '-';
  return '';
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's `%f` for floats, decimal for integers: the text Kyverno parses numbers from. */
function numberToString(value: unknown): string | undefined {
  if (value === null || value === undefined) return '0';
  if (typeof value === 'string') return value;
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : value.toFixed(6);
  return undefined;
}

/** Go's strconv.FormatFloat(v, 'E', -1, 64) for non-integers; integers print as integers. */
function formatForString(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const [mantissa, exp] = value.toExponential().split('e');
  const n = parseInt(exp, 10);
  return `${mantissa}E${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(
    2,
    '0',
  )}`;
}

function compareNumbers(result: -1 | 0 | 1, op: Operator): boolean {
  switch (op) {
    case '':
      return result === 0;
    case '!':
      return result !== 0;
    case '>':
      return result === 1;
    case '<':
      return result === -1;
    case '>=':
      return result >= 0;
    case '<=':
      return result <= 0;
    default:
      return false;
  }
}

function validateString(
  value: unknown,
  pattern: string,
  op: Operator,
): boolean {
  const patternDuration = parseDuration(pattern);
  const valueText = numberToString(value);
  if (patternDuration !== undefined && valueText !== undefined) {
    const valueDuration = parseDuration(valueText);
    if (valueDuration !== undefined) {
      let r: -1 | 0 | 1 = 0;
      if (valueDuration < patternDuration) r = -1;
      else if (valueDuration > patternDuration) r = 1;
      return compareNumbers(r, op);
    }
  }
  const patternQuantity = parseQuantity(pattern);
  if (patternQuantity && valueText !== undefined) {
    const valueQuantity = parseQuantity(valueText);
    if (valueQuantity)
      return compareNumbers(
        compareQuantities(valueQuantity, patternQuantity),
        op,
      );
  }
  if (op !== '' && op !== '!') return false;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number') text = formatForString(value);
  else if (typeof value === 'boolean') text = String(value);
  else return false;
  const matched = wildcardMatch(pattern, text);
  return op === '!' ? !matched : matched;
}

function validateStringPart(value: unknown, pattern: string): boolean {
  const op = operatorOf(pattern);
  if (op === '-') {
    const [, left, right] = IN_RANGE.exec(pattern)!;
    return (
      validateStringPart(value, `>= ${left}`) &&
      validateStringPart(value, `<= ${right}`)
    );
  }
  if (op === '!-') {
    const [, left, right] = NOT_IN_RANGE.exec(pattern)!;
    return (
      validateStringPart(value, `< ${left}`) ||
      validateStringPart(value, `> ${right}`)
    );
  }
  return validateString(value, pattern.slice(op.length).trim(), op);
}

function validateStringPattern(value: unknown, pattern: string): boolean {
  if (value === pattern) return true;
  // The docs: `null` or "" require that the field is absent or has no value.
  if (pattern === '' && (value === null || value === undefined)) return true;
  return pattern
    .split('|')
    .map(c => c.trim())
    .some(orPart =>
      orPart
        .split('&')
        .map(c => c.trim())
        .every(andPart => validateStringPart(value, andPart)),
    );
}

function parseGoFloat(s: string): number | undefined {
  if (
    !/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s.trim()) ||
    s.trim() !== s
  )
    return undefined;
  return Number(s);
}

/** Kyverno's ValidateValueWithPattern: does this resource value satisfy this pattern leaf? */
export function validateValueWithPattern(
  value: unknown,
  pattern: unknown,
): boolean {
  if (typeof pattern === 'boolean')
    return typeof value === 'boolean' && value === pattern;
  if (typeof pattern === 'number') {
    if (typeof value === 'number') return value === pattern;
    if (typeof value === 'string') {
      const parsed = parseGoFloat(value);
      return parsed !== undefined && parsed === pattern;
    }
    return false;
  }
  if (pattern === null || pattern === undefined) {
    if (value === null || value === undefined) return true;
    if (typeof value === 'number') return value === 0;
    if (typeof value === 'string') return value === '';
    if (typeof value === 'boolean') return !value;
    return false;
  }
  if (typeof pattern === 'string') return validateStringPattern(value, pattern);
  if (isPlainObject(pattern)) return isPlainObject(value);
  return false;
}
