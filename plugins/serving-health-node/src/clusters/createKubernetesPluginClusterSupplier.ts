import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { ServingHealthCluster, ServingHealthClusterSupplier } from './types';

/**
 * Auth providers of the Kubernetes plugin that sign in as the user who asks (their strategies read the
 * caller's token from the request); every other provider uses the portal's own identity.
 */
const USER_AUTH_PROVIDERS = new Set(['oidc', 'google', 'aks']);

/**
 * The Kubernetes plugin's proxy headers (`KubernetesProxy` in `@backstage/plugin-kubernetes-backend`).
 *
 * @public
 */
export const KUBERNETES_CLUSTER_HEADER = 'Backstage-Kubernetes-Cluster';
const KUBERNETES_AUTH_HEADER_PREFIX = 'backstage-kubernetes-authorization-';
/** Sent as the cluster's Authorization as is, instead of the cluster's auth strategy. */
const KUBERNETES_AUTH_OVERRIDE_HEADER = 'Backstage-Kubernetes-Authorization';

interface ListedCluster {
  name: string;
  authProvider?: string;
  oidcTokenProvider?: string;
}

/**
 * The header a caller's cluster token travels in, as the Kubernetes plugin names it:
 * `Backstage-Kubernetes-Authorization-<authProvider>[-<oidcTokenProvider>]`.
 *
 * @public
 */
export function callerAuthHeader(cluster: {
  authProvider?: string;
  oidcTokenProvider?: string;
}): string {
  const suffix =
    cluster.authProvider === 'oidc' && cluster.oidcTokenProvider
      ? `oidc-${cluster.oidcTokenProvider}`
      : cluster.authProvider ?? '';
  return `${KUBERNETES_AUTH_HEADER_PREFIX}${suffix}`.toLowerCase();
}

/**
 * The clusters of the Backstage Kubernetes plugin installed in the same portal, read through its proxy
 * (`/api/kubernetes/proxy`): whatever locates them (config, catalog, gke, localKubectlProxy) and whatever signs
 * in to them (serviceAccount, aws, azure, googleServiceAccount, oidc, google, aks) is the Kubernetes plugin's own
 * code, configured once under `kubernetes`. Clusters of a portal-wide identity are read with this plugin's
 * service credentials; clusters of user sign-in (oidc, google, aks) on behalf of the caller, with the caller's
 * cluster token, so the Kubernetes plugin's `kubernetes.proxy` permission is the caller's.
 *
 * @public
 */
export function createKubernetesPluginClusterSupplier(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  /** Per-request timeout of the reads through the proxy. */
  timeoutMs?: number;
}): ServingHealthClusterSupplier {
  const { discovery, auth, timeoutMs } = options;

  async function tokenFor(caller?: BackstageCredentials): Promise<string> {
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: caller ?? (await auth.getOwnServiceCredentials()),
      targetPluginId: 'kubernetes',
    });
    return token;
  }

  return {
    async getClusters() {
      const base = await discovery.getBaseUrl('kubernetes');
      let listed: ListedCluster[];
      try {
        const res = await fetch(`${base}/clusters`, {
          headers: { Authorization: `Bearer ${await tokenFor()}` },
          signal: AbortSignal.timeout(timeoutMs ?? 10_000),
        });
        if (!res.ok) {
          throw new Error(
            `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`,
          );
        }
        listed =
          ((await res.json()) as { items?: ListedCluster[] }).items ?? [];
      } catch (e) {
        throw new Error(
          `The Kubernetes plugin's cluster list (${base}/clusters) could not be read: ${
            (e as Error).message
          }`,
        );
      }
      return listed.map((c): ServingHealthCluster => {
        const userScoped = USER_AUTH_PROVIDERS.has(c.authProvider ?? '');
        const authHeader = callerAuthHeader(c);
        return {
          name: c.name,
          authScope: userScoped ? 'user' : 'server',
          ...(userScoped
            ? {
                userAuth: {
                  authProvider: c.authProvider!,
                  ...(c.oidcTokenProvider
                    ? { oidcTokenProvider: c.oidcTokenProvider }
                    : {}),
                  header: authHeader,
                },
              }
            : {}),
          connection: (caller, callerAuth) => ({
            name: c.name,
            url: `${base}/proxy`,
            allowPlainHttp: base.startsWith('http:'),
            timeoutMs,
            actAs(identity) {
              return {
                ...this,
                actAs: undefined,
                credentials: async () => {
                  const { token } = await identity();
                  if (!token)
                    throw new NotAllowedError(
                      `The identity for cluster '${c.name}' has no token`,
                    );
                  return {
                    token: await tokenFor(),
                    headers: {
                      [KUBERNETES_CLUSTER_HEADER]: c.name,
                      [KUBERNETES_AUTH_OVERRIDE_HEADER]: `Bearer ${token}`,
                    },
                  };
                },
              };
            },
            credentials: async () => {
              const headers: Record<string, string> = {
                [KUBERNETES_CLUSTER_HEADER]: c.name,
              };
              if (!userScoped) return { token: await tokenFor(), headers };
              const userToken = callerAuth?.[authHeader];
              const principal = caller?.principal as
                | { type?: string }
                | undefined;
              if (!caller || principal?.type !== 'user' || !userToken) {
                throw new NotAllowedError(
                  `Cluster '${c.name}' is read with the signed-in user's own ${
                    c.oidcTokenProvider
                      ? `${c.authProvider} (${c.oidcTokenProvider})`
                      : c.authProvider
                  } credentials, and this request carried none (header ${authHeader})`,
                );
              }
              return {
                token: await tokenFor(caller),
                headers: { ...headers, [authHeader]: userToken },
              };
            },
          }),
        };
      });
    },
  };
}
