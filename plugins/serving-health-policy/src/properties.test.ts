import fc from 'fast-check';
import { parse } from 'yaml';
import fs from 'node:fs';
import path from 'node:path';
import { checkLabels } from './conventions';
import { wildcardMatch } from './kyverno/wildcard';
import { evaluatePolicy } from './kyverno/policy';
import { isQualifiedName, isValidLabelValue } from './labels';
import { parseManifests } from './manifests';
import { KubeObject } from './types';

/** The old regex translation, safe as an oracle only on short inputs. */
function wildcardOracle(pattern: string, value: string): boolean {
  const re = Array.from(pattern)
    .map(ch => {
      if (ch === '*') return '[\\s\\S]*';
      if (ch === '?') return '[\\s\\S]';
      return ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${re}$`, 'u').test(value);
}

const timed = <T>(fn: () => T): [T, number] => {
  const started = performance.now();
  const out = fn();
  return [out, performance.now() - started];
};

describe('properties: wildcardMatch', () => {
  it('agrees with the regex translation on short inputs', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[ab*?.]{0,8}$/),
        fc.stringMatching(/^[ab.]{0,10}$/),
        (pattern, value) => {
          expect(wildcardMatch(pattern, value)).toBe(
            wildcardOracle(pattern, value),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('answers any pattern against any 320-character value within a bound (a backtracking regex takes minutes)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a*?]{1,40}$/),
        fc.string({ minLength: 0, maxLength: 256 }),
        (pattern, value) => {
          const [, ms] = timed(() =>
            wildcardMatch(pattern, `${value}${'a'.repeat(64)}`),
          );
          // Microseconds are typical; the bound leaves room for a loaded machine's pauses.
          expect(ms).toBeLessThan(250);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('properties: label rules', () => {
  const name = fc.stringMatching(
    /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
  );
  const prefix = fc.stringMatching(
    /^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?){0,3}$/,
  );

  it('accepts every key built by the apimachinery grammar', () => {
    fc.assert(
      fc.property(fc.option(prefix, { nil: undefined }), name, (p, n) => {
        expect(isQualifiedName(p ? `${p}/${n}` : n)).toEqual([]);
        expect(isValidLabelValue(n)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects every name part longer than 63 characters', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{64,120}$/), n => {
        expect(isQualifiedName(n).length).toBeGreaterThan(0);
        expect(isValidLabelValue(n).length).toBeGreaterThan(0);
      }),
    );
  });

  it('never throws on arbitrary label maps, and reports a required key it lacks', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ maxLength: 80 }),
          fc.oneof(
            fc.string({ maxLength: 80 }),
            fc.integer(),
            fc.constant(null),
          ),
        ),
        labels => {
          const issues = checkLabels(labels as Record<string, unknown>);
          expect('owner' in labels || issues.some(i => i.key === 'owner')).toBe(
            true,
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('properties: Kyverno evaluation', () => {
  const policy = parse(
    fs.readFileSync(
      path.join(__dirname, '__fixtures__/policies/require-labels.yaml'),
      'utf8',
    ),
  ) as KubeObject;
  const isvc = (labels: Record<string, string>): KubeObject => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'm', namespace: 'models', labels },
  });

  it('passes exactly the resources that carry non-empty owner and cost-center labels', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('owner', 'cost-center', 'costCenter', 'team', 'app'),
          fc.string({ maxLength: 12 }),
        ),
        labels => {
          const [outcome] = evaluatePolicy(policy, isvc(labels), {
            operation: 'CREATE',
          });
          const compliant = !!labels.owner && !!labels['cost-center'];
          expect(outcome.status).toBe(compliant ? 'pass' : 'fail');
          // Deterministic: the same input, the same verdict and message.
          expect(
            evaluatePolicy(policy, isvc(labels), { operation: 'CREATE' })[0],
          ).toEqual(outcome);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary resources', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (metadata, spec) => {
        const resource = {
          apiVersion: 'serving.kserve.io/v1beta1',
          kind: 'InferenceService',
          metadata,
          spec,
        } as unknown as KubeObject;
        const outcomes = evaluatePolicy(policy, resource, {
          operation: 'CREATE',
        });
        expect(outcomes.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('properties: YAML intake', () => {
  it('never throws on arbitrary text, and every error names the file', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), text => {
        const [parsed, ms] = timed(() => parseManifests(text, 'in.yaml'));
        for (const e of parsed.errors) expect(e.file).toBe('in.yaml');
        expect(ms).toBeLessThan(2000);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on YAML-shaped noise', () => {
    const token = fc.constantFrom(
      'a',
      ':',
      ' ',
      '\n',
      '- ',
      '---\n',
      '{',
      '}',
      '[',
      ']',
      '"',
      "'",
      '&x ',
      '*x',
      '!!str ',
      '#',
      '|',
      '>',
      '?',
      '\t',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 300 }), tokens => {
        // Whatever the text, an answer: objects and errors, never a throw.
        const parsed = parseManifests(tokens.join(''), 'noise.yaml');
        expect(parsed).toBeDefined();
      }),
      { numRuns: 1000 },
    );
  });
});
