export * from './types';
export { createSnapshotCache } from './createSnapshotCache';
