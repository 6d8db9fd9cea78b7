import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ServingHealthClusterClients } from '@serving-health/plugin-serving-health-node';

/** Who is asking, as a cache scope: what is read with a caller's own credentials stays theirs. */
export function principalKey(caller?: BackstageCredentials): string {
  const p = caller?.principal as
    | { type: 'user'; userEntityRef: string }
    | { type: 'service'; subject: string }
    | { type: 'none' }
    | undefined;
  if (p?.type === 'user') return `user:${p.userEntityRef}`;
  if (p?.type === 'service') return `service:${p.subject}`;
  return 'none';
}

/**
 * Who may share what was read from a cluster: everyone (`shared`) when it was read with the plugin's own
 * credentials, only the caller when it was read with theirs.
 */
export function readScope(
  clusters: ServingHealthClusterClients,
  cluster: string,
  caller?: BackstageCredentials,
): string {
  return clusters.cluster(cluster)?.authScope === 'user'
    ? principalKey(caller)
    : 'shared';
}
