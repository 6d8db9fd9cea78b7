import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { servingHealthTranslationRef } from '../../translation';
import { Box, Button } from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_INFERENCESERVICE,
  servingHealthReportReadPermission,
} from '@serving-health/plugin-serving-health-common';
import { hasKubernetesTab, isServingHealthAvailable } from '../../conditions';
import { useEntityTabLink } from '../../hooks/useServingHealthTabLink';
import { useServingHealthReport } from '../../hooks/useServingHealthReport';
import { ServingHealthHistory } from '../ServingHealthHistory';
import { TriageReportView } from '../TriageReportView';

const ServingHealthReport = () => {
  const { entity } = useEntity();
  const tabLink = useEntityTabLink();
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const { report, loading, error, rerun } = useServingHealthReport(
    getCompoundEntityRef(entity),
  );

  if (error) {
    return (
      <Box data-testid="serving-health-error">
        <ResponseErrorPanel error={error} title={t('common.unavailable')} />
        <Box mt={2}>
          <Button
            variant="outlined"
            color="primary"
            startIcon={<RefreshIcon />}
            onClick={rerun}
            disabled={loading}
            data-testid="serving-health-rerun"
            aria-label={t('common.rerunLabel')}
          >
            {t('common.rerun')}
          </Button>
        </Box>
      </Box>
    );
  }
  if (!report) {
    return (
      <Box data-testid="serving-health-loading">
        <Progress aria-label={t('common.loading')} />
      </Box>
    );
  }
  return (
    <>
      <Box mb={2}>
        <ServingHealthHistory entityRef={getCompoundEntityRef(entity)} strip />
      </Box>
      <TriageReportView
        report={report}
        loading={loading}
        onRerun={rerun}
        kubernetesTabLink={
          hasKubernetesTab(entity) ? tabLink(entity, 'kubernetes') : undefined
        }
      />
    </>
  );
};

/** Asks the permission framework first: a denied read is said as such, not shown as a failed request. */
const PermittedReport = () => {
  const { entity } = useEntity();
  const { loading, allowed } = usePermission({
    permission: servingHealthReportReadPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  const { t } = useTranslationRef(servingHealthTranslationRef);
  if (loading) {
    return (
      <Box data-testid="serving-health-permission-loading">
        <Progress aria-label={t('content.checkingPermission')} />
      </Box>
    );
  }
  if (!allowed) {
    return (
      <Box data-testid="serving-health-not-permitted">
        <WarningPanel
          severity="info"
          title={t('content.notPermittedTitle')}
          message={t('content.notPermittedMessage')}
        />
      </Box>
    );
  }
  return <ServingHealthReport />;
};

/** The Serving Health tab of an entity page. */
export const ServingHealthContent = () => {
  const { entity } = useEntity();
  if (!isServingHealthAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState annotation={ANNOTATION_INFERENCESERVICE} />
    );
  }
  return <PermittedReport />;
};
