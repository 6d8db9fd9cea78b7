import { useEffect } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { useApi } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { servingHealthApiRef } from '../api';
import { useReportChanged } from './useReportChanged';

/** The entity's recorded state and transitions, re-read when the backend signals a change. */
export function useServingHealthHistory(entityRef: CompoundEntityRef) {
  const api = useApi(servingHealthApiRef);
  const { kind, namespace, name } = entityRef;
  const changed = useReportChanged(entityRef);
  const [state, fetchHistory] = useAsyncFn(
    () => api.getHistory({ kind, namespace, name }),
    [api, kind, namespace, name],
  );
  useEffect(() => {
    fetchHistory();
  }, [fetchHistory, changed]);
  return state;
}
