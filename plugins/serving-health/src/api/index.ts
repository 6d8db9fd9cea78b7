export { ServingHealthClient } from './ServingHealthClient';
export { servingHealthApiRef } from './types';
export type { GetReportOptions, ServingHealthApi } from './types';
