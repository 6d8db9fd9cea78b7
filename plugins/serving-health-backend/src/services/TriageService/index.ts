export * from './types';
export { createTriageService } from './createTriageService';
