import { validateValueWithPattern as v } from './value';

// Cases from Kyverno's pkg/engine/pattern/pattern_test.go.
describe('validateValueWithPattern', () => {
  it('compares booleans', () => {
    expect(v(true, true)).toBe(true);
    expect(v(true, false)).toBe(false);
    expect(v('true', true)).toBe(false);
  });

  it('treats null as absent, empty, zero or false', () => {
    expect(v('value', null)).toBe(false);
    expect(v('', null)).toBe(true);
    expect(v(0, null)).toBe(true);
    expect(v(0.1, null)).toBe(false);
    expect(v(false, null)).toBe(true);
    expect(v(true, null)).toBe(false);
    expect(v(undefined, null)).toBe(true);
    expect(v({}, null)).toBe(false);
  });

  it('matches * and ? wildcards', () => {
    expect(v('anything', '*')).toBe(true);
    expect(v('', '*')).toBe(true);
    expect(v('leftright', '*right')).toBe(true);
    expect(v('leftmiddle', '*right')).toBe(false);
    expect(v('abbeba', 'ab*ba')).toBe(true);
    expect(v('abbca', 'ab*ba')).toBe(false);
    expect(v('abbba', 'ab?ba')).toBe(true);
    expect(v('abbbba', 'ab?ba')).toBe(false);
    expect(v('', '?*')).toBe(false);
    expect(v(undefined, '*')).toBe(false);
  });

  it('combines | and &', () => {
    expect(v('10.100.11.54', '192.168.88.1 | 10.100.11.*')).toBe(true);
    expect(v('10', '>1 & <20')).toBe(true);
    expect(v('10', '>1 & <20 | >31 & <33')).toBe(true);
    expect(v('32', '>1 & <20 | >31 & <33')).toBe(true);
    expect(v('21', '>1 & <20 | >31 & <33')).toBe(false);
  });

  it('compares numbers by value', () => {
    expect(v(7.0, 7.0)).toBe(true);
    expect(v(7.9914, 7.9914)).toBe(true);
    expect(v(7.9914, 7.99141)).toBe(false);
    expect(v(7, 7.0)).toBe(true);
    expect(v(8, 7)).toBe(false);
    expect(v('7', 7)).toBe(true);
  });

  it('accepts spaces after operators', () => {
    expect(v(4, '>= 3')).toBe(true);
  });

  it('evaluates ranges and negated ranges, numbers and quantities', () => {
    expect(v(0, '0-2')).toBe(true);
    expect(v(2, '0-2')).toBe(true);
    expect(v(3, '0-2')).toBe(false);
    expect(v(0, '10!-20')).toBe(true);
    expect(v(15, '10!-20')).toBe(false);
    expect(v(25, '10!-20')).toBe(true);
    expect(v(0, '0.00001-2.00001')).toBe(false);
    expect(v(1, '0.00001-2.00001')).toBe(true);
    expect(v(2.0001, '0.00001-2.00001')).toBe(false);
    expect(v(2, '2-2')).toBe(true);
    expect(v(2, '2!-2')).toBe(false);
    expect(v(2.99999, '2.99998-3')).toBe(true);
    expect(v(2.99997, '2.99998!-3')).toBe(true);
    expect(v('256Mi', '128Mi-512Mi')).toBe(true);
    expect(v('1024Mi', '128Mi-512Mi')).toBe(false);
    expect(v('64Mi', '128Mi-512Mi')).toBe(false);
    expect(v('256Mi', '128Mi!-512Mi')).toBe(false);
    expect(v('1024Mi', '128Mi!-512Mi')).toBe(true);
  });

  it('compares quantities exactly', () => {
    expect(v('1024Gi', '1024Gi')).toBe(true);
    expect(v('1024Mi', '1Gi')).toBe(true);
    expect(v('0.2', '200m')).toBe(true);
    expect(v('2048', '1024')).toBe(false);
    expect(v(1024, '1024')).toBe(true);
    expect(v('1Gi', '>1000Mi')).toBe(true);
    expect(v('1G', '<1Gi')).toBe(true);
    expect(v('500m', '>=0.5')).toBe(true);
    expect(v('0.2', '<=.5')).toBe(true);
    expect(v('0.2', '!.5')).toBe(true);
    expect(v('gii', '1024Gi')).toBe(false);
  });

  it('compares numbers with fractions as quantities', () => {
    expect(v(7.00001, '>7.000001')).toBe(true);
    expect(v(7.00001, '!7')).toBe(true);
    expect(v(7.0, '7')).toBe(true);
    expect(v(6.000000001, '<6')).toBe(false);
  });

  it('compares durations before quantities', () => {
    expect(v('90m', '>1h')).toBe(true);
    expect(v('30s', '<=1m')).toBe(true);
  });

  it('does not apply order operators to plain strings', () => {
    expect(v('abc', '>abb')).toBe(false);
  });

  it('negates kernel-version-like strings (not ranges)', () => {
    expect(v('5.16.5-arch1-1', '!5.10.84-1')).toBe(true);
    expect(v('5.10.84-1', '!5.10.84-1')).toBe(false);
    expect(v('5.16.5-arch1-1', '!5.10.84-1 & !5.15.2-1')).toBe(true);
    expect(v('5.15.2-1', '!5.10.84-1 & !5.15.2-1')).toBe(false);
  });

  it('requires a map for a map pattern', () => {
    expect(v({ a: 1 }, { b: 2 })).toBe(true);
    expect(v('x', { b: 2 })).toBe(false);
  });
});
