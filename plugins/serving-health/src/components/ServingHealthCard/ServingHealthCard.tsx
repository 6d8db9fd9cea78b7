import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { servingHealthTranslationRef } from '../../translation';
import { Box, Chip, makeStyles, Typography } from '@material-ui/core';
import {
  InfoCard,
  InfoCardVariants,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { getCompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_INFERENCESERVICE,
  TriageReport,
} from '@serving-health/plugin-serving-health-common';
import { isServingHealthAvailable } from '../../conditions';
import { useServingHealthReport } from '../../hooks/useServingHealthReport';
import { useServingHealthTabLink } from '../../hooks/useServingHealthTabLink';
import { findingOf } from '../../finding';
import { ServingHealthHistory } from '../ServingHealthHistory';
import { OverallStatusLabel } from '../StatusLabel';
import { useServingHealthLabels } from '../../hooks/useServingHealthLabels';

const useStyles = makeStyles(theme => ({
  root: {
    height: '100%',
  },
  body: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1.5),
  },
  modes: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1.5),
  },
  mode: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: theme.spacing(0.5),
  },
}));

const CardBody = ({ report }: { report: TriageReport }) => {
  const { stageTitle, failureModeTitle } = useServingHealthLabels();
  const classes = useStyles();
  const { t } = useTranslationRef(servingHealthTranslationRef);
  return (
    <Box className={classes.body}>
      <Typography variant="h6" component="div">
        <OverallStatusLabel
          status={report.overall}
          testId="serving-health-card-overall"
        />
      </Typography>
      <ServingHealthHistory entityRef={parseEntityRef(report.entityRef)} />
      {report.failingStage && (
        <Typography
          variant="body2"
          data-testid="serving-health-card-failing-stage"
          data-stage={report.failingStage}
        >
          {t('common.failingStage')}:{' '}
          <strong>{stageTitle(report.failingStage)}</strong>
        </Typography>
      )}
      {report.failureModes.length > 0 ? (
        <Box
          className={classes.modes}
          role="list"
          aria-label={t('card.failureModes')}
        >
          {report.failureModes.map(mode => {
            const { sentence } = findingOf(report, mode);
            return (
              <Box key={mode.id} role="listitem" className={classes.mode}>
                <Chip
                  size="small"
                  variant="outlined"
                  label={failureModeTitle(mode.id)}
                  data-testid={`serving-health-card-failure-mode-${mode.id}`}
                />
                {/* The same one-sentence finding the tab leads with. */}
                {sentence && (
                  <Typography
                    variant="body2"
                    data-testid={`serving-health-card-finding-${mode.id}`}
                  >
                    {sentence}
                  </Typography>
                )}
              </Box>
            );
          })}
        </Box>
      ) : (
        <Typography variant="body2" color="textSecondary">
          {t('card.noFailureMode')}
        </Typography>
      )}
      <Typography variant="caption" color="textSecondary">
        {t('card.snapshot', {
          time: new Date(
            report.snapshotTime ?? report.generatedAt,
          ).toLocaleString(),
        })}
      </Typography>
    </Box>
  );
};

const CardReport = () => {
  const { entity } = useEntity();
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const { report, error } = useServingHealthReport(
    getCompoundEntityRef(entity),
  );
  if (error) {
    return <ResponseErrorPanel error={error} title={t('common.unavailable')} />;
  }
  if (!report) {
    return <Progress aria-label={t('common.loading')} />;
  }
  return <CardBody report={report} />;
};

/** @public */
export interface ServingHealthCardProps {
  variant?: InfoCardVariants;
}

/** Serving Health at a glance, for an entity's overview. */
export const ServingHealthCard = (props: ServingHealthCardProps) => {
  const classes = useStyles();
  const { entity } = useEntity();
  const tabLink = useServingHealthTabLink();
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const available = isServingHealthAvailable(entity);
  return (
    <div className={classes.root} data-testid="serving-health-card">
      <InfoCard
        title={t('common.title')}
        variant={props.variant}
        deepLink={
          available
            ? { title: t('card.openTriage'), link: tabLink(entity) }
            : undefined
        }
      >
        {available ? (
          <CardReport />
        ) : (
          <MissingAnnotationEmptyState
            annotation={ANNOTATION_INFERENCESERVICE}
          />
        )}
      </InfoCard>
    </div>
  );
};
