/*
 * One value against one pattern leaf, with the semantics of Kyverno's engine (pkg/engine/pattern):
 * booleans and numbers compare by value, `null` accepts absent/empty/zero, strings split on `|` (or) and
 * `&` (and), each part an operator (`>`, `<`, `>=`, `<=`, `!`), a range (`1-10`, `1!-10`) or a wildcard
 * string; numeric parts compare as Go durations first, then as Kubernetes quantities, then as strings.
 */
import { compareQuantities, parseDuration, parseQuantity } from './quantity';
import { wildcardMatch } from './wildcard';

type Operator = '' | '>=' | '<=' | '>' | '<' | '!' | '-' | '!-';

// Kyverno's operator.InRangeRegex / NotInRangeRegex: signed numbers with letter units (`-5-5`, `1Gi!-2Gi`).
// Linear: digits, '.', letters and '-' are disjoint, so no part can take back what another needs.
const ENDPOINT = String.raw`[-|+]?\d+(?:\.\d+)?[A-Za-z]*`;
const NOT_IN_RANGE = new RegExp(`^(${ENDPOINT})!-(${ENDPOINT})$`);
const IN_RANGE = new RegExp(`^(${ENDPOINT})-(${ENDPOINT})$`);

export function operatorOf(pattern: string): Operator {
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

/**
 * The text Kyverno matches a number against: whole numbers that fit an int64 arrive as int64 and print as
 * integers; anything else is a float64, printed by strconv.FormatFloat(v, 'E', -1, 64).
 */
function formatForString(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 63)
    return String(value);
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

/** Go's strings.Trim(s, " "): spaces only, so a tab before an operator keeps it from being one. */
function trimSpaces(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s[start] === ' ') start++;
  while (end > start && s[end - 1] === ' ') end--;
  return s.slice(start, end);
}

function validateStringPattern(value: unknown, pattern: string): boolean {
  if (value === pattern) return true;
  return pattern
    .split('|')
    .map(trimSpaces)
    .some(orPart =>
      orPart
        .split('&')
        .map(trimSpaces)
        .every(andPart => validateStringPart(value, andPart)),
    );
}

const DECIMAL_FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const HEX_FLOAT =
  /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/;

/** Go's strconv.ParseFloat for the forms a resource may hold: decimal, and hexadecimal with a `p` exponent. */
function parseGoFloat(s: string): number | undefined {
  if (DECIMAL_FLOAT.test(s)) return Number(s);
  const hex = HEX_FLOAT.exec(s);
  if (!hex || !(hex[2] || hex[3])) return undefined;
  const [, sign, int, frac = '', exp] = hex;
  const mantissa = parseInt(`${int}${frac}` || '0', 16);
  const value = mantissa * 2 ** (Number(exp) - 4 * frac.length);
  return sign === '-' ? -value : value;
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
