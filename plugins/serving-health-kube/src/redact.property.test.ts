import fc from 'fast-check';
import { redactLog, redactText } from './redact';

// Secrets as generated tokens: long enough to be told apart from the text around them.
const secret = fc.stringMatching(/^[A-Za-z0-9]{12,40}$/);
const noise = fc.string({ maxLength: 200 }).map(s => s.replace(/[\n]/g, ' '));

/** Places a secret in a context the redactor must recognise. */
const contexts: Array<(s: string) => string> = [
  s => `password=${s}`,
  s => `"token": "${s}"`,
  s => `{\\"client_secret\\":\\"${s}\\"}`,
  s => `Authorization: Bearer ${s}`,
  s => `https://user:${s}@registry.example.com/v2/`,
  s => `https://${s}@github.com/org/repo.git`,
  s => `api_key: ${s}`,
  s => `?sv=2022&sig=${s}&se=1`,
  s => `-----BEGIN PRIVATE KEY-----\n${s}\n-----END PRIVATE KEY-----`,
];

describe('properties: redaction', () => {
  it('never lets a secret through, whatever text surrounds it', () => {
    fc.assert(
      fc.property(
        noise,
        secret,
        fc.integer({ min: 0, max: contexts.length - 1 }),
        noise,
        (before, s, i, after) => {
          const text = `${before} ${contexts[i](s)} ${after}`;
          expect(redactText(text).includes(s)).toBe(false);
          expect(redactLog(text).join('\n').includes(s)).toBe(false);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never throws, is stable when applied twice, and stays within a bound on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 5000 }), text => {
        const started = performance.now();
        const once = redactText(text);
        expect(performance.now() - started).toBeLessThan(1000);
        expect(redactText(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });
});
