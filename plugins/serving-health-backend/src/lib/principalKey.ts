import { BackstageCredentials } from '@backstage/backend-plugin-api';

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
