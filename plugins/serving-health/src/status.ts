import {
  CheckResult,
  CheckStatus,
  OverallStatus,
} from '@serving-health/plugin-serving-health-common';

/** A stage's status: its worst check, or `none` when no check ran in it. */
export type StageStatus = CheckStatus | 'none';

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

export const OVERALL_STATUSES: OverallStatus[] = [
  'healthy',
  'degraded',
  'failing',
  'unknown',
];

/** How bad an overall status is, for listing the worst first. */
export const OVERALL_SEVERITY: Record<OverallStatus, number> = {
  healthy: 0,
  unknown: 1,
  degraded: 2,
  failing: 3,
};
