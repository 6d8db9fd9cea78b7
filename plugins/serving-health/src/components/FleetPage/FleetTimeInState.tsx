import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Box, Typography } from '@material-ui/core';
import { InfoCard } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { EntityState } from '@serving-health/plugin-serving-health-common';
import { servingHealthApiRef } from '../../api';
import { useServingHealthLabels } from '../../hooks/useServingHealthLabels';
import { servingHealthTranslationRef } from '../../translation';
import { formatDuration } from '../../history';
import { OverallStatusLabel } from '../StatusLabel';

const WORST_FIRST: EntityState['overall'][] = [
  'failing',
  'degraded',
  'unknown',
];

/** Endpoints that are not healthy, worst first, then longest in their state, as the scheduled fleet triage recorded them. */
export const FleetTimeInState = () => {
  const api = useApi(servingHealthApiRef);
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const { failureModeTitle } = useServingHealthLabels();
  const { value } = useAsync(() => api.getFleetHistory(), [api]);
  if (!value) return null;
  const now = Date.now();
  const unhealthy: EntityState[] = value.states
    .filter(s => s.overall !== 'healthy')
    .sort(
      (a, b) =>
        WORST_FIRST.indexOf(a.overall) - WORST_FIRST.indexOf(b.overall) ||
        a.since.localeCompare(b.since),
    );
  return (
    <Box mb={2} data-testid="fleet-time-in-state">
      <InfoCard title={t('history.fleetTitle')}>
        {value.states.length === 0 ? (
          <Typography variant="body2">{t('history.fleetEmpty')}</Typography>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('history.entity')}</th>
                <th scope="col">{t('history.state')}</th>
                <th scope="col">{t('history.since')}</th>
              </tr>
            </thead>
            <tbody>
              {unhealthy.map(s => (
                <tr
                  key={s.entityRef}
                  data-testid={`fleet-state-${s.entityRef}`}
                  data-since={s.since}
                >
                  <td>
                    <EntityRefLink entityRef={s.entityRef} />
                  </td>
                  <td>
                    <OverallStatusLabel status={s.overall} />
                    {s.failureModes.length > 0 &&
                      ` (${s.failureModes.map(failureModeTitle).join(', ')})`}
                  </td>
                  <td>
                    {formatDuration(now - Date.parse(s.since))} (
                    {new Date(s.since).toLocaleString()})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </InfoCard>
    </Box>
  );
};
