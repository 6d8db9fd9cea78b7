import { useCallback, useEffect } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { useApi, useApiHolder } from '@backstage/core-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { TriageReport } from '@serving-health/plugin-serving-health-common';
import { kubernetesAuthProvidersApiRef, servingHealthApiRef } from '../api';
import { useReportChanged } from './useReportChanged';

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
  // Present where the portal has the Kubernetes frontend plugin: the user's cluster tokens come from it.
  const kubernetesAuth = useApiHolder().get(kubernetesAuthProvidersApiRef);
  const { kind, namespace, name } = entityRef;
  const [state, fetchReport] = useAsyncFn(
    (refresh: boolean) =>
      api.getReport(
        { kind, namespace, name },
        {
          refresh,
          clusterCredentials:
            kubernetesAuth && (p => kubernetesAuth.getCredentials(p)),
        },
      ),
    [api, kubernetesAuth, kind, namespace, name],
  );

  // Read again when the backend signals a change (a recorded transition, or a change of a watched cluster the
  // report was read from): an open tab follows the cluster without polling.
  const target = state.value?.target;
  const changed = useReportChanged(
    entityRef,
    [target?.cluster, target?.argocd?.cluster].filter((c): c is string =>
      Boolean(c),
    ),
  );
  useEffect(() => {
    fetchReport(false);
  }, [fetchReport, changed]);

  const rerun = useCallback(() => {
    fetchReport(true);
  }, [fetchReport]);

  // After navigating to another entity, the previous entity's report must not
  // show under the new header while the new one loads.
  const current = stringifyEntityRef({
    kind,
    namespace,
    name,
  }).toLocaleLowerCase('en-US');
  const report =
    state.value?.entityRef.toLocaleLowerCase('en-US') === current
      ? state.value
      : undefined;
  return {
    report,
    // Before the first call has started, nothing is there yet: that is loading too.
    loading: state.loading || (!report && !state.error),
    error: state.loading && !report ? undefined : state.error,
    rerun,
  };
}
