import { Box, Button } from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { ANNOTATION_INFERENCESERVICE } from '@serving-health/plugin-serving-health-common';
import { isServingHealthAvailable } from '../../conditions';
import { useServingHealthReport } from '../../hooks/useServingHealthReport';
import { TriageReportView } from '../TriageReportView';

const ServingHealthReport = () => {
  const { entity } = useEntity();
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
  return <TriageReportView report={report} loading={loading} onRerun={rerun} />;
};

/** The Serving Health tab of an entity page. */
export const ServingHealthContent = () => {
  const { entity } = useEntity();
  if (!isServingHealthAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState annotation={ANNOTATION_INFERENCESERVICE} />
    );
  }
  return <ServingHealthReport />;
};
