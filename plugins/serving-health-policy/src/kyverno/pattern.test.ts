import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { matchPattern, parseAnchor } from './pattern';

interface Case {
  name: string;
  source: string;
  pattern: unknown;
  resource: unknown;
  status: 'pass' | 'skip' | 'fail';
  path?: string;
}

const cases: Case[] = parse(
  fs.readFileSync(
    path.join(__dirname, '../__fixtures__/kyverno-pattern-cases.yaml'),
    'utf8',
  ),
);

describe('matchPattern: Kyverno pattern semantics', () => {
  it.each(cases.map(c => [c.name, c] as const))('%s', (_, c) => {
    const result = matchPattern(c.resource, c.pattern);
    // Kyverno reports some failures as rule errors (see below); both deny the resource.
    const status = result.status === 'error' ? 'fail' : result.status;
    const failurePath = c.path && 'path' in result ? result.path : undefined;
    expect({ status, path: failurePath }).toEqual({
      status: c.status,
      path: c.path,
    });
  });

  it('reports a failure while an anchored key was absent as a rule error, as Kyverno does', () => {
    const result = matchPattern(
      { spec: { replicas: 1 } },
      { spec: { '^(containers)': [{ image: '*' }], replicas: '>1' } },
    );
    expect(result.status).toBe('error');
  });

  it('does not count an absent negation-anchored key as missing: that is what the negation asks for', () => {
    const result = matchPattern(
      { spec: { replicas: 1 } },
      { spec: { 'X(hostNetwork)': 'null', replicas: '>1' } },
    );
    expect(result).toMatchObject({ status: 'fail', path: '/spec/replicas/' });
  });

  it('trims anchor keys as Kyverno does', () => {
    expect(
      matchPattern({ spec: { app: 'z' } }, { spec: { ' (app) ': 'x', b: 'y' } })
        .status,
    ).toBe('skip');
  });
});

describe('parseAnchor', () => {
  it.each([
    ['(name)', 'condition'],
    ['=(name)', 'equality'],
    ['^(name)', 'existence'],
    ['X(name)', 'negation'],
    ['<(name)', 'global'],
    ['+(name)', 'add'],
  ])('%s is a %s anchor', (key, type) => {
    expect(parseAnchor(key)).toEqual({ type, key: 'name' });
  });

  it('parses a key with spaces around it', () => {
    expect(parseAnchor(' X( name) ')).toEqual({
      type: 'negation',
      key: ' name',
    });
  });

  it('leaves plain keys alone', () => {
    expect(parseAnchor('name')).toBeUndefined();
    expect(parseAnchor('(name')).toBeUndefined();
  });
});
