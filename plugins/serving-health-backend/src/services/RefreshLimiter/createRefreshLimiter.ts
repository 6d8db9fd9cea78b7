import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { principalKey } from '../../lib/principalKey';

/** Decides whether a `?refresh=true` may read the cluster again or gets the report at hand. */
export interface RefreshLimiter {
  allow(entityRef: string, caller: BackstageCredentials): boolean;
}

/**
 * One refresh per entity per interval (a burst of them shares the report at hand), and at most
 * `perUserLimit` refreshes per user per interval across entities: one user clicking through the fleet with
 * refresh cannot make the backend re-read every cluster.
 */
export function createRefreshLimiter(options: {
  intervalMs: number;
  perUserLimit: number;
  now?: () => number;
}): RefreshLimiter {
  const now = options.now ?? Date.now;
  const lastByEntity = new Map<string, number>();
  const recentByUser = new Map<string, number[]>();
  return {
    allow(entityRef, caller) {
      const t = now();
      const since = t - options.intervalMs;
      const last = lastByEntity.get(entityRef);
      if (last !== undefined && last > since) return false;
      const user = principalKey(caller);
      const recent = (recentByUser.get(user) ?? []).filter(x => x > since);
      if (recent.length >= options.perUserLimit) {
        recentByUser.set(user, recent);
        return false;
      }
      recent.push(t);
      recentByUser.set(user, recent);
      lastByEntity.set(entityRef, t);
      // Old entries are dropped as they pass, so the maps stay as large as one interval's callers.
      for (const [k, v] of lastByEntity) if (v <= since) lastByEntity.delete(k);
      return true;
    },
  };
}
