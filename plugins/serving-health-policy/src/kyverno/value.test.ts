import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { validateValueWithPattern } from './value';

interface ValueCase {
  value?: unknown;
  pattern: unknown;
  expected: boolean;
}

const groups: Array<{ group: string; cases: ValueCase[] }> = parse(
  fs.readFileSync(
    path.join(__dirname, '../__fixtures__/kyverno-value-cases.yaml'),
    'utf8',
  ),
);

describe('validateValueWithPattern', () => {
  describe.each(groups.map(g => [g.group, g.cases] as const))(
    '%s',
    (_, cases) => {
      it.each(cases.map(c => [c.value, c.pattern, c.expected] as const))(
        '%j against %j is %j',
        (value, pattern, expected) => {
          expect(validateValueWithPattern(value, pattern)).toBe(expected);
        },
      );
    },
  );
});
