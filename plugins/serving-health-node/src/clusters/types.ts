import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ClusterConnection, KubernetesClient } from '@serving-health/plugin-serving-health-kube';

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
  /** How to reach the cluster; for `user` clusters, as the given caller. */
  connection(caller?: BackstageCredentials): ClusterConnection;
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
  names(): string[];
  cluster(name: string): ServingHealthCluster | undefined;
  /**
   * The client of a cluster: one per cluster for `server` clusters, a new one per call for `user` clusters.
   * Undefined for an unknown cluster name.
   */
  client(name: string, caller?: BackstageCredentials): KubernetesClient | undefined;
}
