import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { staticCredentials } from '../credentials/staticCredentials';
import { ClusterConnection } from '../client/types';
import { errorMessage } from '../errorMessage';

/**
 * A kubeconfig that cannot be used, with the reason.
 *
 * @public
 */
export class KubeconfigError extends Error {
  name = 'KubeconfigError';
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

/**
 * A kubeconfig context as a connection (token or client-certificate users).
 *
 * @public
 */
export function loadKubeconfig(
  file: string,
  contextName?: string,
): ClusterConnection {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new KubeconfigError(`Cannot read kubeconfig ${file}: ${errorMessage(e)}`);
  }
  let doc: any;
  try {
    doc = parse(text);
  } catch (e) {
    throw new KubeconfigError(`Kubeconfig ${file} is not valid YAML: ${errorMessage(e)}`);
  }
  const ctxName = contextName ?? doc?.['current-context'];
  if (!ctxName) {
    throw new KubeconfigError(`Kubeconfig ${file} has no current-context; pass --context`);
  }
  const ctx = (doc.contexts ?? []).find((c: any) => c.name === ctxName)?.context;
  if (!ctx) throw new KubeconfigError(`Kubeconfig ${file} has no context '${ctxName}'`);
  const cluster = (doc.clusters ?? []).find((c: any) => c.name === ctx.cluster)
    ?.cluster;
  if (!cluster?.server) {
    throw new KubeconfigError(`Kubeconfig ${file}: context '${ctxName}' names no cluster with a server`);
  }
  const user = (doc.users ?? []).find((u: any) => u.name === ctx.user)?.user ?? {};
  if (user.exec || user['auth-provider']) {
    throw new KubeconfigError(
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
    credentials: staticCredentials({
      token,
      clientCertData: readMaybeFile(
        dir,
        user['client-certificate-data'],
        user['client-certificate'],
      ),
      clientKeyData: readMaybeFile(dir, user['client-key-data'], user['client-key']),
    }),
    caData: readMaybeFile(
      dir,
      cluster['certificate-authority-data'],
      cluster['certificate-authority'],
    ),
    skipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
  };
}
