export * from './types';
export { createClusterRegistry } from './createClusterRegistry';
