import { createApiRef } from '@backstage/core-plugin-api';

/**
 * The Backstage Kubernetes frontend plugin's auth providers API (`kubernetesAuthProvidersApiRef` of
 * `@backstage/plugin-kubernetes-react`), referred to by its id: where the portal has the Kubernetes plugin, the
 * user's cluster tokens come from the same sign-in it already uses, and this plugin does not depend on it.
 *
 * @public
 */
export interface KubernetesAuthProvidersApi {
  /** `authProvider` is `google`, `aks` or `oidc.<oidcTokenProvider>`. */
  getCredentials(authProvider: string): Promise<{ token?: string }>;
}

/** @public */
export const kubernetesAuthProvidersApiRef =
  createApiRef<KubernetesAuthProvidersApi>({
    id: 'plugin.kubernetes-auth-providers.service',
  });
