import { SignalsService } from '@backstage/plugin-signals-node';
import {
  HistoryTransition,
  servingHealthClusterChannel,
  servingHealthReportChannel,
} from '@serving-health/plugin-serving-health-common';

export interface ReportSignals {
  /** Tells open tabs of the entity that its report changed (a recorded transition). */
  reportChanged(transition: HistoryTransition): Promise<void>;
  /**
   * Tells open tabs that a watched cluster's objects changed: their next read may give another report. At most
   * one signal per cluster per `throttleMs`, the last change included.
   */
  clusterChanged(cluster: string): void;
}

export function createReportSignals(options: {
  signals: SignalsService;
  /** The least time between two cluster signals of one cluster. */
  throttleMs: number;
  onError?: (error: unknown) => void;
}): ReportSignals {
  const pending = new Map<string, NodeJS.Timeout>();
  const publishCluster = (cluster: string) =>
    options.signals
      .publish({
        recipients: { type: 'broadcast' },
        channel: servingHealthClusterChannel(cluster),
        message: { cluster, at: new Date().toISOString() },
      })
      .catch(e => options.onError?.(e));
  return {
    async reportChanged(transition) {
      // Broadcast carries no status: a tab learns only that it should re-read, through the permission-checked route.
      await options.signals.publish({
        recipients: { type: 'broadcast' },
        channel: servingHealthReportChannel(transition.entityRef),
        message: { entityRef: transition.entityRef, at: transition.at },
      });
    },
    clusterChanged(cluster) {
      // A busy cluster changes many times a second; tabs need to know once its objects have settled a little.
      if (pending.has(cluster)) return;
      const timer = setTimeout(() => {
        pending.delete(cluster);
        void publishCluster(cluster);
      }, options.throttleMs);
      timer.unref();
      pending.set(cluster, timer);
    },
  };
}
