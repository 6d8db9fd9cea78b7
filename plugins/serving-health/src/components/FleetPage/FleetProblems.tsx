import { Box, makeStyles, Typography } from '@material-ui/core';
import { InfoCard, Link } from '@backstage/core-components';
import { FAILURE_MODES } from '@serving-health/plugin-serving-health-common';
import { ClusterProblems } from './fleetRows';

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

const endpoints = (n: number) => `${n} endpoint${n === 1 ? '' : 's'}`;

/**
 * Each cluster's failure modes with the endpoints they break, worst first. Every count links to the table
 * filtered to those endpoints (a URL, so it can be shared).
 */
export const FleetProblems = ({ groups }: { groups: ClusterProblems[] }) => {
  const classes = useStyles();
  const filterLink = (cluster: string, failureMode: string, status: string) =>
    `?${new URLSearchParams({ cluster, failureMode, status })}`;
  return (
    <Box mb={2} data-testid="fleet-problems">
      <InfoCard
        title="Problems by cause"
        subheader="Per cluster, each failure mode and the endpoints it breaks (failing) or degrades. Select a count to list those endpoints."
      >
        {groups.length === 0 ? (
          <Typography variant="body2" data-testid="fleet-problems-empty">
            No endpoint is failing or degraded.
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
                        {FAILURE_MODES[p.failureMode]?.title ?? p.failureMode} (
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
                          breaks {endpoints(p.failing)}
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
                          degrades {endpoints(p.degraded)}
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
