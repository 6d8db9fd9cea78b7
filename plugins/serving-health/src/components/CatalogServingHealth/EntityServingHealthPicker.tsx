import { useEffect, useMemo, useState } from 'react';
import { useApi, useApiHolder } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  catalogApiRef,
  DefaultEntityFilters,
  useEntityList,
} from '@backstage/plugin-catalog-react';
import { Box, makeStyles, Typography } from '@material-ui/core';
import {
  FAILURE_MODE_IDS,
  FailureModeId,
  OverallStatus,
} from '@serving-health/plugin-serving-health-common';
import { kubernetesAuthProvidersApiRef, servingHealthApiRef } from '../../api';
import { servingHealthSummaries } from '../../api/createSummaryLoader';
import { OVERALL_STATUSES } from '../../status';
import { servingHealthTranslationRef } from '../../translation';
import { FilterSelect } from '../FilterSelect';
import {
  matchesSelection,
  selectionFromQuery,
  ServingHealthFilter,
  ServingHealthSelection,
} from './servingHealthFilter';
import { useServingHealthLabels } from '../../hooks/useServingHealthLabels';

/**
 * The catalog's filters with this one.
 *
 * @public
 */
export type ServingHealthEntityFilters = DefaultEntityFilters & {
  servingHealth?: ServingHealthFilter;
};

const useStyles = makeStyles(theme => ({
  select: { width: '100%', marginTop: theme.spacing(1.5) },
  // The theme's secondary text on a white field is below WCAG AA contrast for small labels.
  label: { color: theme.palette.text.primary },
}));

/**
 * The catalog sidebar filter "Serving health": by status and by failure mode. It reads the fleet summary once
 * per selection (the entities the user may read, with reports the user may read) and composes with the
 * catalog's other filters.
 *
 * @public
 */
export const EntityServingHealthPicker = () => {
  const { failureModeTitle } = useServingHealthLabels();
  const classes = useStyles();
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const api = useApi(servingHealthApiRef);
  const catalogApi = useApi(catalogApiRef);
  const kubernetesAuth = useApiHolder().get(kubernetesAuthProvidersApiRef);
  const {
    updateFilters,
    queryParameters: { servingHealth: queried },
  } = useEntityList<ServingHealthEntityFilters>();
  const initial = useMemo(() => selectionFromQuery(queried), [queried]);
  const [selection, setSelection] = useState<ServingHealthSelection>(initial);

  useEffect(() => {
    if (!selection.status && !selection.failureMode) {
      updateFilters({ servingHealth: undefined });
      return undefined;
    }
    let current = true;
    (async () => {
      const { entries } = await api.getFleet({
        clusterCredentials:
          kubernetesAuth && (p => kubernetesAuth.getCredentials(p)),
      });
      servingHealthSummaries.prime(entries);
      const matching = entries
        .filter(e => matchesSelection(e, selection))
        .map(e => e.entityRef);
      const { items } = matching.length
        ? await catalogApi.getEntitiesByRefs({
            entityRefs: matching,
            fields: ['metadata.uid'],
          })
        : { items: [] };
      const uids = items.flatMap(e =>
        e?.metadata.uid ? [e.metadata.uid] : [],
      );
      if (current) {
        updateFilters({
          servingHealth: new ServingHealthFilter(selection, matching, uids),
        });
      }
    })().catch(() => {
      // The table then shows every entity; the column says per row why a summary is missing.
      if (current) updateFilters({ servingHealth: undefined });
    });
    return () => {
      current = false;
    };
  }, [api, catalogApi, kubernetesAuth, selection, updateFilters]);

  return (
    <Box pb={1} pt={1} data-testid="serving-health-picker">
      <Typography variant="button" component="div">
        {t('catalog.filterTitle')}
      </Typography>
      <FilterSelect
        className={classes.select}
        labelClassName={classes.label}
        label={t('catalog.statusLabel')}
        testId="serving-health-filter-status"
        value={selection.status ?? ''}
        onChange={v =>
          setSelection(s => ({
            ...s,
            status: (v || undefined) as OverallStatus | undefined,
          }))
        }
        all={t('catalog.any')}
        options={OVERALL_STATUSES.map(s => ({
          value: s,
          label: t(`status.overall.${s}`),
        }))}
      />
      <FilterSelect
        className={classes.select}
        labelClassName={classes.label}
        label={t('catalog.failureModeLabel')}
        testId="serving-health-filter-failure-mode"
        value={selection.failureMode ?? ''}
        onChange={v =>
          setSelection(s => ({
            ...s,
            failureMode: (v || undefined) as FailureModeId | undefined,
          }))
        }
        all={t('catalog.any')}
        options={FAILURE_MODE_IDS.map(id => ({
          value: id,
          label: failureModeTitle(id),
        }))}
      />
    </Box>
  );
};
