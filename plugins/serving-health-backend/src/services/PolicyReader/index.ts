export { createPolicyReader } from './createPolicyReader';
export type { PolicyReader } from './createPolicyReader';
