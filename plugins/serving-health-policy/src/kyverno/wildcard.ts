/**
 * Kyverno's wildcards: `*` any run of characters (also none), `?` exactly one character. Whole-string match,
 * by code point.
 *
 * Matched by the greedy two-pointer algorithm instead of a generated RegExp: policy values come from whoever
 * writes policies, and a pattern such as `*a*a*a*a*a*a*a*a*b` makes a backtracking regex engine take
 * exponential time. Here every step advances the value or the pattern, and a `*` only ever resumes from the
 * last star seen, so the work is at most (pattern length x value length).
 *
 * @public
 */
export function wildcardMatch(pattern: string, value: string): boolean {
  if (!containsWildcard(pattern)) return pattern === value;
  const p = Array.from(pattern);
  const v = Array.from(value);
  let pi = 0;
  let vi = 0;
  let star = -1;
  let resume = 0;
  while (vi < v.length) {
    if (
      pi < p.length &&
      (p[pi] === '?' || (p[pi] !== '*' && p[pi] === v[vi]))
    ) {
      pi += 1;
      vi += 1;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi;
      resume = vi;
      pi += 1;
    } else if (star >= 0) {
      // The last star absorbs one more character; earlier stars never need to be revisited.
      pi = star + 1;
      resume += 1;
      vi = resume;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi += 1;
  return pi === p.length;
}

export function containsWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}
