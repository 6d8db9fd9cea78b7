/*
 * Kyverno's custom JMESPath functions, with the cases of Kyverno's own tests (pkg/engine/jmespath/functions_test.go,
 * arithmetic_test.go) and documentation (kyverno.io/docs/writing-policies/jmespath).
 */
import { NotEvaluatedError, searchKyverno, UnknownKeyError } from './jmespath';

const field = { spec: { field: 'Hello world, helworldlo' } };

describe('searchKyverno', () => {
  it.each([
    ["compare('a', 'a')", 0],
    ["compare('a', 'b')", -1],
    ["compare('b', 'a')", 1],
    ["equal_fold('Go', 'go')", true],
    ["equal_fold('1', 'b')", false],
    [
      "replace('Lorem ipsum dolor sit amet', 'ipsum', 'muspi', `-1`)",
      'Lorem muspi dolor sit amet',
    ],
    [
      "replace('Lorem ipsum ipsum ipsum dolor sit amet', 'ipsum', 'muspi', `1`)",
      'Lorem muspi ipsum ipsum dolor sit amet',
    ],
    [
      "replace_all('Lorem ipsum dolor sit amet', 'Lorem', 'Ipsum')",
      'Ipsum ipsum dolor sit amet',
    ],
    ["to_upper('a#%&123Bc')", 'A#%&123BC'],
    ["to_lower('a#%&123Bc')", 'a#%&123bc'],
    ["trim('¡¡¡Hello, Gophers!!!', '!¡')", 'Hello, Gophers'],
    ["trim_prefix('Hello, Gophers', 'Hello, ')", 'Gophers'],
    ["split('Hello, Gophers', ', ')", ['Hello', 'Gophers']],
    ["regex_match('^[0-9]+$', '12345')", true],
    ["regex_match('^[0-9]+$', `123.5`)", false],
    ["pattern_match('prefix-*', 'prefix-value')", true],
    ["pattern_match('prefix-*', 'value')", false],
    [
      'label_match(`{"app": "test-app"}`, `{"app": "test-app", "tier": "web"}`)',
      true,
    ],
    ['label_match(`{"app": "test-app2"}`, `{"app": "test-app"}`)', false],
    ["to_boolean('TRUE')", true],
    ['add(`12`, `13`)', 25],
    ["add('12s', '13s')", '25s'],
    ["subtract('1h', '30s')", '59m30s'],
    ["multiply('12s', `2`)", '24s'],
    ['divide(`12`, `5`)', 2.4],
    ["divide('12h', '4h')", 3],
    ["divide('1Gi', '512Mi')", 2],
    ['modulo(`13`, `5`)', 3],
    ["modulo('13s', '5s')", '3s'],
    ['round(`1.12345`, `2`)', 1.12],
    ['sum(`[1, 2, 3]`)', 6],
    ["base64_decode('SGVsbG8sIHdvcmxkIQ==')", 'Hello, world!'],
    ["base64_encode('Hello, world!')", 'SGVsbG8sIHdvcmxkIQ=='],
    [
      "path_canonicalize('///var/run/containerd/containerd.sock')",
      '/var/run/containerd/containerd.sock',
    ],
    ["path_canonicalize('/var/run///containerd////')", '/var/run/containerd'],
    ["path_canonicalize('/run/../etc')", '/etc'],
    ["path_canonicalize('/../../')", '/'],
    ["truncate('Lorem ipsum ipsum ipsum dolor sit amet', `11`)", 'Lorem ipsum'],
    ["truncate('Lorem ipsum', `2.6`)", 'Lo'],
    ["truncate('Lorem ipsum', `-1`)", ''],
    ["semver_compare('4.1.3','>=4.1.x')", true],
    ["semver_compare('4.1.3','!4.x.x')", false],
    ["semver_compare('1.8.6','>1.0.0 <2.0.0')", true],
    ["semver_compare('2.1.5','<2.0.0 || >=3.0.0')", false],
    ["semver_compare('1.2.3-beta.2','>1.2.3-beta.1 <1.2.3')", true],
    ['parse_json(\'{"a": [1, 2, 3, 4]}\').a[0]', 1],
    ["parse_yaml('a: b').a", 'b'],
    [
      'items(`{"b": 2, "a": 1}`, \'key\', \'value\')',
      [
        { key: 'a', value: 1 },
        { key: 'b', value: 2 },
      ],
    ],
    ['object_from_lists(`["a", "b"]`, `[1]`)', { a: 1, b: null }],
  ])('%s', (expression, expected) => {
    expect(searchKyverno(expression, {})).toEqual(expected);
  });

  it('runs policy regexes on RE2, with Go-style replacements', () => {
    expect(
      searchKyverno(
        "regex_replace_all('([Hh]e|G)l', spec.field, '${2}G')",
        field,
      ),
    ).toBe('Glo world, Gworldlo');
    expect(
      searchKyverno(
        "regex_replace_all_literal('[Hh]el?', spec.field, 'G')",
        field,
      ),
    ).toBe('Glo world, Gworldlo');
    // A pattern that backtracks exponentially in a JavaScript RegExp finishes at once on RE2.
    const started = Date.now();
    expect(
      searchKyverno(
        "regex_match('^(a+)+$', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')",
        {},
      ),
    ).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("names Kyverno's errors", () => {
    expect(() => searchKyverno("to_boolean('yes')", {})).toThrow(
      "JMESPath function 'to_boolean': lowercase argument must be 'true' or 'false' (provided: 'yes')",
    );
    expect(() => searchKyverno('divide(`1`, `0`)', {})).toThrow(
      "JMESPath function 'divide': Zero divisor passed",
    );
    // '30m' is a quantity (30 milli) before it is a duration, as in Kyverno.
    expect(() => searchKyverno("subtract('1h', '30m')", {})).toThrow(
      "JMESPath function 'subtract': Types mismatch",
    );
    expect(() => searchKyverno("add('1s', `2`)", {})).toThrow(
      "JMESPath function 'add': Types mismatch",
    );
  });

  it('fails on a key missing from a plain path, as Kyverno, but not inside functions or ||', () => {
    const data = { request: { object: { metadata: { name: 'x' } } } };
    expect(() =>
      searchKyverno('request.object.metadata.labels.team', data),
    ).toThrow(new UnknownKeyError('labels'));
    expect(
      searchKyverno("request.object.metadata.labels.team || 'none'", data),
    ).toBe('none');
    expect(
      searchKyverno('to_string(request.object.metadata.labels)', data),
    ).toBe('null');
  });

  it('leaves what needs the clock or the cluster to Kyverno', () => {
    expect(() => searchKyverno('time_now_utc()', {})).toThrow(
      NotEvaluatedError,
    );
    expect(() => searchKyverno("add('1Gi', '1Gi')", {})).toThrow(
      NotEvaluatedError,
    );
  });
});
