const MAX_LINE = 2000;

const PATTERNS: Array<[RegExp, string]> = [
  // PEM private keys, whole or cut off at the end of a line.
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[REDACTED PRIVATE KEY]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [REDACTED]'],
  // user:password@ in URLs.
  [/([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1[REDACTED]@'],
  // key=value / "key": "value" for secret-looking keys.
  [/((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret|authorization)["']?\s*[:=]\s*["']?)[^"'\s,}&]+/gi, '$1[REDACTED]'],
  // JWTs seen bare.
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g, '[REDACTED JWT]'],
];

/**
 * Removes credentials from a log line and bounds its length before it leaves the backend.
 *
 * @public
 */
export function redactLogLine(line: string): string {
  let out = line.length > MAX_LINE * 4 ? line.slice(0, MAX_LINE * 4) : line;
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  // Say so whenever the original was longer, even if redaction shrank what is left.
  if (line.length > MAX_LINE || out.length > MAX_LINE) {
    const kept = out.slice(0, MAX_LINE);
    out = `${kept} … [line of ${line.length} characters cut]`;
  }
  return out;
}

/** @public */
export function redactLog(text: string): string[] {
  return text
    .split('\n')
    .filter(l => l.length > 0)
    .map(redactLogLine);
}
