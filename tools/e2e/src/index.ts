/**
 * Browser tests of the Serving Health UI (src/portal.e2e.test.ts) and the
 * helpers they use to run the portal on the real testenv.
 */
export { launchChromium, chromiumPath } from './browser';
export {
  createPortal,
  guestToken,
  portalAppConfig,
  spawnBackend,
  spawnGuarded,
  waitBackendReady,
  waitFor,
} from './portal';
export type { Guarded, Portal } from './portal';
export { startStack, expectedEntities } from './stack';
export type { ExpectedEntity, Stack } from './stack';
