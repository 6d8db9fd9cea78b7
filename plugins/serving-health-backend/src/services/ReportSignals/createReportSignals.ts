import { SignalsService } from '@backstage/plugin-signals-node';
import {
  HistoryTransition,
  servingHealthReportChannel,
} from '@serving-health/plugin-serving-health-common';

export interface ReportSignals {
  /** Tells open tabs of the entity that its report changed. */
  reportChanged(transition: HistoryTransition): Promise<void>;
}

export function createReportSignals(options: {
  signals: SignalsService;
}): ReportSignals {
  return {
    async reportChanged(transition) {
      // Broadcast carries no status: a tab learns only that it should re-read, through the permission-checked route.
      await options.signals.publish({
        recipients: { type: 'broadcast' },
        channel: servingHealthReportChannel(transition.entityRef),
        message: { entityRef: transition.entityRef, at: transition.at },
      });
    },
  };
}
