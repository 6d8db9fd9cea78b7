export * from './types';
export { createTriageService, isServingEntity } from './createTriageService';
