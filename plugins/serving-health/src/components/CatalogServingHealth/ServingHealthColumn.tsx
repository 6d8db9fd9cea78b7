import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Link, TableColumn } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Box, makeStyles, Typography } from '@material-ui/core';
import {
  FleetEntry,
  isServingHealthEntity,
} from '@serving-health/plugin-serving-health-common';
import { servingHealthSummaries } from '../../api/createSummaryLoader';
import { useEntitySummary } from '../../hooks/useEntitySummaries';
import { useServingHealthTabLink } from '../../hooks/useServingHealthTabLink';
import { OVERALL_SEVERITY } from '../../status';
import { servingHealthTranslationRef } from '../../translation';
import { FailureModeChips } from '../FailureModeChips';
import { OverallStatusLabel } from '../StatusLabel';

const useStyles = makeStyles(theme => ({
  cell: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
}));

/** An entry's status and failure modes, linking to its tab. */
export const SummaryBadges = ({ entry }: { entry: FleetEntry }) => {
  const classes = useStyles();
  const tabLink = useServingHealthTabLink();
  return (
    <Box className={classes.cell}>
      <Link to={tabLink(entry.entityRef)}>
        <OverallStatusLabel status={entry.overall} />
      </Link>
      <FailureModeChips ids={entry.failureModes} wrap />
    </Box>
  );
};

const ServingHealthCell = ({ entity }: { entity: Entity }) => {
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const serving = isServingHealthEntity(entity);
  const { value, loading, error } = useEntitySummary(
    serving ? stringifyEntityRef(entity) : undefined,
  );
  if (!serving) return null;
  if (loading) {
    return (
      <Typography variant="body2" data-testid="serving-health-cell-loading">
        {t('catalog.loading')}
      </Typography>
    );
  }
  if (error) {
    return (
      <Typography variant="body2" data-testid="serving-health-cell-error">
        {t('catalog.unavailable', { message: error.message })}
      </Typography>
    );
  }
  // No entry: a report the user may not read.
  if (!value) return null;
  return (
    <span data-testid="serving-health-cell" data-status={value.overall}>
      <SummaryBadges entry={value} />
    </span>
  );
};

const ColumnTitle = () => {
  const { t } = useTranslationRef(servingHealthTranslationRef);
  return <>{t('catalog.columnTitle')}</>;
};

/** Worst first when sorted descending; entities with no summary (yet) below every endpoint. */
function rank(entity: Entity): number[] {
  const entry = servingHealthSummaries.peek(stringifyEntityRef(entity));
  return entry
    ? [OVERALL_SEVERITY[entry.overall] ?? 0, entry.failureModes.length]
    : [-1, 0];
}

/**
 * The catalog table's "Serving health" column: status and failure modes of each model endpoint on the page.
 * The cells of one page are fetched in one request (POST /summaries), not one per row.
 *
 * @public
 */
export function createServingHealthColumn<
  T extends { entity: Entity },
>(): TableColumn<T> {
  return {
    title: <ColumnTitle />,
    field: 'servingHealth',
    // Wide enough for a status and a failure mode title on two lines, not so wide that names are squeezed.
    cellStyle: { minWidth: 180, maxWidth: 260 },
    render: row => <ServingHealthCell entity={row.entity} />,
    customSort: (a, b) => {
      const [sa, ma] = rank(a.entity);
      const [sb, mb] = rank(b.entity);
      return sa - sb || ma - mb;
    },
  };
}
