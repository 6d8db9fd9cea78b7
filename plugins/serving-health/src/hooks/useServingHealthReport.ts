import { useCallback, useEffect } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { useApi } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { TriageReport } from '@serving-health/plugin-serving-health-common';
import { servingHealthApiRef } from '../api';

export interface ServingHealthReportState {
  report?: TriageReport;
  loading: boolean;
  error?: Error;
  /** Ask the backend for a fresh report (bypassing its cache and snapshot TTL). */
  rerun: () => void;
}

/** The entity's triage report; the previous report stays visible while a re-run loads. */
export function useServingHealthReport(
  entityRef: CompoundEntityRef,
): ServingHealthReportState {
  const api = useApi(servingHealthApiRef);
  const { kind, namespace, name } = entityRef;
  const [state, fetchReport] = useAsyncFn(
    (refresh: boolean) => api.getReport({ kind, namespace, name }, { refresh }),
    [api, kind, namespace, name],
  );

  useEffect(() => {
    fetchReport(false);
  }, [fetchReport]);

  const rerun = useCallback(() => {
    fetchReport(true);
  }, [fetchReport]);

  return {
    report: state.value,
    // Before the first call has started, nothing is there yet: that is loading too.
    loading: state.loading || (!state.value && !state.error),
    error: state.error,
    rerun,
  };
}
