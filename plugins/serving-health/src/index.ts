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
export {
  ServingHealthClient,
  servingHealthApiRef,
  kubernetesAuthProvidersApiRef,
} from './api';
export type {
  CallerClusterAuth,
  GetReportOptions,
  KubernetesAuthProvidersApi,
  ServingHealthApi,
} from './api';
export type { ServingHealthCardProps } from './components/ServingHealthCard';
export * from './scaffolder';
