import { FailureModeId, OverallStatus, TriageReport } from '../types';

/**
 * What the history keeps of a report: enough to tell a transition, small enough to store for every run.
 *
 * @public
 */
export interface ReportSummary {
  overall: OverallStatus;
  failureModes: FailureModeId[];
  failingStage?: string;
}

/**
 * A change between two consecutive summaries of one entity.
 *
 * @public
 */
export interface ReportTransition {
  from: OverallStatus | null;
  to: OverallStatus;
  /** Failure modes present now that were not before. */
  added: FailureModeId[];
  /** Failure modes present before that are gone now. */
  cleared: FailureModeId[];
  /** `started-failing` when it became failing, `recovered` when it left failing for healthy or degraded, else `changed`. */
  kind: 'started-failing' | 'recovered' | 'changed';
}

/** @public */
export function summarizeReport(
  report: Pick<TriageReport, 'overall' | 'failureModes' | 'failingStage'>,
): ReportSummary {
  return {
    overall: report.overall,
    failureModes: [...new Set(report.failureModes.map(m => m.id))].sort(),
    ...(report.failingStage ? { failingStage: report.failingStage } : {}),
  };
}

/**
 * The transition from `previous` to `next`, or undefined when neither the status nor the set of failure modes
 * changed (a different failing stage or evidence alone is no transition). A first summary is a transition from
 * nothing.
 *
 * @public
 */
export function reportTransition(
  previous: ReportSummary | undefined,
  next: ReportSummary,
): ReportTransition | undefined {
  const before = new Set(previous?.failureModes ?? []);
  const now = new Set(next.failureModes);
  const added = next.failureModes.filter(m => !before.has(m));
  const cleared = (previous?.failureModes ?? []).filter(m => !now.has(m));
  if (
    previous &&
    previous.overall === next.overall &&
    added.length === 0 &&
    cleared.length === 0
  ) {
    return undefined;
  }
  const wasFailing = previous?.overall === 'failing';
  let kind: ReportTransition['kind'] = 'changed';
  if (next.overall === 'failing' && !wasFailing) kind = 'started-failing';
  // Unknown (cluster unreadable) is no recovery: nobody should be told it works when nothing was seen.
  else if (
    wasFailing &&
    (next.overall === 'healthy' || next.overall === 'degraded')
  )
    kind = 'recovered';
  return {
    from: previous?.overall ?? null,
    to: next.overall,
    added,
    cleared,
    kind,
  };
}
