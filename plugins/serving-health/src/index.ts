/**
 * Serving Health: triage of KServe model endpoints in Backstage.
 *
 * @packageDocumentation
 */
export {
  servingHealthPlugin,
  EntityServingHealthContent,
  EntityServingHealthCard,
  ServingHealthPage,
} from './plugin';
export { isServingHealthAvailable } from './conditions';
export { ServingHealthClient, servingHealthApiRef } from './api';
export type { GetReportOptions, ServingHealthApi } from './api';
export type { ServingHealthCardProps } from './components/ServingHealthCard';
export * from './scaffolder';
