import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ClusterConnection,
  KubernetesClient,
} from '@serving-health/plugin-serving-health-kube';

/**
 * A caller's own cluster credentials, as the Backstage Kubernetes plugin's frontend sends them: lower-case
 * header name (`backstage-kubernetes-authorization-<authProvider>[-<oidcTokenProvider>]`) to value.
 *
 * @public
 */
export type KubernetesCallerAuth = Record<string, string>;

/**
 * One cluster Serving Health can triage.
 *
 * @public
 */
export interface ServingHealthCluster {
  name: string;
  /**
   * Whose identity reads the cluster. `server`: the plugin's own (a service account, a cloud identity); what
   * it reads is shared by every caller. `user`: the caller's own (OIDC); what it reads is never served to
   * anyone else.
   */
  authScope: 'server' | 'user';
  /**
   * For `user` clusters: the Kubernetes plugin's auth provider whose token the caller must send (the
   * frontend gets it from the Kubernetes plugin's auth providers API).
   */
  userAuth?: {
    authProvider: string;
    oidcTokenProvider?: string;
    header: string;
  };
  /**
   * How to reach the cluster; for `user` clusters, as the given caller, with the cluster credentials their
   * request carried (`callerAuth`).
   */
  connection(
    caller?: BackstageCredentials,
    callerAuth?: KubernetesCallerAuth,
  ): ClusterConnection;
}

/**
 * Where the clusters come from (in the style of the Kubernetes backend's cluster suppliers).
 *
 * @public
 */
export interface ServingHealthClusterSupplier {
  getClusters(): Promise<ServingHealthCluster[]>;
}

/**
 * The configured clusters and a client for each; credentials never leave it.
 *
 * @public
 */
export interface ServingHealthClusterClients {
  /** Reads the cluster list again when it is older than its TTL (located clusters come and go). */
  refresh(): Promise<void>;
  /** Why the last cluster list is incomplete, when a supplier failed. */
  problem(): string | undefined;
  names(): string[];
  cluster(name: string): ServingHealthCluster | undefined;
  /**
   * The client of a cluster: one per cluster for `server` clusters, a new one per call for `user` clusters.
   * Undefined for an unknown cluster name.
   */
  client(
    name: string,
    caller?: BackstageCredentials,
    callerAuth?: KubernetesCallerAuth,
  ): KubernetesClient | undefined;
}
