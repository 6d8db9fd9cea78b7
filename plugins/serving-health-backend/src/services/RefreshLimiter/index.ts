export type { RefreshLimiter } from './createRefreshLimiter';
export { createRefreshLimiter } from './createRefreshLimiter';
