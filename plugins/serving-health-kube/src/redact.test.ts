import { redactLog, redactLogLine } from './redact';

describe('redactLogLine', () => {
  it.each([
    ['Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.abcdefghij.klmnopqrst', 'eyJhbGciOiJSUzI1NiJ9'],
    ['connecting to postgres://admin:hunter2@db:5432/x', 'hunter2'],
    ['{"password":"s3cr3t-value","user":"a"}', 's3cr3t-value'],
    ['aws_access_key=AKIAABCDEFGHIJKLMNOP region=eu', 'AKIAABCDEFGHIJKLMNOP'],
    ['token=abc.def.ghi refreshed', 'abc.def.ghi'],
    ['-----BEGIN RSA PRIVATE KEY-----MIIEpAIBAAKCAQEA-----END RSA PRIVATE KEY-----', 'MIIEpAIBAAKCAQEA'],
  ])('removes the secret from %s', (line, secret) => {
    const out = redactLogLine(line);
    expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED');
  });

  it('keeps ordinary lines as they are', () => {
    const line = '2026-11-26T10:00:00Z ERROR Reconciler error {"InferenceService": "models/fraud"}';
    expect(redactLogLine(line)).toBe(line);
  });

  it('bounds a 5 MB line', () => {
    const out = redactLogLine('x'.repeat(5 * 1024 * 1024));
    expect(out.length).toBeLessThan(2100);
    expect(out).toContain('characters cut');
  });

  it('splits a log into non-empty redacted lines', () => {
    expect(redactLog('a\n\nBearer abc\n')).toEqual(['a', 'Bearer [REDACTED]']);
  });
});
