import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi, useApiHolder } from '@backstage/core-plugin-api';
import { kubernetesAuthProvidersApiRef, servingHealthApiRef } from '../api';

export function useFleetSummary() {
  const api = useApi(servingHealthApiRef);
  const kubernetesAuth = useApiHolder().get(kubernetesAuthProvidersApiRef);
  return useAsyncRetry(
    () =>
      api.getFleet({
        clusterCredentials:
          kubernetesAuth && (p => kubernetesAuth.getCredentials(p)),
      }),
    [api, kubernetesAuth],
  );
}
