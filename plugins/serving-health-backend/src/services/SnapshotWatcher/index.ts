export { createSnapshotWatcher } from './createSnapshotWatcher';
