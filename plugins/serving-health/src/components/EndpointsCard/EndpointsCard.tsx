import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { catalogApiRef, useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import {
  FleetEntry,
  isServingHealthEntity,
} from '@serving-health/plugin-serving-health-common';
import { servingHealthSummaries } from '../../api/createSummaryLoader';
import { useFetchSummaries } from '../../hooks/useEntitySummaries';
import { useServingHealthTabLink } from '../../hooks/useServingHealthTabLink';
import { servingHealthTranslationRef } from '../../translation';
import { FailureModeChips } from '../FailureModeChips';
import { OverallStatusLabel } from '../StatusLabel';
import { endpointsQueryOf, worstFirst } from './endpointRows';
import { useServingHealthLabels } from '../../hooks/useServingHealthLabels';

/** The model endpoints of the page's group (owned) or system, with their serving health, worst first. */
function useEndpointSummaries() {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const fetchSummaries = useFetchSummaries();
  return useAsync(async (): Promise<FleetEntry[]> => {
    const filter = endpointsQueryOf(entity);
    if (!filter) return [];
    // Read as the user: the catalog returns only the entities they may read.
    const { items } = await catalogApi.getEntities({
      filter,
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.annotations',
        'spec.type',
      ],
    });
    const refs = items
      .filter(isServingHealthEntity)
      .map(e => stringifyEntityRef(e));
    // Asked together, so they go in one request; a report the user may not read has no entry.
    const entries = await Promise.all(
      refs.map(ref => servingHealthSummaries.load(ref, fetchSummaries)),
    );
    return worstFirst(entries.filter((e): e is FleetEntry => Boolean(e)));
  }, [entity, catalogApi, fetchSummaries]);
}

/** The Serving Health of a group's or a system's model endpoints. */
export const EndpointsCard = () => {
  const { stageTitle } = useServingHealthLabels();
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const tabLink = useServingHealthTabLink();
  const { value, loading, error } = useEndpointSummaries();

  let content;
  if (loading) {
    content = <Progress />;
  } else if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!value?.length) {
    content = (
      <Typography variant="body2">{t('endpointsCard.none')}</Typography>
    );
  } else {
    content = (
      <Table size="small" aria-label={t('endpointsCard.title')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('endpointsCard.endpoint')}</TableCell>
            <TableCell>{t('endpointsCard.status')}</TableCell>
            <TableCell>{t('endpointsCard.failingStage')}</TableCell>
            <TableCell>{t('endpointsCard.failureModes')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {value.map(entry => (
            <TableRow
              key={entry.entityRef}
              data-testid="serving-health-endpoint-row"
              data-entity-ref={entry.entityRef}
              data-status={entry.overall}
            >
              <TableCell>
                <Link to={tabLink(entry.entityRef)}>
                  {entry.title ?? entry.entityRef}
                </Link>
              </TableCell>
              <TableCell>
                <OverallStatusLabel status={entry.overall} />
              </TableCell>
              <TableCell>{stageTitle(entry.failingStage) ?? '—'}</TableCell>
              <TableCell>
                <FailureModeChips ids={entry.failureModes} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
  }

  return (
    <InfoCard
      title={t('endpointsCard.title')}
      subheader={t('endpointsCard.subheader')}
      variant="gridItem"
    >
      <Box data-testid="serving-health-endpoints-card">{content}</Box>
    </InfoCard>
  );
};
