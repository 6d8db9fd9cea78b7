import { REDACTION_CORPUS } from './__fixtures__/redactionCorpus';
import { redactDeep, redactLog, redactLogLine, redactText } from './redact';

describe('redactText', () => {
  const withSecrets = REDACTION_CORPUS.filter(c => c.secrets.length > 0);

  it('has a corpus of at least 60 secret-bearing lines', () => {
    expect(withSecrets.length).toBeGreaterThanOrEqual(60);
  });

  it.each(REDACTION_CORPUS.map(c => [c.input, c] as const))(
    'redacts %j as expected',
    (_input, c) => {
      const out = redactText(c.input);
      expect(out).toBe(c.expected);
      expect(c.secrets.filter(secret => out.includes(secret))).toEqual([]);
      // A line without a secret comes back exactly as it was.
      expect(c.secrets.length > 0 || out === c.input).toBe(true);
    },
  );

  it('removes a PEM block spanning lines before the log is split', () => {
    const log = [
      'starting',
      '-----BEGIN RSA PRIVATE KEY-----',
      'MIIEowIBAAKCAQEAsecretline1',
      'secretline2',
      '-----END RSA PRIVATE KEY-----',
      'done',
    ].join('\n');
    const lines = redactLog(log);
    expect(lines).toEqual(['starting', '[REDACTED PRIVATE KEY]', 'done']);
  });

  it('takes bounded time on inputs built to make regexes backtrack', () => {
    for (const unit of [
      'password',
      'password=',
      'https://',
      `${'a'.repeat(500)}@`,
      '"token": "',
      'eyJaaaaaaaaa.',
      '-----BEGIN PRIVATE KEY-----',
      'SG.aaaaaaaaaaaaaaaaaaaa',
    ]) {
      const text = unit.repeat(Math.ceil((1024 * 1024) / unit.length));
      const started = Date.now();
      redactText(text);
      // About 0.1 s per MB was measured for the worst of these; a backtracking pattern takes minutes.
      expect([unit, Date.now() - started < 5_000]).toEqual([unit, true]);
    }
  });
});

describe('redactLogLine', () => {
  it('keeps ordinary lines as they are', () => {
    const line = '2026-11-26T10:00:00Z ERROR Reconciler error {"InferenceService": "models/fraud"}';
    expect(redactLogLine(line)).toBe(line);
  });

  it('bounds a 5 MB line and says it was cut', () => {
    const out = redactLogLine('x'.repeat(5 * 1024 * 1024));
    expect(out.length).toBeLessThan(2100);
    expect(out).toContain('line of 5242880 characters cut');
  });

  it('splits a log into non-empty redacted lines', () => {
    expect(redactLog('a\n\nBearer abc\n')).toEqual(['a', 'Bearer [REDACTED]']);
  });
});

describe('redactDeep', () => {
  it('redacts every string of a report-like value and keeps its shape and keys', () => {
    const value = {
      summary: 'login with password=hunter2 failed',
      evidence: [
        { label: 'Condition', fields: { 'status.message': 'token: abc123 rejected', count: 3 } },
        { lines: ['Authorization: Bearer xyz', 'fine'] },
      ],
      ok: true,
    };
    expect(redactDeep(value)).toEqual({
      summary: 'login with password=[REDACTED] failed',
      evidence: [
        { label: 'Condition', fields: { 'status.message': 'token: [REDACTED] rejected', count: 3 } },
        { lines: ['Authorization: [REDACTED] [REDACTED]', 'fine'] },
      ],
      ok: true,
    });
  });
});
