import { createSingleFlight } from './singleFlight';
import { mapWithConcurrency } from './mapWithConcurrency';
import { createLimit } from './createLimit';

describe('createSingleFlight', () => {
  it('runs once for concurrent callers of one key, and again once that run settled', async () => {
    const flight = createSingleFlight<number>();
    let runs = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>(r => (release = r));
    const fn = async () => {
      runs += 1;
      await gate;
      return runs;
    };
    const calls = Promise.all([flight('a', fn), flight('a', fn), flight('b', fn)]);
    release();
    expect(await calls).toEqual([2, 2, 2]);
    expect(runs).toBe(2);
    expect(await flight('a', fn)).toBe(3);
  });

  it('lets the next caller retry after a failure', async () => {
    const flight = createSingleFlight<string>();
    await expect(flight('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await flight('a', async () => 'ok')).toBe('ok');
  });
});

describe('mapWithConcurrency', () => {
  it('keeps the order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapWithConcurrency([5, 1, 4, 2, 3, 0], 2, async n => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise(r => setTimeout(r, n));
      running -= 1;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
  });
});

describe('createLimit', () => {
  it('runs at most the limit at once and every call eventually', async () => {
    const limit = createLimit(2);
    let running = 0;
    let peak = 0;
    const out = await Promise.all(
      [3, 1, 2, 1, 0].map(n =>
        limit(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise(r => setTimeout(r, n));
          running -= 1;
          return n;
        }),
      ),
    );
    expect(out).toEqual([3, 1, 2, 1, 0]);
    expect(peak).toBe(2);
  });
});
