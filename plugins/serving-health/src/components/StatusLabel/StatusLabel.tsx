import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { OverallStatus } from '@serving-health/plugin-serving-health-common';
import { CHECK_LABELS, OVERALL_LABELS, StageStatus } from '../../status';

const OVERALL_ICONS: Record<OverallStatus, typeof StatusOK> = {
  healthy: StatusOK,
  degraded: StatusWarning,
  failing: StatusError,
  unknown: StatusAborted,
};

const CHECK_ICONS: Record<StageStatus, typeof StatusOK> = {
  pass: StatusOK,
  warn: StatusWarning,
  fail: StatusError,
  error: StatusWarning,
  skipped: StatusAborted,
  none: StatusAborted,
};

/** The overall status of a report, as a status icon and its word. */
export const OverallStatusLabel = (props: {
  status: OverallStatus;
  testId?: string;
}) => {
  const Icon = OVERALL_ICONS[props.status] ?? StatusAborted;
  const label = OVERALL_LABELS[props.status] ?? props.status;
  // Backstage's status components hide their text from assistive technology: name it here.
  return (
    <span
      role="img"
      aria-label={`Overall status: ${label}`}
      data-testid={props.testId}
      data-status={props.status}
    >
      <Icon>{label}</Icon>
    </span>
  );
};

/** The status of a check or a stage, as a status icon and its word. */
export const CheckStatusLabel = (props: {
  status: StageStatus;
  label?: string;
}) => {
  const Icon = CHECK_ICONS[props.status] ?? StatusAborted;
  const label = props.label ?? CHECK_LABELS[props.status] ?? props.status;
  return (
    <span role="img" aria-label={`Status: ${label}`}>
      <Icon>{label}</Icon>
    </span>
  );
};
