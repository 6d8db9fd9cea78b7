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
  EntityServingHealthEndpointsCard,
} from './plugin';
export {
  createServingHealthColumn,
  servingHealthCatalogColumns,
  EntityServingHealthPicker,
  ServingHealthFilter,
} from './components/CatalogServingHealth';
export type {
  ServingHealthEntityFilters,
  ServingHealthSelection,
} from './components/CatalogServingHealth';
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
