export { createSnapshotCache } from './createSnapshotCache';
