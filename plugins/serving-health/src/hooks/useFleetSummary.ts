import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { servingHealthApiRef } from '../api';

export function useFleetSummary() {
  const api = useApi(servingHealthApiRef);
  return useAsyncRetry(() => api.getFleet(), [api]);
}
