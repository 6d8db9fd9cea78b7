export { ServingHealthClient } from './ServingHealthClient';
export { servingHealthApiRef } from './types';
export type {
  CallerClusterAuth,
  GetReportOptions,
  ServingHealthApi,
} from './types';
export { kubernetesAuthProvidersApiRef } from './kubernetesAuthProviders';
export type { KubernetesAuthProvidersApi } from './kubernetesAuthProviders';
