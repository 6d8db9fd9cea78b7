import { useCallback } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi, useApiHolder } from '@backstage/core-plugin-api';
import { FleetEntry } from '@serving-health/plugin-serving-health-common';
import { kubernetesAuthProvidersApiRef, servingHealthApiRef } from '../api';
import {
  FetchSummaries,
  servingHealthSummaries,
} from '../api/createSummaryLoader';

/** Fetches summaries as the signed-in user, with their cluster tokens where the portal has them. */
export function useFetchSummaries(): FetchSummaries {
  const api = useApi(servingHealthApiRef);
  const kubernetesAuth = useApiHolder().get(kubernetesAuthProvidersApiRef);
  return useCallback(
    refs =>
      api.getSummaries(refs, {
        clusterCredentials:
          kubernetesAuth && (p => kubernetesAuth.getCredentials(p)),
      }),
    [api, kubernetesAuth],
  );
}

/** One entity's summary; the cells of one table render share one request. */
export function useEntitySummary(entityRef: string | undefined) {
  const fetchSummaries = useFetchSummaries();
  return useAsync(
    async (): Promise<FleetEntry | undefined> =>
      entityRef
        ? servingHealthSummaries.load(entityRef, fetchSummaries)
        : undefined,
    [entityRef, fetchSummaries],
  );
}
