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
    const reason = `Cluster '${name}': servingHealth.clusters takes authProvider serviceAccount (or a kubeconfig), not '${authProvider}'; configure it under kubernetes.clusterLocatorMethods to read it through the Kubernetes plugin`;
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
 * The clusters of `servingHealth.clusters`, reached directly with their own credentials: a URL with a
 * service-account token, or a kubeconfig context. (The Kubernetes plugin's clusters are read through that
 * plugin: `createKubernetesPluginClusterSupplier`.)
 *
 * @public
 */
export function readClusterConnections(config: Config): ClusterConnection[] {
  const timeoutMs = config.getOptionalNumber('servingHealth.requestTimeoutMs');
  const byName = new Map<string, ClusterConnection>();
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
