/*
 * semver_compare(version, range) as Kyverno runs it with blang/semver: a strict semantic version against a range
 * such as `>=1.2.3 <2.0.0 || 3.x`. Ranges AND within a space-separated group and OR across `||`; operators
 * = == != ! > >= < <=; `x` wildcards in minor / patch expand as blang expands them. A scanner, no regular expression.
 */

interface Version {
  major: number;
  minor: number;
  patch: number;
  pre: string[];
}

const isNumeric = (s: string) =>
  s !== '' && [...s].every(c => c >= '0' && c <= '9');

/** blang/semver Parse (strict): MAJOR.MINOR.PATCH[-pre][+build]; undefined when invalid. */
export function parseVersion(input: string): Version | undefined {
  const plus = input.indexOf('+');
  const core = plus < 0 ? input : input.slice(0, plus);
  const dash = core.indexOf('-');
  const nums = (dash < 0 ? core : core.slice(0, dash)).split('.');
  const pre = dash < 0 ? [] : core.slice(dash + 1).split('.');
  if (nums.length !== 3 || !nums.every(isNumeric)) return undefined;
  if (nums.some(n => n.length > 1 && n.startsWith('0'))) return undefined;
  if (
    pre.some(
      p => p === '' || (isNumeric(p) && p.length > 1 && p.startsWith('0')),
    )
  )
    return undefined;
  const [major, minor, patch] = nums.map(Number);
  return { major, minor, patch, pre };
}

function compare(a: Version, b: Version): number {
  for (const k of ['major', 'minor', 'patch'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  if (!a.pre.length || !b.pre.length)
    return Number(!a.pre.length) - Number(!b.pre.length);
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const [x, y] = [a.pre[i], b.pre[i]];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (isNumeric(x) && isNumeric(y)) return Number(x) < Number(y) ? -1 : 1;
    if (isNumeric(x)) return -1;
    if (isNumeric(y)) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

type Check = (v: Version) => boolean;

const OPERATORS = ['>=', '<=', '!=', '==', '>', '<', '=', '!'];

function comparator(op: string, target: Version): Check {
  switch (op) {
    case '>':
      return v => compare(v, target) > 0;
    case '>=':
      return v => compare(v, target) >= 0;
    case '<':
      return v => compare(v, target) < 0;
    case '<=':
      return v => compare(v, target) <= 0;
    case '!':
    case '!=':
      return v => compare(v, target) !== 0;
    default:
      return v => compare(v, target) === 0;
  }
}

/** One `op version` term, with blang's wildcard expansion; undefined when invalid. */
function term(text: string): Check | undefined {
  const op = OPERATORS.find(o => text.startsWith(o)) ?? '';
  const version = text.slice(op.length);
  const parts = version.split('.');
  const wild = (p: string | undefined) =>
    p === undefined || p === 'x' || p === 'X' || p === '*';
  const exact = parseVersion(version);
  if (exact) return comparator(op, exact);
  if (
    !isNumeric(parts[0]) ||
    parts.length > 3 ||
    (wild(parts[1]) && !wild(parts[2]))
  )
    return undefined;
  if (!wild(parts[1]) && !isNumeric(parts[1])) return undefined;
  const major = Number(parts[0]);
  const minorWild = wild(parts[1]);
  const minor = minorWild ? 0 : Number(parts[1]);
  const low: Version = { major, minor, patch: 0, pre: [] };
  const high: Version = minorWild
    ? { major: major + 1, minor: 0, patch: 0, pre: [] }
    : { major, minor: minor + 1, patch: 0, pre: [] };
  switch (op) {
    case '>':
      return comparator('>=', high);
    case '>=':
      return comparator('>=', low);
    case '<':
      return comparator('<', low);
    case '<=':
      return comparator('<', high);
    case '!':
    case '!=':
      return v => compare(v, low) < 0 || compare(v, high) >= 0;
    default:
      return v => compare(v, low) >= 0 && compare(v, high) < 0;
  }
}

/** Whether `version` lies in `range`; throws when either is invalid (Kyverno's error). */
export function semverCompare(version: string, range: string): boolean {
  const v = parseVersion(version);
  if (!v) throw new Error(`Invalid character(s) found in version "${version}"`);
  const alternatives = range.split('||').map(alt => {
    const terms = alt
      .trim()
      .split(' ')
      .filter(t => t)
      .map(t => {
        const check = term(t);
        if (!check) throw new Error(`Could not parse Range "${range}"`);
        return check;
      });
    if (!terms.length) throw new Error(`Could not parse Range "${range}"`);
    return terms;
  });
  return alternatives.some(terms => terms.every(check => check(v)));
}
