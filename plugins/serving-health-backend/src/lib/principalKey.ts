import { createHash } from 'node:crypto';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  KubernetesCallerAuth,
  ServingHealthClusterClients,
} from '@serving-health/plugin-serving-health-node';

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
 * credentials, only the caller when it was read with theirs -- and only with the same cluster credentials,
 * so a read made before the caller signed in to the cluster is not served after (a digest, never the token).
 */
export function readScope(
  clusters: ServingHealthClusterClients,
  cluster: string,
  caller?: BackstageCredentials,
  callerAuth?: KubernetesCallerAuth,
): string {
  if (clusters.cluster(cluster)?.authScope !== 'user') return 'shared';
  const sent = Object.entries(callerAuth ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const digest = createHash('sha256').update(JSON.stringify(sent)).digest('hex').slice(0, 16);
  return `${principalKey(caller)}:${digest}`;
}
