import { ReactNode } from 'react';
import {
  Box,
  Button,
  Chip,
  Grid,
  LinearProgress,
  makeStyles,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  InfoCard,
  Link,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import {
  FAILURE_MODES,
  FailureModeSummary,
  TRIAGE_STAGES,
  TriageReport,
} from '@serving-health/plugin-serving-health-common';
import { stageStatus, stageTitle } from '../../status';
import { CheckResultPanel } from '../CheckResultPanel';
import { CheckStatusLabel, OverallStatusLabel } from '../StatusLabel';

const useStyles = makeStyles(theme => ({
  headline: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(3),
  },
  overall: {
    fontSize: theme.typography.h5.fontSize,
  },
  stageHeader: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
  },
  checks: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  },
  mono: {
    fontFamily: 'monospace',
  },
}));

function formatTime(iso: string | undefined): string {
  if (!iso) {
    return 'unknown';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

const ReportSummary = (props: {
  report: TriageReport;
  loading?: boolean;
  onRerun?: () => void;
}) => {
  const { report, loading, onRerun } = props;
  const classes = useStyles();
  const { target } = report;
  const argocdBaseUrl = useApi(configApiRef)
    .getOptionalString('servingHealth.argocdBaseUrl')
    ?.replace(/\/+$/, '');
  // Keys are shown as written: product names keep their own spelling.
  const targetMetadata: Record<string, ReactNode> = { Cluster: target.cluster };
  if (target.inferenceService) {
    targetMetadata.InferenceService = `${target.inferenceService.namespace}/${target.inferenceService.name}`;
  }
  if (target.kubernetesId) {
    targetMetadata['backstage.io/kubernetes-id'] = target.kubernetesId;
  }
  if (target.argoApp) {
    const app = `${target.argoApp.namespace}/${target.argoApp.name}`;
    // Argo CD's UI addresses an Application by namespace and name (2.5+, also for apps in any namespace).
    targetMetadata['Argo CD Application'] = argocdBaseUrl ? (
      <Link
        to={`${argocdBaseUrl}/applications/${encodeURIComponent(
          target.argoApp.namespace,
        )}/${encodeURIComponent(target.argoApp.name)}`}
        data-testid="serving-health-argocd-link"
      >
        {app}
      </Link>
    ) : (
      app
    );
  }

  return (
    <InfoCard
      title="Serving Health"
      subheader={`Triage of ${report.entityRef}`}
      action={
        onRerun && (
          <Button
            variant="outlined"
            color="primary"
            startIcon={<RefreshIcon />}
            onClick={onRerun}
            disabled={loading}
            data-testid="serving-health-rerun"
            aria-label="Re-run triage"
          >
            Re-run
          </Button>
        )
      }
    >
      {loading && (
        <LinearProgress
          data-testid="serving-health-refreshing"
          aria-label="Re-running triage"
        />
      )}
      <Box className={classes.headline}>
        <Box className={classes.overall}>
          <OverallStatusLabel
            status={report.overall}
            testId="serving-health-overall"
          />
        </Box>
        {report.failingStage && (
          <Typography
            variant="body1"
            data-testid="serving-health-failing-stage"
            data-stage={report.failingStage}
          >
            Failing stage: <strong>{stageTitle(report.failingStage)}</strong>
          </Typography>
        )}
        <Typography variant="body2" color="textSecondary">
          Cluster snapshot:{' '}
          <time
            dateTime={report.snapshotTime ?? report.generatedAt}
            data-testid="serving-health-snapshot-time"
          >
            {formatTime(report.snapshotTime ?? report.generatedAt)}
          </time>
        </Typography>
        {report.sources && (
          // A row of its own: which cluster each kind of fact came from (hub and spoke).
          <Box width="100%">
            {report.sources.map(source => (
              <Typography
                key={source.cluster}
                variant="body2"
                color="textSecondary"
                data-testid="serving-health-source"
                data-cluster={source.cluster}
              >
                Read on cluster <strong>{source.cluster}</strong>: {source.facts}
              </Typography>
            ))}
          </Box>
        )}
      </Box>
      <Box mt={2}>
        <StructuredMetadataTable
          metadata={targetMetadata}
          dense
          options={{ titleFormat: key => key }}
        />
      </Box>
    </InfoCard>
  );
};

const FailureModeAlert = ({
  summary,
  report,
}: {
  summary: FailureModeSummary;
  report: TriageReport;
}) => {
  const classes = useStyles();
  const info = FAILURE_MODES[summary.id];
  const seenBy = summary.seenBy.map(
    id => report.checks.find(c => c.id === id)?.title ?? id,
  );
  return (
    <Alert
      severity="error"
      data-testid={`failure-mode-${summary.id}`}
      data-failure-mode={summary.id}
    >
      <AlertTitle>{info?.title ?? summary.title}</AlertTitle>
      {info && (
        <>
          <Typography variant="body2">{info.description}</Typography>
          <Typography variant="body2">
            What you see: <span className={classes.mono}>{info.symptom}</span>
          </Typography>
        </>
      )}
      {seenBy.length > 0 && (
        <Typography variant="body2">Seen by: {seenBy.join(', ')}</Typography>
      )}
    </Alert>
  );
};

export interface TriageReportViewProps {
  report: TriageReport;
  /** True while a re-run is in flight; the previous report stays visible. */
  loading?: boolean;
  onRerun?: () => void;
}

/** A triage report: the overall status, the failure modes, then the six stages in order. */
export const TriageReportView = ({
  report,
  loading,
  onRerun,
}: TriageReportViewProps) => {
  const classes = useStyles();
  return (
    <Grid
      container
      spacing={3}
      direction="column"
      data-testid="serving-health-report"
    >
      <Grid item>
        <ReportSummary report={report} loading={loading} onRerun={onRerun} />
      </Grid>
      {report.binding?.bound === false && (
        <Grid item>
          <Alert severity="info" data-testid="serving-health-unbound">
            <AlertTitle>
              Not shown: the target is not this entity's own
            </AlertTitle>
            {report.binding.detail} Label the InferenceService with
            backstage.io/kubernetes-id, or ask the platform team to give the
            namespace to this entity's owner (servingHealth.namespaceOwners).
          </Alert>
        </Grid>
      )}
      {report.failureModes.length > 0 && (
        <Grid item>
          <Box
            className={classes.checks}
            data-testid="serving-health-failure-modes"
            role="region"
            aria-label="Failure modes found"
          >
            {report.failureModes.map(summary => (
              <FailureModeAlert
                key={summary.id}
                summary={summary}
                report={report}
              />
            ))}
          </Box>
        </Grid>
      )}
      {TRIAGE_STAGES.map(stage => {
        const checks = report.checks.filter(c => c.stage === stage.id);
        const status = stageStatus(checks);
        const isFailingStage = report.failingStage === stage.id;
        const headingId = `stage-${stage.id}-title`;
        return (
          <Grid item key={stage.id}>
            <section
              data-testid={`stage-${stage.id}`}
              data-status={status}
              data-failing-stage={isFailingStage ? 'true' : undefined}
              aria-labelledby={headingId}
            >
              <InfoCard
                title={
                  <Box className={classes.stageHeader}>
                    <span id={headingId}>{stageTitle(stage.id)}</span>
                    <Typography variant="body2" component="span">
                      <CheckStatusLabel status={status} />
                    </Typography>
                    {isFailingStage && (
                      <Chip
                        size="small"
                        color="secondary"
                        label="Failing stage"
                      />
                    )}
                  </Box>
                }
              >
                <Box className={classes.checks}>
                  {checks.length === 0 && (
                    <Typography variant="body2" color="textSecondary">
                      No checks ran in this stage.
                    </Typography>
                  )}
                  {checks.map(check => (
                    <CheckResultPanel
                      key={`${report.entityRef}/${check.id}`}
                      check={check}
                      allChecks={report.checks}
                    />
                  ))}
                </Box>
              </InfoCard>
            </section>
          </Grid>
        );
      })}
    </Grid>
  );
};
