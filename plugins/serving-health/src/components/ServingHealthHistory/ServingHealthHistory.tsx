import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Box, makeStyles, Typography } from '@material-ui/core';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  EntityState,
  OverallStatus,
} from '@serving-health/plugin-serving-health-common';
import { servingHealthTranslationRef } from '../../translation';
import { useServingHealthHistory } from '../../hooks/useServingHealthHistory';
import { formatDuration, historySegments } from '../../history';

const useStyles = makeStyles(theme => ({
  strip: {
    display: 'flex',
    height: theme.spacing(1.5),
    borderRadius: theme.shape.borderRadius,
    overflow: 'hidden',
    border: `1px solid ${theme.palette.divider}`,
  },
  healthy: { background: theme.palette.success.main },
  degraded: { background: theme.palette.warning.main },
  failing: { background: theme.palette.error.main },
  unknown: { background: theme.palette.grey[500] },
}));

/** "Failing since 2h 5m (2026-11-30 10:10 UTC)", or the time in any other state. */
export const StateSince = (props: { state: EntityState; now?: Date }) => {
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const now = props.now ?? new Date();
  const duration = formatDuration(
    now.getTime() - Date.parse(props.state.since),
  );
  const values = {
    duration,
    time: new Date(props.state.since).toLocaleString(),
    status: t(`status.overall.${props.state.overall}`),
  };
  return (
    <Typography
      variant="body2"
      data-testid="serving-health-since"
      data-status={props.state.overall}
      data-since={props.state.since}
    >
      {props.state.overall === 'failing'
        ? t('history.failingSince', values)
        : t('history.inStateSince', values)}
    </Typography>
  );
};

/** The entity's states over time, as the scheduled fleet triage recorded them, and since when it is in its state. */
export const ServingHealthHistory = (props: {
  entityRef: CompoundEntityRef;
  /** The card shows only "failing since"; the tab adds the strip. */
  strip?: boolean;
}) => {
  const classes = useStyles();
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const { value } = useServingHealthHistory(props.entityRef);
  if (!value?.state) return null;
  const now = new Date();
  const segments = props.strip ? historySegments(value.transitions, now) : [];
  const label = (status: OverallStatus, from: string, to?: string) =>
    t('history.segment', {
      status: t(`status.overall.${status}`),
      from: new Date(from).toLocaleString(),
      to: to ? new Date(to).toLocaleString() : t('history.now'),
    });
  return (
    <Box data-testid="serving-health-history">
      <StateSince state={value.state} now={now} />
      {segments.length > 0 && (
        <Box
          mt={1}
          className={classes.strip}
          role="list"
          aria-label={t('history.stripLabel')}
          data-testid="serving-health-history-strip"
        >
          {segments.map(s => (
            <Box
              key={s.from}
              role="listitem"
              className={classes[s.status]}
              style={{ flexGrow: s.share, minWidth: 4 }}
              title={label(s.status, s.from, s.to)}
              aria-label={label(s.status, s.from, s.to)}
              data-status={s.status}
            />
          ))}
        </Box>
      )}
    </Box>
  );
};
