import { Box, makeStyles, Typography } from '@material-ui/core';
import { InfoCard, Link } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { servingHealthTranslationRef } from '../../translation';
import { ClusterProblems } from './fleetRows';
import { useServingHealthLabels } from '../../hooks/useServingHealthLabels';

const useStyles = makeStyles(theme => ({
  clusters: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(360px, 1fr))',
    gap: theme.spacing(2),
  },
  list: {
    margin: 0,
    paddingLeft: theme.spacing(2),
  },
  item: {
    marginBottom: theme.spacing(0.5),
  },
}));

/**
 * Each cluster's failure modes with the endpoints they break, worst first. Every count links to the table
 * filtered to those endpoints (a URL, so it can be shared).
 */
export const FleetProblems = ({ groups }: { groups: ClusterProblems[] }) => {
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const { failureModeTitle } = useServingHealthLabels();
  const classes = useStyles();
  const filterLink = (cluster: string, failureMode: string, status: string) =>
    `?${new URLSearchParams({ cluster, failureMode, status })}`;
  return (
    <Box mb={2} data-testid="fleet-problems">
      <InfoCard
        title={t('fleet.problemsTitle')}
        subheader={t('fleet.problemsSubheader')}
      >
        {groups.length === 0 ? (
          <Typography variant="body2" data-testid="fleet-problems-empty">
            {t('fleet.noProblems')}
          </Typography>
        ) : (
          <Box className={classes.clusters}>
            {groups.map(({ cluster, problems }) => (
              <Box key={cluster} data-testid={`fleet-problems-${cluster}`}>
                <Typography variant="subtitle2" component="h3">
                  {cluster}
                </Typography>
                <ul className={classes.list}>
                  {problems.map(p => (
                    <li
                      key={p.failureMode}
                      className={classes.item}
                      data-failure-mode={p.failureMode}
                    >
                      <Typography variant="body2" component="span">
                        {failureModeTitle(p.failureMode)} (
                        <code>{p.failureMode}</code>):{' '}
                      </Typography>
                      {p.failing > 0 && (
                        <Link
                          // Told apart from the text by more than colour (WCAG 1.4.1).
                          underline="always"
                          to={filterLink(cluster, p.failureMode, 'failing')}
                          data-testid={`fleet-problem-${cluster}-${p.failureMode}-failing`}
                          data-count={p.failing}
                        >
                          {t('fleet.breaks', { count: p.failing })}
                        </Link>
                      )}
                      {p.failing > 0 && p.degraded > 0 && ', '}
                      {p.degraded > 0 && (
                        <Link
                          underline="always"
                          to={filterLink(cluster, p.failureMode, 'degraded')}
                          data-testid={`fleet-problem-${cluster}-${p.failureMode}-degraded`}
                          data-count={p.degraded}
                        >
                          {t('fleet.degrades', { count: p.degraded })}
                        </Link>
                      )}
                    </li>
                  ))}
                </ul>
              </Box>
            ))}
          </Box>
        )}
      </InfoCard>
    </Box>
  );
};
