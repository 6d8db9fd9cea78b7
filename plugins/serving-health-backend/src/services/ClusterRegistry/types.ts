import { KubernetesClient } from '@serving-health/plugin-serving-health-node';

/** The configured clusters and one client each; tokens never leave it. */
export interface ClusterRegistry {
  names(): string[];
  /** Undefined for an unknown cluster name. */
  client(name: string): KubernetesClient | undefined;
}
