/*
 * Exact comparison of Kubernetes quantities (`500m`, `1Gi`, `1e3`) and Go durations (`1h30m`), the two
 * numeric forms Kyverno's pattern operators compare before falling back to strings. Both parsers are
 * hand-written scanners following apimachinery's parseQuantityString and Go's time.ParseDuration, quirks
 * included, so a pattern means here what it means to Kyverno; neither uses a regular expression.
 */

/** A quantity as an exact fraction. */
interface Rational {
  num: bigint;
  den: bigint;
}

const BINARY: Record<string, number> = {
  Ki: 10,
  Mi: 20,
  Gi: 30,
  Ti: 40,
  Pi: 50,
  Ei: 60,
};
const DECIMAL_EXP: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const SUFFIX_LETTERS = 'eEinumkKMGTP';
/** Larger exponents are parsed by apimachinery but make no sense in a policy; refusing them bounds the work. */
const MAX_EXPONENT = 1000;
const MAX_INT64 = 2n ** 63n - 1n;
const NANO = 10n ** 9n;

const isDigit = (c: string | undefined) =>
  c !== undefined && c >= '0' && c <= '9';

function digitsEnd(s: string, from: number): number {
  let i = from;
  while (isDigit(s[i])) i++;
  return i;
}

/** The exponent of an `e`/`E` suffix as strconv.ParseInt reads it: an optional sign, then digits only. */
function exponentOf(suffix: string): number | undefined {
  if (suffix.length < 2 || (suffix[0] !== 'e' && suffix[0] !== 'E'))
    return undefined;
  const rest = suffix.slice(1);
  const start = rest[0] === '+' || rest[0] === '-' ? 1 : 0;
  if (start === rest.length || digitsEnd(rest, start) !== rest.length)
    return undefined;
  const exp = Number(rest);
  return Math.abs(exp) > MAX_EXPONENT ? undefined : exp;
}

/**
 * Parses like apimachinery's resource.ParseQuantity; undefined when it would return an error. Its quirks hold
 * here too: the number may be empty (`Gi`, `-`, `.` are zero), a value finer than a nano is rounded away from
 * zero to the next nano, and binary-suffixed values are capped at the int64 range.
 */
export function parseQuantity(input: string): Rational | undefined {
  if (input === '') return undefined;
  let pos = 0;
  let negative = false;
  if (input[0] === '-' || input[0] === '+') {
    negative = input[0] === '-';
    pos = 1;
  }
  const intEnd = digitsEnd(input, pos);
  const intPart = input.slice(pos, intEnd);
  pos = intEnd;
  let fracPart = '';
  if (input[pos] === '.') {
    const fracEnd = digitsEnd(input, pos + 1);
    fracPart = input.slice(pos + 1, fracEnd);
    pos = fracEnd;
  }
  // The suffix: letters of SUFFIX_LETTERS, an optional sign, digits, and nothing after them.
  let end = pos;
  while (end < input.length && SUFFIX_LETTERS.includes(input[end])) end++;
  if (input[end] === '-' || input[end] === '+') end++;
  if (digitsEnd(input, end) !== input.length) return undefined;
  const suffix = input.slice(pos);

  let num = BigInt(`${intPart}${fracPart}` || '0');
  let den = 10n ** BigInt(fracPart.length);
  const binary = suffix in BINARY;
  if (suffix in DECIMAL_EXP || binary || exponentOf(suffix) !== undefined) {
    if (binary) {
      num *= 2n ** BigInt(BINARY[suffix]);
    } else {
      const exp = DECIMAL_EXP[suffix] ?? exponentOf(suffix)!;
      if (exp >= 0) num *= 10n ** BigInt(exp);
      else den *= 10n ** BigInt(-exp);
    }
  } else {
    return undefined;
  }
  // Round away from zero to a whole number of nanos, as ParseQuantity does (inf.RoundUp at scale 9).
  const nanos = num * NANO;
  if (nanos % den !== 0n) {
    num = nanos / den + 1n;
    den = NANO;
  }
  if (binary && num > MAX_INT64 * den) {
    num = MAX_INT64;
    den = 1n;
  }
  return { num: negative ? -num : num, den };
}

export function compareQuantities(a: Rational, b: Rational): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  if (l < r) return -1;
  return l > r ? 1 : 0;
}

const DURATION_UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1000000n,
  s: 1000000000n,
  m: 60000000000n,
  h: 3600000000000n,
};
const DURATION_LIMIT = 2n ** 63n;

/** Go's time.ParseDuration, in nanoseconds; undefined where Go returns an error (including overflow). */
export function parseDuration(input: string): bigint | undefined {
  let s = input;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  while (s.length) {
    if (!(s[0] === '.' || isDigit(s[0]))) return undefined;
    const intEnd = digitsEnd(s, 0);
    const intPart = s.slice(0, intEnd);
    let fracPart = '';
    let rest = intEnd;
    if (s[rest] === '.') {
      const fracEnd = digitsEnd(s, rest + 1);
      fracPart = s.slice(rest + 1, fracEnd);
      rest = fracEnd;
      if (!intPart && fracEnd === intEnd + 1) return undefined;
    } else if (!intPart) {
      return undefined;
    }
    // The unit runs up to the next digit or '.'.
    let unitEnd = rest;
    while (unitEnd < s.length && s[unitEnd] !== '.' && !isDigit(s[unitEnd]))
      unitEnd++;
    const unit = DURATION_UNITS[s.slice(rest, unitEnd)];
    if (unit === undefined) return undefined;
    let v = BigInt(intPart || '0');
    if (v > DURATION_LIMIT / unit) return undefined;
    v *= unit;
    if (fracPart) {
      v += (BigInt(fracPart) * unit) / 10n ** BigInt(fracPart.length);
      if (v > DURATION_LIMIT) return undefined;
    }
    total += v;
    if (total > DURATION_LIMIT) return undefined;
    s = s.slice(unitEnd);
  }
  if (negative) return -total;
  return total > DURATION_LIMIT - 1n ? undefined : total;
}
