import { compareQuantities, parseDuration, parseQuantity } from './quantity';

describe('parseQuantity', () => {
  it.each([
    ['1Gi', '1024Mi', 0],
    ['200m', '0.2', 0],
    ['1e3', '1k', 0],
    ['1E3', '1000', 0],
    ['.5', '500m', 0],
    ['1G', '1Gi', -1],
    ['2', '1500m', 1],
  ])('%s compared to %s is %d', (a, b, expected) => {
    expect(compareQuantities(parseQuantity(a)!, parseQuantity(b)!)).toBe(
      expected,
    );
  });

  it.each(['', 'Gi', '1K', 'abc', '1.2.3', '1Gi3', '--1'])('rejects %j', s => {
    expect(parseQuantity(s)).toBeUndefined();
  });
});

describe('parseDuration', () => {
  it('parses Go durations', () => {
    expect(parseDuration('1h30m')).toBe(5400e9);
    expect(parseDuration('300ms')).toBe(300e6);
    expect(parseDuration('-1.5h')).toBe(-5400e9);
    expect(parseDuration('0')).toBe(0);
  });

  it('rejects numbers without units', () => {
    expect(parseDuration('10')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
  });
});
