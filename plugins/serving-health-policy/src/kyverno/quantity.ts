/*
 * Exact comparison of Kubernetes quantities (`500m`, `1Gi`, `1e3`) and Go durations (`1h30m`), the two
 * numeric forms Kyverno's pattern operators compare before falling back to strings.
 */

/** A quantity as an exact fraction. */
interface Rational {
  num: bigint;
  den: bigint;
}

const BINARY: Record<string, bigint> = {
  Ki: 1024n,
  Mi: 1024n ** 2n,
  Gi: 1024n ** 3n,
  Ti: 1024n ** 4n,
  Pi: 1024n ** 5n,
  Ei: 1024n ** 6n,
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

const QUANTITY_RE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)([eEinumkKMGTP]*)([-+]?\d*)$/;

/** Parses like apimachinery's resource.ParseQuantity; undefined when it would return an error. */
export function parseQuantity(input: string): Rational | undefined {
  const m = QUANTITY_RE.exec(input);
  if (!m) return undefined;
  const [, sign, number, suffixLetters, suffixDigits] = m;
  const suffix = suffixLetters + suffixDigits;
  const [intPart, fracPart = ''] = number.split('.');
  let num = BigInt((intPart || '0') + fracPart);
  let den = 10n ** BigInt(fracPart.length);
  if (sign === '-') num = -num;

  if (suffix in BINARY) {
    num *= BINARY[suffix];
  } else if (suffix in DECIMAL_EXP) {
    const exp = DECIMAL_EXP[suffix];
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else den *= 10n ** BigInt(-exp);
  } else {
    const e = /^[eE]([-+]?\d+)$/.exec(suffix);
    if (!e) return undefined;
    const exp = parseInt(e[1], 10);
    if (Math.abs(exp) > 1000) return undefined;
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else den *= 10n ** BigInt(-exp);
  }
  return { num, den };
}

export function compareQuantities(a: Rational, b: Rational): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  if (l < r) return -1;
  return l > r ? 1 : 0;
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Go's time.ParseDuration, in nanoseconds; undefined when Go would return an error. */
export function parseDuration(input: string): number | undefined {
  let s = input;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  const re = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  let total = 0;
  while (s.length) {
    const m = re.exec(s);
    if (!m) return undefined;
    total += parseFloat(m[1]) * DURATION_UNITS[m[2]];
    s = s.slice(m[0].length);
  }
  return sign * total;
}
