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
import { TriageReportView } from '../TriageReportView';

const ServingHealthReport = () => {
  const { entity } = useEntity();
  const tabLink = useEntityTabLink();
  const { report, loading, error, rerun } = useServingHealthReport(
    getCompoundEntityRef(entity),
  );

  if (error) {
    return (
      <Box data-testid="serving-health-error">
        <ResponseErrorPanel
          error={error}
          title="Serving Health report unavailable"
        />
        <Box mt={2}>
          <Button
            variant="outlined"
            color="primary"
            startIcon={<RefreshIcon />}
            onClick={rerun}
            disabled={loading}
            data-testid="serving-health-rerun"
            aria-label="Re-run triage"
          >
            Re-run
          </Button>
        </Box>
      </Box>
    );
  }
  if (!report) {
    return (
      <Box data-testid="serving-health-loading">
        <Progress aria-label="Loading Serving Health report" />
      </Box>
    );
  }
  return (
    <TriageReportView
      report={report}
      loading={loading}
      onRerun={rerun}
      kubernetesTabLink={
        hasKubernetesTab(entity) ? tabLink(entity, 'kubernetes') : undefined
      }
    />
  );
};

/** Asks the permission framework first: a denied read is said as such, not shown as a failed request. */
const PermittedReport = () => {
  const { entity } = useEntity();
  const { loading, allowed } = usePermission({
    permission: servingHealthReportReadPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  if (loading) {
    return (
      <Box data-testid="serving-health-permission-loading">
        <Progress aria-label="Checking permission" />
      </Box>
    );
  }
  if (!allowed) {
    return (
      <Box data-testid="serving-health-not-permitted">
        <WarningPanel
          severity="info"
          title="You may not read the Serving Health report of this entity"
          message="The permission servingHealth.report.read is not granted to you for this entity. Ask the platform team that runs this portal."
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
