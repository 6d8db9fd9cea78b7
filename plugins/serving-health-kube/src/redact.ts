const MAX_LINE = 2000;
/** Text past this is cut before any pattern runs: redaction time stays bounded whatever a cluster returns. */
const MAX_TEXT = 1024 * 1024;

// Names whose value is a secret, in any casing, as a key in JSON, YAML, env or query strings. Other letters
// may stand around them (`db_password`, `AWS_SECRET_ACCESS_KEY`, `clientSecret`, `private_key_id`).
const SECRET_KEY =
  '(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|authorization|accountkey|sharedaccesskey|connection[_-]?string)';
// Only what follows the keyword is matched: the letters before it stay as they are anyway.
const KEY = `${SECRET_KEY}[A-Za-z0-9_.-]{0,20}`;

/*
 * Every pattern starts with a literal or a short, bounded prefix. Repetition that something must follow is
 * bounded; only a pattern's last repetition is unbounded, and nothing after it can fail, so it consumes the
 * whole secret without backtracking. No input can make these take more than linear time.
 */
const PATTERNS: Array<[RegExp, string]> = [
  // PEM private keys across lines (also with escaped newlines inside JSON). The body is base64, blanks and
  // backslashes only, so the scan from a BEGIN stops at the next dash.
  [
    /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----[A-Za-z0-9+/=\s\\]*-----END [A-Z ]{0,40}PRIVATE KEY-----/g,
    '[REDACTED PRIVATE KEY]',
  ],
  // A block cut off before its end: the rest of its line, and below any line that is only key material.
  [/-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----[^\n]*/g, '[REDACTED PRIVATE KEY]'],
  [/^[A-Za-z0-9+/]{40,}={0,2}$/gm, '[REDACTED KEY MATERIAL]'],
  // Credentials in URLs: everything before the last @ of the authority (user, user:password, a token as
  // the user, passwords containing @).
  [/\b([a-z][a-z0-9+.-]{0,20}:\/\/)[^\s/?#"'<>]{0,512}@/gi, '$1[REDACTED]@'],
  // Authorization header values.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [REDACTED]'],
  // "key": "value" (JSON, quoted YAML) for secret-looking keys: the whole quoted value, spaces included.
  [new RegExp(`(${KEY}"?\\s{0,4}[:=]\\s{0,4}")[^"\\n]+`, 'gi'), '$1[REDACTED]'],
  [new RegExp(`(${KEY}'?\\s{0,4}[:=]\\s{0,4}')[^'\\n]+`, 'gi'), '$1[REDACTED]'],
  // The same inside escaped JSON (\"key\": \"value\"), as in a JSON log line carrying a JSON document.
  [new RegExp(`(${KEY}(?:\\\\")?\\s{0,4}[:=]\\s{0,4}\\\\")[^"\\\\\\n]+`, 'gi'), '$1[REDACTED]'],
  // key=value and key: value, unquoted: up to the next separator.
  [new RegExp(`(${KEY}\\s{0,4}[:=]\\s{0,4})[^"'\\\\\\s,;{}[\\]&]+`, 'gi'), '$1[REDACTED]'],
  // Azure shared access signatures.
  [/([?&]sig=)[^&\s"']+/gi, '$1[REDACTED]'],
  // JWTs seen bare.
  [
    /\beyJ[A-Za-z0-9_-]{8,4096}\.[A-Za-z0-9_-]{8,4096}\.[A-Za-z0-9_-]{8,}/g,
    '[REDACTED JWT]',
  ],
  // AWS access key ids.
  [/\b(?:AKIA|ASIA|AROA|AIDA|ANPA|AGPA)[A-Z0-9]{16}\b/g, '[REDACTED AWS KEY ID]'],
  // Vendor tokens recognisable by their prefix: GitHub, GitLab, Slack, Stripe, Google, OpenAI, Hugging Face,
  // npm, SendGrid.
  [
    /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,}|glpat-[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|[rs]k_(?:live|test)_[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_-]{35}|sk-(?:proj-)?[A-Za-z0-9_-]{20,}|hf_[A-Za-z0-9]{30,}|npm_[A-Za-z0-9]{36}|SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,})/g,
    '[REDACTED TOKEN]',
  ],
];

/**
 * Removes credentials from text read from a cluster (logs, condition and Argo CD messages, admission
 * answers) before it leaves the backend. Runs on the whole text, so secrets spanning lines (PEM blocks) go
 * too.
 *
 * @public
 */
export function redactText(text: string): string {
  let out = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}

function boundLine(original: number, line: string): string {
  // Say so whenever the original was longer, even if redaction shrank what is left.
  if (original > MAX_LINE || line.length > MAX_LINE) {
    return `${line.slice(0, MAX_LINE)} … [line of ${original} characters cut]`;
  }
  return line;
}

/**
 * Redacts one log line and bounds its length.
 *
 * @public
 */
export function redactLogLine(line: string): string {
  const cut = line.length > MAX_LINE * 4 ? line.slice(0, MAX_LINE * 4) : line;
  return boundLine(line.length, redactText(cut));
}

/**
 * Redacts a whole log (before splitting it, so multi-line secrets go) into bounded, non-empty lines.
 *
 * @public
 */
export function redactLog(text: string): string[] {
  const lines = text.split('\n');
  const cut = lines.map(l => (l.length > MAX_LINE * 4 ? l.slice(0, MAX_LINE * 4) : l));
  const redacted = redactText(cut.join('\n')).split('\n');
  // A redacted PEM block joins lines; the original lengths still apply when the count is unchanged.
  const sameLines = redacted.length === lines.length;
  return redacted
    .map((l, i) => [l, sameLines ? lines[i].length : l.length] as const)
    .filter(([l]) => l.length > 0)
    .map(([l, original]) => boundLine(original, l));
}

/**
 * Every string in a JSON-like value redacted (object keys kept): for reports and API answers that carry
 * what a cluster said in many places (condition and Argo CD messages, lastFailureInfo, admission denials).
 *
 * @public
 */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as unknown as T;
  if (Array.isArray(value)) return value.map(v => redactDeep(v)) as unknown as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactDeep(v)]),
    ) as T;
  }
  return value;
}
