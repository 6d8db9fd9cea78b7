import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useSignal } from '@backstage/plugin-signals-react';
import { servingHealthReportChannel } from '@serving-health/plugin-serving-health-common';

/**
 * The backend's last "this entity's report changed" signal (null before one arrives, or without the signals
 * plugin): open tabs re-read on it instead of polling.
 */
export function useReportChanged(entityRef: CompoundEntityRef) {
  return useSignal(servingHealthReportChannel(stringifyEntityRef(entityRef)))
    .lastSignal;
}
