import { FleetEntry } from '@serving-health/plugin-serving-health-common';
import { createSummaryLoader, FetchSummaries } from './createSummaryLoader';

const entry = (
  entityRef: string,
  overall: FleetEntry['overall'] = 'failing',
): FleetEntry => ({
  entityRef,
  overall,
  failureModes: [],
});

/** Answers with an entry for every ref except those named `hidden-*` (a report the user may not read). */
const backend = () =>
  jest.fn<ReturnType<FetchSummaries>, Parameters<FetchSummaries>>(
    async refs => ({
      entries: refs.filter(r => !r.includes('hidden-')).map(r => entry(r)),
      generatedAt: '2026-11-30T00:00:00Z',
    }),
  );

describe('createSummaryLoader', () => {
  it('sends the refs asked for in one batch window in one request, and answers each', async () => {
    const fetch = backend();
    const loader = createSummaryLoader({ ttlMs: 30_000, batchWindowMs: 5 });
    const answers = await Promise.all([
      loader.load('component:default/a', fetch),
      loader.load('Component:default/b', fetch),
      loader.load('component:default/hidden-c', fetch),
      loader.load('component:default/a', fetch),
    ]);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith([
      'component:default/a',
      'component:default/b',
      'component:default/hidden-c',
    ]);
    expect(answers.map(a => a?.entityRef)).toEqual([
      'component:default/a',
      'component:default/b',
      undefined,
      'component:default/a',
    ]);
    expect(loader.peek('component:default/b')?.overall).toBe('failing');
    expect(loader.peek('component:default/hidden-c')).toBeNull();
    expect(loader.peek('component:default/never-asked')).toBeUndefined();
  });

  it('splits a batch into requests of at most 100 refs', async () => {
    const fetch = backend();
    const loader = createSummaryLoader({ ttlMs: 30_000, batchWindowMs: 5 });
    await Promise.all(
      Array.from({ length: 250 }, (_, i) =>
        loader.load(`component:default/e${i}`, fetch),
      ),
    );
    expect(fetch.mock.calls.map(([refs]) => refs.length)).toEqual([
      100, 100, 50,
    ]);
  });

  it('asks nothing again within the TTL, and again after it', async () => {
    let now = 0;
    const fetch = backend();
    const loader = createSummaryLoader({
      ttlMs: 1_000,
      batchWindowMs: 1,
      now: () => now,
    });
    await loader.load('component:default/a', fetch);
    await loader.load('component:default/a', fetch);
    expect(fetch).toHaveBeenCalledTimes(1);
    now = 1_000;
    expect(loader.peek('component:default/a')).toBeUndefined();
    await loader.load('component:default/a', fetch);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('rejects every waiting load when the request fails, and keeps nothing of it', async () => {
    const loader = createSummaryLoader({ ttlMs: 30_000, batchWindowMs: 1 });
    const failing: FetchSummaries = jest.fn(async () => {
      throw new Error('503 from serving-health');
    });
    await expect(
      Promise.all([
        loader.load('component:default/a', failing),
        loader.load('component:default/b', failing),
      ]),
    ).rejects.toThrow('503 from serving-health');
    const fetch = backend();
    await expect(
      loader.load('component:default/a', fetch),
    ).resolves.toMatchObject({
      entityRef: 'component:default/a',
    });
  });

  it('answers primed entries without a request', async () => {
    const fetch = backend();
    const loader = createSummaryLoader({ ttlMs: 30_000, batchWindowMs: 1 });
    loader.prime([entry('component:default/a', 'healthy')]);
    await expect(
      loader.load('component:default/a', fetch),
    ).resolves.toMatchObject({
      overall: 'healthy',
    });
    expect(fetch).not.toHaveBeenCalled();
  });
});
