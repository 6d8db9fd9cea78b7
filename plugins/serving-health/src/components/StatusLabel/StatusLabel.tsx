import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { servingHealthTranslationRef } from '../../translation';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { OverallStatus } from '@serving-health/plugin-serving-health-common';
import { StageStatus } from '../../status';

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
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const Icon = OVERALL_ICONS[props.status] ?? StatusAborted;
  const label =
    props.status in OVERALL_ICONS
      ? t(`status.overall.${props.status}`)
      : props.status;
  // Backstage's status components hide their text from assistive technology: name it here.
  return (
    <span
      role="img"
      aria-label={t('status.overallLabel', { label })}
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
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const Icon = CHECK_ICONS[props.status] ?? StatusAborted;
  const label =
    props.label ??
    (props.status in CHECK_ICONS
      ? t(`status.check.${props.status}`)
      : props.status);
  return (
    <span role="img" aria-label={t('status.checkLabel', { label })}>
      <Icon>{label}</Icon>
    </span>
  );
};
