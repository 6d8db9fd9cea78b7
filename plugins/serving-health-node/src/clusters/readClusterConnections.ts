import fs from 'node:fs';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  ClusterConnection,
  KubeconfigError,
  loadKubeconfig,
  staticCredentials,
} from '@serving-health/plugin-serving-health-kube';

function decodeCa(caData: string): string {
  // Backstage's kubernetes config takes caData base64-encoded; accept PEM too.
  return caData.includes('-----BEGIN')
    ? caData
    : Buffer.from(caData, 'base64').toString('utf8');
}

function readClusterEntry(c: Config, timeoutMs?: number): ClusterConnection {
  const name = c.getString('name');
  const authProvider = c.getOptionalString('authProvider') ?? 'serviceAccount';
  if (authProvider !== 'serviceAccount') {
    // A cluster this plugin cannot use must not stop the backend: its reads fail, naming why.
    const reason = `Cluster '${name}': authProvider '${authProvider}' is not supported by serving-health; use serviceAccount with serviceAccountToken`;
    return {
      name,
      url: c.getOptionalString('url') ?? 'https://unsupported.invalid',
      credentials: async () => {
        throw new InputError(reason);
      },
      timeoutMs,
    };
  }
  const caData = c.getOptionalString('caData');
  const caFile = c.getOptionalString('caFile');
  let ca: string | undefined;
  if (caData) ca = decodeCa(caData);
  else if (caFile) ca = fs.readFileSync(caFile, 'utf8');
  return {
    name,
    url: c.getString('url'),
    credentials: staticCredentials({
      token: c.getOptionalString('serviceAccountToken'),
    }),
    caData: ca,
    skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
    timeoutMs,
  };
}

function readKubeconfig(file: string, context?: string): ClusterConnection {
  try {
    return loadKubeconfig(file, context);
  } catch (e) {
    if (e instanceof KubeconfigError) throw new InputError(e.message);
    throw e;
  }
}

/**
 * The clusters of Backstage's Kubernetes plugin (`kubernetes.clusterLocatorMethods`
 * of type `config`), with `servingHealth.clusters` adding or overriding by name.
 *
 * @public
 */
export function readClusterConnections(config: Config): ClusterConnection[] {
  const timeoutMs = config.getOptionalNumber('servingHealth.requestTimeoutMs');
  const byName = new Map<string, ClusterConnection>();
  for (const method of config.getOptionalConfigArray(
    'kubernetes.clusterLocatorMethods',
  ) ?? []) {
    if (method.getString('type') !== 'config') continue;
    for (const c of method.getOptionalConfigArray('clusters') ?? []) {
      const conn = readClusterEntry(c, timeoutMs);
      byName.set(conn.name, conn);
    }
  }
  for (const c of config.getOptionalConfigArray('servingHealth.clusters') ??
    []) {
    const kubeconfig = c.getOptionalString('kubeconfig');
    const conn = kubeconfig
      ? {
          ...readKubeconfig(kubeconfig, c.getOptionalString('context')),
          name: c.getString('name'),
          timeoutMs,
        }
      : readClusterEntry(c, timeoutMs);
    byName.set(conn.name, conn);
  }
  return [...byName.values()];
}
