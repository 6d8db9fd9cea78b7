import { useEffect, useState } from 'react';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApiHolder } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  servingHealthClusterChannel,
  servingHealthReportChannel,
} from '@serving-health/plugin-serving-health-common';

/**
 * The backend's last signal that this entity's report may have changed (null before one arrives, or without
 * the signals plugin): a recorded transition of the entity, or a change of a watched cluster its report was read
 * from. Open tabs re-read on it instead of polling.
 */
export function useReportChanged(
  entityRef: CompoundEntityRef,
  clusters: string[] = [],
): unknown {
  const signals = useApiHolder().get(signalApiRef);
  const [last, setLast] = useState<unknown>(null);
  // One string, so that a new array with the same clusters does not subscribe again.
  const channels = [
    servingHealthReportChannel(stringifyEntityRef(entityRef)),
    ...clusters.map(servingHealthClusterChannel),
  ].join('\n');
  useEffect(() => {
    if (!signals) return undefined;
    const subscriptions = channels
      .split('\n')
      .map(channel =>
        signals.subscribe(channel, message => setLast({ channel, message })),
      );
    return () => subscriptions.forEach(s => s.unsubscribe());
  }, [signals, channels]);
  return last;
}
