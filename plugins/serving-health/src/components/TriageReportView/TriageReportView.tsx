import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { servingHealthTranslationRef } from '../../translation';
import { ReactNode } from 'react';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Box,
  Button,
  Chip,
  Grid,
  LinearProgress,
  Link as MuiLink,
  makeStyles,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import RefreshIcon from '@material-ui/icons/Refresh';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import {
  CopyTextButton,
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
import { stageStatus } from '../../status';
import { findingOf } from '../../finding';
import {
  checkAnchor,
  CheckResultPanel,
  evidenceAnchor,
} from '../CheckResultPanel';
import { CheckStatusLabel, OverallStatusLabel } from '../StatusLabel';
import { useServingHealthLabels } from '../../hooks/useServingHealthLabels';

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
    overflowWrap: 'anywhere',
  },
  findings: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
  },
  alertMessage: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    width: '100%',
  },
  fixSteps: {
    margin: 0,
    paddingLeft: theme.spacing(3),
  },
  command: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    '& > code': {
      flex: 1,
      padding: theme.spacing(1),
      background: theme.palette.background.default,
      borderRadius: theme.shape.borderRadius,
    },
  },
  about: {
    '& > summary': { cursor: 'pointer' },
  },
}));

/** Stages whose checks need reading start open. */
const OPEN_STATUSES = ['fail', 'error', 'warn'];

function formatTime(iso: string | undefined, unknown: string): string {
  if (!iso) {
    return unknown;
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** One failure mode of this entity: what was found, on which objects, and the commands that fix it. */
const FindingAlert = ({
  summary,
  report,
}: {
  summary: FailureModeSummary;
  report: TriageReport;
}) => {
  const classes = useStyles();
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const { failureModeTitle } = useServingHealthLabels();
  const info = FAILURE_MODES[summary.id];
  const title = info ? failureModeTitle(summary.id) : summary.title;
  const { check, sentence, commands } = findingOf(report, summary);
  const seenBy = summary.seenBy.map(
    id => report.checks.find(c => c.id === id)?.title ?? id,
  );
  return (
    <Alert
      severity="error"
      data-testid={`failure-mode-${summary.id}`}
      data-failure-mode={summary.id}
      classes={{ message: classes.alertMessage }}
    >
      <AlertTitle>{title}</AlertTitle>
      {sentence && (
        <Typography variant="body1" data-testid={`finding-${summary.id}`}>
          {sentence}
        </Typography>
      )}
      {commands.length > 0 && (
        <ol
          className={classes.fixSteps}
          aria-label={t('report.howToFix', {
            mode: title,
          })}
        >
          {commands.map(({ text, command }, i) => (
            <li key={i}>
              <Typography variant="body2">{text}</Typography>
              <Box className={classes.command}>
                <code className={classes.mono} data-testid="finding-command">
                  {command}
                </code>
                <CopyTextButton
                  text={command}
                  aria-label={t('report.copyCommand', { step: text })}
                />
              </Box>
            </li>
          ))}
        </ol>
      )}
      {check && (
        <Typography variant="body2">
          <MuiLink
            href={`#${
              check.evidence.length > 0
                ? evidenceAnchor(check.id)
                : checkAnchor(check.id)
            }`}
            data-testid={`finding-${summary.id}-evidence-link`}
          >
            {t('report.evidenceLink', { check: check.title })}
          </MuiLink>
        </Typography>
      )}
      {info && (
        <details className={classes.about}>
          <summary>{t('report.aboutMode')}</summary>
          <Typography variant="body2">{info.description}</Typography>
          <Typography variant="body2">
            {t('report.whatYouSee')}{' '}
            <span className={classes.mono}>{info.symptom}</span>
          </Typography>
          {seenBy.length > 0 && (
            <Typography variant="body2">
              {t('report.seenBy', { checks: seenBy.join(', ') })}
            </Typography>
          )}
        </details>
      )}
    </Alert>
  );
};

const ReportSummary = (props: {
  report: TriageReport;
  loading?: boolean;
  onRerun?: () => void;
  kubernetesTabLink?: string;
}) => {
  const { report, loading, onRerun, kubernetesTabLink } = props;
  const { stageTitle } = useServingHealthLabels();
  const classes = useStyles();
  const { t } = useTranslationRef(servingHealthTranslationRef);
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
      title={t('common.title')}
      subheader={t('report.subheader', { entityRef: report.entityRef })}
      action={
        onRerun && (
          <Button
            variant="outlined"
            color="primary"
            startIcon={<RefreshIcon />}
            onClick={onRerun}
            disabled={loading}
            data-testid="serving-health-rerun"
            aria-label={t('common.rerunLabel')}
          >
            {t('common.rerun')}
          </Button>
        )
      }
    >
      {loading && (
        <LinearProgress
          data-testid="serving-health-refreshing"
          aria-label={t('common.rerunning')}
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
            {t('common.failingStage')}:{' '}
            <strong>{stageTitle(report.failingStage)}</strong>
          </Typography>
        )}
        <Typography variant="body2" color="textSecondary">
          {t('report.snapshot')}{' '}
          <time
            dateTime={report.snapshotTime ?? report.generatedAt}
            data-testid="serving-health-snapshot-time"
          >
            {formatTime(
              report.snapshotTime ?? report.generatedAt,
              t('report.unknownTime'),
            )}
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
                {t('report.readOnCluster')} <strong>{source.cluster}</strong>:{' '}
                {source.facts}
              </Typography>
            ))}
          </Box>
        )}
        {kubernetesTabLink && (
          <Typography variant="body2">
            <Link
              to={kubernetesTabLink}
              data-testid="serving-health-kubernetes-link"
            >
              {t('report.kubernetesLink')}
            </Link>
          </Typography>
        )}
      </Box>
      {report.failureModes.length > 0 && (
        <Box
          mt={2}
          className={classes.findings}
          data-testid="serving-health-failure-modes"
          role="region"
          aria-label={t('report.findingsRegion')}
        >
          {report.failureModes.map(summary => (
            <FindingAlert key={summary.id} summary={summary} report={report} />
          ))}
        </Box>
      )}
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

