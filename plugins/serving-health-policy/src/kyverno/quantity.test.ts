import { compareQuantities, parseDuration, parseQuantity } from './quantity';

const cmp = (a: string, b: string) =>
  compareQuantities(parseQuantity(a)!, parseQuantity(b)!);

describe('parseQuantity', () => {
  it.each([
    ['1Gi', '1024Mi', 0],
    ['200m', '0.2', 0],
    ['1e3', '1k', 0],
    ['1E3', '1000', 0],
    ['1e+3', '1k', 0],
    ['1E', '1e18', 0],
    ['.5', '500m', 0],
    ['1.', '1', 0],
    ['1G', '1Gi', -1],
    ['2', '1500m', 1],
  ])('%s compared to %s is %d', (a, b, expected) => {
    expect(cmp(a, b)).toBe(expected);
  });

  it.each([
    '',
    '1K',
    'abc',
    '1.2.3',
    '1Gi3',
    '--1',
    '1e',
    '1e+',
    '1Ee',
    'ki',
    '1 ',
  ])('rejects %j', s => {
    expect(parseQuantity(s)).toBeUndefined();
  });

  // apimachinery's parseQuantityString accepts an empty number: these are all zero, to Kyverno too.
  it.each(['-', '+', '.', '-.', 'Gi', 'Ki', 'm', 'e5'])(
    'reads %j as zero',
    s => {
      expect(cmp(s, '0')).toBe(0);
    },
  );

  it('rounds a value finer than a nano away from zero, as ParseQuantity does', () => {
    expect(cmp('1e-10', '1n')).toBe(0);
    expect(cmp('0.0000000001', '1n')).toBe(0);
    expect(cmp('1.5n', '2n')).toBe(0);
    expect(cmp('-1.5n', '-2n')).toBe(0);
    expect(cmp('1n', '0')).toBe(1);
  });

  it('caps binary quantities at the int64 range', () => {
    expect(cmp('16Ei', '9223372036854775807')).toBe(0);
    expect(cmp('8Ei', '16Ei')).toBe(0);
    expect(cmp('16E', '9223372036854775807')).toBe(1);
  });
});

describe('parseDuration', () => {
  it('parses Go durations', () => {
    expect(parseDuration('1h30m')).toBe(5400n * 10n ** 9n);
    expect(parseDuration('300ms')).toBe(300n * 10n ** 6n);
    expect(parseDuration('-1.5h')).toBe(-5400n * 10n ** 9n);
    expect(parseDuration('5.h')).toBe(5n * 3600n * 10n ** 9n);
    expect(parseDuration('1h1h')).toBe(7200n * 10n ** 9n);
    expect(parseDuration('0')).toBe(0n);
  });

  it('rejects what Go rejects: no unit, no digits, unknown units', () => {
    for (const s of ['10', '', '-', '.', '.h', '1hx', '1h.', '1e3s']) {
      expect(parseDuration(s)).toBeUndefined();
    }
  });

  it('rejects durations beyond the int64 range of nanoseconds, as Go does', () => {
    expect(parseDuration('2562047h')).toBeDefined();
    expect(parseDuration('3000000h')).toBeUndefined();
    expect(parseDuration('9223372036854775807ns')).toBe(2n ** 63n - 1n);
    expect(parseDuration('9223372036854775808ns')).toBeUndefined();
    expect(parseDuration('-9223372036854775808ns')).toBe(-(2n ** 63n));
  });
});
