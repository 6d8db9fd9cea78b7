import {
  HistoryTransition,
  OverallStatus,
} from '@serving-health/plugin-serving-health-common';

/** One stretch of time an entity spent in one status. */
export interface HistorySegment {
  status: OverallStatus;
  from: string;
  /** Absent for the current state. */
  to?: string;
  /** Share of the shown window, 0..1. */
  share: number;
}

/**
 * The stretches between transitions (given newest first, as the routes return them), oldest first, each with
 * its share of the time from the oldest transition to `now`.
 */
export function historySegments(
  transitions: HistoryTransition[],
  now: Date,
): HistorySegment[] {
  const oldestFirst = [...transitions].reverse();
  if (oldestFirst.length === 0) return [];
  const start = Date.parse(oldestFirst[0].at);
  const span = Math.max(now.getTime() - start, 1);
  return oldestFirst.map((t, i) => {
    const next = oldestFirst[i + 1];
    const end = next ? Date.parse(next.at) : now.getTime();
    return {
      status: t.to,
      from: t.at,
      ...(next ? { to: next.at } : {}),
      share: Math.max(end - Date.parse(t.at), 0) / span,
    };
  });
}

/** "3d 4h", "2h 5m", "12m", "40s": the two largest units of a duration. */
export function formatDuration(ms: number): string {
  const s = Math.max(Math.floor(ms / 1000), 0);
  const parts: [number, string][] = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first < 0) return '0s';
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n}${unit}`)
    .join(' ');
}