export interface TriageReportViewProps {
  report: TriageReport;
  /** True while a re-run is in flight; the previous report stays visible. */
  loading?: boolean;
  onRerun?: () => void;
  /** The entity's Kubernetes tab, when the Kubernetes plugin can find its objects. */
  kubernetesTabLink?: string;
}

/** A triage report: the overall status and each failure mode's finding and fix first, then the six stages in order. */
export const TriageReportView = ({
  report,
  loading,
  onRerun,
  kubernetesTabLink,
}: TriageReportViewProps) => {
  const classes = useStyles();
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const { stageTitle } = useServingHealthLabels();
  return (
    <Grid
      container
      spacing={3}
      direction="column"
      data-testid="serving-health-report"
    >
      <Grid item>
        <ReportSummary
          report={report}
          loading={loading}
          onRerun={onRerun}
          kubernetesTabLink={kubernetesTabLink}
        />
      </Grid>
      {report.binding?.bound === false && (
        <Grid item>
          <Alert severity="info" data-testid="serving-health-unbound">
            <AlertTitle>{t('report.unboundTitle')}</AlertTitle>
            {report.binding.detail} {t('report.unboundHint')}
          </Alert>
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
              {/* Passed and skipped stages start closed: what is wrong fits on the first screen. */}
              <Accordion
                defaultExpanded={OPEN_STATUSES.includes(status)}
                TransitionProps={{ unmountOnExit: false }}
              >
                <AccordionSummary
                  expandIcon={<ExpandMoreIcon />}
                  aria-controls={`stage-${stage.id}-details`}
                  id={`stage-${stage.id}-summary`}
                >
                  <Box className={classes.stageHeader}>
                    <Typography variant="h6" component="span" id={headingId}>
                      {stageTitle(stage.id)}
                    </Typography>
                    <Typography variant="body2" component="span">
                      <CheckStatusLabel status={status} />
                    </Typography>
                    {isFailingStage && (
                      <Chip
                        size="small"
                        variant="outlined"
                        label={t('common.failingStage')}
                      />
                    )}
                    <Typography
                      variant="body2"
                      component="span"
                      color="textSecondary"
                    >
                      {t('report.checkCount', { count: checks.length })}
                    </Typography>
                  </Box>
                </AccordionSummary>
                <AccordionDetails id={`stage-${stage.id}-details`}>
                  <Box className={classes.checks} width="100%">
                    {checks.length === 0 && (
                      <Typography variant="body2" color="textSecondary">
                        {t('report.noChecks')}
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
                </AccordionDetails>
              </Accordion>
            </section>
          </Grid>
        );
      })}
    </Grid>
  );
};
