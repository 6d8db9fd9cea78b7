import cases from './__fixtures__/apimachinery-label-cases.json';
import {
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  reservedPrefixNote,
  utf8Length,
} from './labels';

/** Expands `{a*63}` into 63 `a`s, as the Go tests build their long strings. */
const expand = (s: string) =>
  s.replace(/\{(\w)\*(\d+)\}/g, (_, ch: string, n: string) =>
    ch.repeat(Number(n)),
  );

describe('isQualifiedName (label keys)', () => {
  it.each(cases.qualifiedName.good.map(expand))('accepts %s', key => {
    expect(isQualifiedName(key)).toEqual([]);
  });

  it.each(cases.qualifiedName.bad.map(expand))('rejects %s', key => {
    expect(isQualifiedName(key).length).toBeGreaterThan(0);
  });

  it('words a bad name part as the API server does, double space included', () => {
    expect(isQualifiedName('costCenter!')).toEqual([
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ]);
  });

  it('reports a prefix that is not a lowercase DNS subdomain', () => {
    expect(isQualifiedName('Example.com/abc')[0]).toMatch(
      /^prefix part a lowercase RFC 1123 subdomain/,
    );
  });

  it('reports an empty prefix and an empty name', () => {
    expect(isQualifiedName('/simple')).toEqual([
      'prefix part must be non-empty',
    ]);
    expect(isQualifiedName('example.com/')[0]).toBe(
      'name part must be non-empty',
    );
  });

  it('limits the name part to 63 and the prefix to 253 characters', () => {
    expect(isQualifiedName('a'.repeat(64))).toContain(
      'name part must be no more than 63 characters',
    );
    expect(isQualifiedName(`${'a'.repeat(254)}/abc`)).toContain(
      'prefix part must be no more than 253 characters',
    );
  });

  it('rejects more than one slash with the qualified-name message', () => {
    expect(isQualifiedName('only/one/slash')[0]).toMatch(
      /^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/,
    );
  });
});

describe('isValidLabelValue', () => {
  it.each(cases.labelValue.good.map(expand))('accepts %j', value => {
    expect(isValidLabelValue(value)).toEqual([]);
  });

  it.each(cases.labelValue.bad.map(expand))('rejects %j', value => {
    expect(isValidLabelValue(value).length).toBeGreaterThan(0);
  });

  it('counts length in UTF-8 bytes, as Go does', () => {
    expect(utf8Length('ā')).toBe(2);
    expect(isValidLabelValue('a'.repeat(64))).toContain(
      'must be no more than 63 characters',
    );
  });
});

describe('isDNS1123Subdomain', () => {
  it('accepts lowercase dotted names and rejects uppercase or underscores', () => {
    expect(isDNS1123Subdomain('serving.kserve.io')).toEqual([]);
    expect(isDNS1123Subdomain('Serving.io')).toHaveLength(1);
    expect(isDNS1123Subdomain('a_b.io')).toHaveLength(1);
  });
});

describe('reservedPrefixNote', () => {
  it('notes the kubernetes.io/ and k8s.io/ prefixes and their subdomains', () => {
    expect(reservedPrefixNote('kubernetes.io/arch')).toMatch(/reserved/);
    expect(reservedPrefixNote('k8s.io/foo')).toMatch(/reserved/);
    expect(reservedPrefixNote('node.kubernetes.io/instance-type')).toMatch(
      /reserved/,
    );
    expect(reservedPrefixNote('app.kubernetes.io/name')).toMatch(
      /recommended labels/,
    );
    expect(reservedPrefixNote('example.com/kubernetes.io')).toBeUndefined();
    expect(reservedPrefixNote('cost-center')).toBeUndefined();
  });
});
