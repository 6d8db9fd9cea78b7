import fs from 'node:fs';
import path from 'node:path';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { parse } from 'yaml';
import { ClusterConnection } from './types';

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
    throw new InputError(
      `Cluster '${name}': authProvider '${authProvider}' is not supported by serving-health; use serviceAccount with serviceAccountToken`,
    );
  }
  const caData = c.getOptionalString('caData');
  const caFile = c.getOptionalString('caFile');
  let ca: string | undefined;
  if (caData) ca = decodeCa(caData);
  else if (caFile) ca = fs.readFileSync(caFile, 'utf8');
  return {
    name,
    url: c.getString('url'),
    token: c.getOptionalString('serviceAccountToken'),
    caData: ca,
    skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
    timeoutMs,
  };
}

/**
 * The clusters of Backstage's Kubernetes plugin (`kubernetes.clusterLocatorMethods`
 * of type `config`), with `servingHealth.clusters` adding or overriding by name.
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
          ...loadKubeconfig(kubeconfig, c.getOptionalString('context')),
          name: c.getString('name'),
          timeoutMs,
        }
      : readClusterEntry(c, timeoutMs);
    byName.set(conn.name, conn);
  }
  return [...byName.values()];
}

function readMaybeFile(
  dir: string,
  data: string | undefined,
  file: string | undefined,
): string | undefined {
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  if (file) return fs.readFileSync(path.resolve(dir, file), 'utf8');
  return undefined;
}

/** A kubeconfig context as a connection (token or client-certificate users). */
export function loadKubeconfig(
  file: string,
  contextName?: string,
): ClusterConnection {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`Cannot read kubeconfig ${file}: ${(e as Error).message}`);
  }
  let doc: any;
  try {
    doc = parse(text);
  } catch (e) {
    throw new InputError(`Kubeconfig ${file} is not valid YAML: ${(e as Error).message}`);
  }
  const ctxName = contextName ?? doc?.['current-context'];
  if (!ctxName) {
    throw new InputError(`Kubeconfig ${file} has no current-context; pass --context`);
  }
  const ctx = (doc.contexts ?? []).find((c: any) => c.name === ctxName)?.context;
  if (!ctx) throw new InputError(`Kubeconfig ${file} has no context '${ctxName}'`);
  const cluster = (doc.clusters ?? []).find((c: any) => c.name === ctx.cluster)
    ?.cluster;
  if (!cluster?.server) {
    throw new InputError(`Kubeconfig ${file}: context '${ctxName}' names no cluster with a server`);
  }
  const user = (doc.users ?? []).find((u: any) => u.name === ctx.user)?.user ?? {};
  if (user.exec || user['auth-provider']) {
    throw new InputError(
      `Kubeconfig ${file}: user '${ctx.user}' uses an exec or auth-provider plugin, which serving-health does not run; use a token or client certificate`,
    );
  }
  const dir = path.dirname(path.resolve(file));
  const token =
    user.token ??
    (user.tokenFile
      ? fs.readFileSync(path.resolve(dir, user.tokenFile), 'utf8').trim()
      : undefined);
  return {
    name: ctx.cluster,
    url: cluster.server,
    token,
    caData: readMaybeFile(
      dir,
      cluster['certificate-authority-data'],
      cluster['certificate-authority'],
    ),
    clientCertData: readMaybeFile(
      dir,
      user['client-certificate-data'],
      user['client-certificate'],
    ),
    clientKeyData: readMaybeFile(dir, user['client-key-data'], user['client-key']),
    skipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
  };
}
