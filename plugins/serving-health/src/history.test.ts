import { HistoryTransition } from '@serving-health/plugin-serving-health-common';
import { formatDuration, historySegments } from './history';

const transition = (
  at: string,
  to: HistoryTransition['to'],
): HistoryTransition => ({
  id: at,
  entityRef: 'component:default/fraud-model',
  at,
  from: null,
  to,
  added: [],
  cleared: [],
  kind: 'changed',
});

describe('historySegments', () => {
  it('turns newest-first transitions into oldest-first stretches sharing the window up to now', () => {
    const segments = historySegments(
      [
        transition('2026-11-30T10:30:00Z', 'healthy'),
        transition('2026-11-30T10:10:00Z', 'failing'),
        transition('2026-11-30T10:00:00Z', 'healthy'),
      ],
      new Date('2026-11-30T10:40:00Z'),
    );
    expect(segments.map(s => [s.status, s.share])).toEqual([
      ['healthy', 0.25],
      ['failing', 0.5],
      ['healthy', 0.25],
    ]);
    expect(segments[1].to).toBe('2026-11-30T10:30:00Z');
    expect(segments[2].to).toBeUndefined();
  });

  it('is empty without transitions', () => {
    expect(historySegments([], new Date())).toEqual([]);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [40_000, '40s'],
    [12 * 60_000 + 5_000, '12m 5s'],
    [2 * 3600_000 + 5 * 60_000 + 9_000, '2h 5m'],
    [3 * 86400_000 + 4 * 3600_000, '3d 4h'],
    [86400_000 + 30_000, '1d'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
