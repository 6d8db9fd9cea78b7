import { CredentialProvider, KubeCredentials } from '../client/types';

/**
 * Credentials that never change (a configured service-account token, an inline client certificate).
 *
 * @public
 */
export function staticCredentials(credentials: KubeCredentials): CredentialProvider {
  const frozen = Object.freeze({ ...credentials });
  return async () => frozen;
}
