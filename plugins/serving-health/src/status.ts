import {
  CheckResult,
  CheckStatus,
  OverallStatus,
  TRIAGE_STAGES,
  TriageStage,
} from '@serving-health/plugin-serving-health-common';

/** A stage's status: its worst check, or `none` when no check ran in it. */
export type StageStatus = CheckStatus | 'none';

export const OVERALL_LABELS: Record<OverallStatus, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  failing: 'Failing',
  unknown: 'Unknown',
};

export const CHECK_LABELS: Record<StageStatus, string> = {
  pass: 'Passed',
  warn: 'Warning',
  fail: 'Failed',
  error: 'Could not run',
  skipped: 'Skipped',
  none: 'No checks',
};

// Order of precedence: one failing check makes the whole stage fail.
const STAGE_PRECEDENCE: CheckStatus[] = [
  'fail',
  'error',
  'warn',
  'pass',
  'skipped',
];

export function stageStatus(checks: CheckResult[]): StageStatus {
  for (const status of STAGE_PRECEDENCE) {
    if (checks.some(c => c.status === status)) {
      return status;
    }
  }
  return 'none';
}

export function stageTitle(stage: TriageStage | undefined): string | undefined {
  if (!stage) {
    return undefined;
  }
  const found = TRIAGE_STAGES.find(s => s.id === stage);
  return found ? `${found.order}. ${found.title}` : stage;
}

export const OVERALL_STATUSES = Object.keys(OVERALL_LABELS) as OverallStatus[];

/** How bad an overall status is, for listing the worst first. */
export const OVERALL_SEVERITY: Record<OverallStatus, number> = {
  healthy: 0,
  unknown: 1,
  degraded: 2,
  failing: 3,
};
