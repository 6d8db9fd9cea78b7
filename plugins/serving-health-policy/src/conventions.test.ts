import {
  checkLabels,
  ConventionsFormatError,
  DEFAULT_LABEL_CONVENTIONS,
  findNearMiss,
  parseConventions,
  suggestKeyInStyle,
} from './conventions';

const rulesOf = (issues: ReturnType<typeof checkLabels>) =>
  issues.map(i => `${i.rule}:${i.key}`);

describe('checkLabels', () => {
  it('passes the conventional labels', () => {
    expect(
      checkLabels({
        owner: 'team-a',
        'cost-center': 'cc-1234',
        'app.kubernetes.io/name': 'm',
      }),
    ).toEqual([]);
  });

  it.each([
    'costCenter',
    'cost_center',
    'CostCenter',
    'COST-CENTER',
    'cost.center',
  ])('names %s a near miss of cost-center, instead of a missing label', key => {
    const issues = checkLabels({ owner: 'team-a', [key]: 'cc-1234' });
    expect(rulesOf(issues)).toEqual([`label-near-miss:${key}`]);
    expect(issues[0].message).toMatch(
      new RegExp(`^\`${key}\` should be \`cost-center\``),
    );
    expect(issues[0].suggestion).toBe('cost-center');
    expect(issues[0].path).toBe(`/metadata/labels/${key}/`);
  });

  it('reports a missing required label', () => {
    const issues = checkLabels({ owner: 'team-a' });
    expect(rulesOf(issues)).toEqual(['label-required:cost-center']);
    expect(issues[0].path).toBe('/metadata/labels/cost-center/');
  });

  it('reports a required label with an empty value', () => {
    expect(rulesOf(checkLabels({ owner: '', 'cost-center': 'x' }))).toEqual([
      'label-required:owner',
    ]);
  });

  it('warns about keys that are not kebab-case, with the kebab-case key', () => {
    const issues = checkLabels({
      owner: 'a',
      'cost-center': 'b',
      modelFormat: 'sklearn',
    });
    expect(issues).toEqual([
      expect.objectContaining({
        rule: 'label-key-style',
        severity: 'warning',
        key: 'modelFormat',
        suggestion: 'model-format',
      }),
    ]);
  });

  it('checks the syntax of keys and values as the API server does', () => {
    const issues = checkLabels({
      owner: 'a',
      'cost-center': 'not valid!',
      'Bad.Prefix/x': 'y',
    });
    expect(rulesOf(issues)).toEqual([
      'label-value-syntax:cost-center',
      'label-key-syntax:Bad.Prefix/x',
    ]);
    expect(issues[0].message).toMatch(
      /^metadata\.labels: Invalid value: "not valid!": a valid label must be/,
    );
  });

  it('flags label values that YAML did not read as strings', () => {
    const issues = checkLabels({
      owner: 'a',
      'cost-center': 1234 as unknown as string,
    });
    expect(issues[0]).toMatchObject({
      rule: 'label-value-syntax',
      key: 'cost-center',
    });
    expect(issues[0].message).toMatch(/must be strings, got number 1234/);
  });

  it('applies required labels only to the configured kinds', () => {
    const conventions = {
      ...DEFAULT_LABEL_CONVENTIONS,
      kinds: ['InferenceService'],
    };
    expect(checkLabels({}, { conventions, kind: 'ConfigMap' })).toEqual([]);
    expect(
      checkLabels({}, { conventions, kind: 'InferenceService' }),
    ).toHaveLength(2);
  });

  it('exempts third-party prefixes from the key style', () => {
    const conventions = {
      ...DEFAULT_LABEL_CONVENTIONS,
      requiredLabels: [],
      exemptPrefixes: ['vendor.example'],
    };
    expect(
      checkLabels({ 'vendor.example/someKey': 'x' }, { conventions }),
    ).toEqual([]);
    expect(
      checkLabels({ 'other.example/someKey': 'x' }, { conventions }),
    ).toHaveLength(1);
  });
});

describe('findNearMiss', () => {
  it('matches case- and separator-insensitively, also a prefixed key to an unprefixed requirement', () => {
    expect(findNearMiss('costCenter', ['owner', 'cost-center'])).toBe(
      'cost-center',
    );
    expect(findNearMiss('acme.com/cost_center', ['cost-center'])).toBe(
      'cost-center',
    );
    expect(findNearMiss('cost-center', ['cost-center'])).toBeUndefined();
    expect(findNearMiss('center-cost', ['cost-center'])).toBeUndefined();
  });
});

describe('suggestKeyInStyle', () => {
  it('converts between styles keeping the prefix', () => {
    expect(suggestKeyInStyle('example.com/costCenter', 'kebab-case')).toBe(
      'example.com/cost-center',
    );
    expect(suggestKeyInStyle('cost-center', 'snake_case')).toBe('cost_center');
    expect(suggestKeyInStyle('cost_center', 'camelCase')).toBe('costCenter');
  });
});

describe('parseConventions', () => {
  it('reads YAML and JSON with defaults for missing fields', () => {
    expect(parseConventions('requiredLabels: [team]\n')).toEqual({
      requiredLabels: ['team'],
      keyStyle: 'kebab-case',
      exemptPrefixes: [],
      kinds: [],
    });
    expect(
      parseConventions('{"keyStyle": "snake_case"}').requiredLabels,
    ).toEqual(['owner', 'cost-center']);
    expect(parseConventions('')).toEqual({ ...DEFAULT_LABEL_CONVENTIONS });
  });

  it('rejects unknown fields, bad styles and invalid required keys', () => {
    expect(() => parseConventions('requiredLabel: [x]')).toThrow(
      ConventionsFormatError,
    );
    expect(() => parseConventions('keyStyle: PascalCase')).toThrow(/keyStyle/);
    expect(() => parseConventions('requiredLabels: ["bad key"]')).toThrow(
      /not a valid key/,
    );
    expect(() => parseConventions('[1, 2]')).toThrow(/mapping/);
  });
});
