/** Kyverno's wildcards: `*` any run of characters (also none), `?` exactly one character. Whole-string match. */
export function wildcardMatch(pattern: string, value: string): boolean {
  if (!containsWildcard(pattern)) return pattern === value;
  let re = '^';
  for (const ch of pattern) {
    if (ch === '*') re += '[\\s\\S]*';
    else if (ch === '?') re += '[\\s\\S]';
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`, 'u').test(value);
}

export function containsWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}
