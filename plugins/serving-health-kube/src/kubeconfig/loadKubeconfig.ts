import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { ClusterConnection, CredentialProvider, KubeCredentials } from '../client/types';
import { errorMessage } from '../errorMessage';

/**
 * A kubeconfig that cannot be used, with the reason.
 *
 * @public
 */
export class KubeconfigError extends Error {
  name = 'KubeconfigError';
}

/**
 * The files kubectl reads when it is given none: the list in `$KUBECONFIG` (merged, the first file to define
 * a name wins), else `~/.kube/config`.
 *
 * @public
 */
export function defaultKubeconfigFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const listed = (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  // $HOME first, as kubectl looks for it; the account's home directory when it is unset.
  return listed.length ? listed : [path.join(env.HOME || os.homedir(), '.kube', 'config')];
}

interface LoadedFile {
  file: string;
  config: KubeConfig;
  /** `user.tokenFile` by user name, absolute: KubeConfig reads only `token-file`, once, at load. */
  tokenFiles: Map<string, string>;
}

function readFile(file: string): LoadedFile {
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
  if (doc !== null && (typeof doc !== 'object' || Array.isArray(doc))) {
    throw new KubeconfigError(`Kubeconfig ${file} is not a kubeconfig (a YAML mapping with clusters, users and contexts)`);
  }
  const dir = path.dirname(path.resolve(file));
  const config = new KubeConfig();
  try {
    config.loadFromString(text);
  } catch (e) {
    throw new KubeconfigError(`Kubeconfig ${file}: ${errorMessage(e)}`);
  }
  // Relative paths in a kubeconfig are relative to the file, as kubectl reads them.
  config.makePathsAbsolute(dir);
  for (const user of config.users) {
    const command = user.exec?.command;
    if (typeof command === 'string' && command.includes('/') && !path.isAbsolute(command)) {
      user.exec.command = path.resolve(dir, command);
    }
  }
  const tokenFiles = new Map<string, string>();
  for (const entry of Array.isArray(doc?.users) ? doc.users : []) {
    const tokenFile = entry?.user?.tokenFile;
    if (typeof entry?.name === 'string' && typeof tokenFile === 'string' && tokenFile) {
      tokenFiles.set(entry.name, path.resolve(dir, tokenFile));
    }
  }
  return { file, config, tokenFiles };
}

/** kubectl's merge of several files: the first file that defines a name, or a current-context, wins. */
function merge(files: LoadedFile[]): LoadedFile {
  if (files.length === 1) return files[0];
  const firstByName = <T extends { name: string }>(lists: T[][]) => {
    const byName = new Map<string, T>();
    for (const item of lists.flat()) if (!byName.has(item.name)) byName.set(item.name, item);
    return [...byName.values()];
  };
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: firstByName<Cluster>(files.map(f => f.config.clusters)),
    users: firstByName<User>(files.map(f => f.config.users)),
    contexts: firstByName<Context>(files.map(f => f.config.contexts)),
    currentContext: files.map(f => f.config.currentContext).find(Boolean),
  });
  const tokenFiles = new Map<string, string>();
  for (const f of files) {
    for (const [user, file] of f.tokenFiles) if (!tokenFiles.has(user)) tokenFiles.set(user, file);
  }
  return { file: files.map(f => f.file).join(path.delimiter), config, tokenFiles };
}

function asString(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
}

/**
 * Credentials as kubectl would send them, asked again for every request: an exec plugin's credential is
 * reused until its expirationTimestamp (KubeConfig caches it), auth-provider entries refresh themselves, a
 * token file is read again so a rotated token is used at once, certificate files are read again too.
 * Concurrent requests share one answer, so a parallel round of reads runs an exec plugin once.
 */
function credentialsOf(config: KubeConfig, tokenFile: string | undefined): CredentialProvider {
  let inFlight: Promise<KubeCredentials> | undefined;
  const ask = async (): Promise<KubeCredentials> => {
    const options: https.RequestOptions = { headers: {} };
    await config.applyToHTTPSOptions(options);
    const authorization = asString((options.headers as Record<string, unknown>)?.Authorization);
    let token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
    if (tokenFile) {
      // A projected ServiceAccount token is rewritten in place; reading a file this small on every request
      // costs less than any change detection that could miss a rewrite within the same mtime tick.
      try {
        token = (await fs.promises.readFile(tokenFile, 'utf8')).trim();
      } catch (e) {
        throw new Error(`cannot read tokenFile ${tokenFile}: ${errorMessage(e)}`);
      }
    }
    return { token, clientCertData: asString(options.cert), clientKeyData: asString(options.key) };
  };
  return () => {
    inFlight ??= ask().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

/**
 * A kubeconfig context as a connection, read through `@kubernetes/client-node`'s KubeConfig: tokens, token
 * files, client certificates, exec credential plugins, auth-provider entries and `proxy-url`. Without a file
 * it reads what kubectl reads ({@link defaultKubeconfigFiles}); without a context, the current one.
 *
 * @public
 */
export function loadKubeconfig(
  file?: string,
  contextName?: string,
): ClusterConnection {
  const candidates = file ? [file] : defaultKubeconfigFiles();
  // kubectl skips the files of $KUBECONFIG that do not exist; a file named explicitly must exist.
  const existing = file ? candidates : candidates.filter(f => fs.existsSync(f));
  if (existing.length === 0) {
    throw new KubeconfigError(
      `No kubeconfig: none given, and ${
        process.env.KUBECONFIG ? `no file of $KUBECONFIG (${candidates.join(path.delimiter)})` : candidates[0]
      } does not exist`,
    );
  }
  const { file: where, config, tokenFiles } = merge(existing.map(readFile));
  const ctxName = contextName ?? config.getCurrentContext();
  if (!ctxName) {
    throw new KubeconfigError(`Kubeconfig ${where} has no current-context; pass --context`);
  }
  const ctx = config.getContextObject(ctxName);
  if (!ctx) throw new KubeconfigError(`Kubeconfig ${where} has no context '${ctxName}'`);
  config.setCurrentContext(ctxName);
  const cluster = config.getCluster(ctx.cluster);
  if (!cluster?.server) {
    throw new KubeconfigError(`Kubeconfig ${where}: context '${ctxName}' names no cluster with a server`);
  }
  if (!cluster.server.startsWith('https://')) {
    throw new KubeconfigError(`Kubeconfig ${where}: cluster '${cluster.name}' has server ${cluster.server}; serving-health talks to API servers over https only`);
  }
  if (cluster.proxyUrl && !/^https?:\/\//.test(cluster.proxyUrl)) {
    throw new KubeconfigError(
      `Kubeconfig ${where}: cluster '${cluster.name}' has proxy-url with scheme ${cluster.proxyUrl.split(':')[0]}; serving-health tunnels through http:// and https:// proxies only`,
    );
  }
  const user = ctx.user ? config.getUser(ctx.user) : null;
  if (ctx.user && !user) {
    throw new KubeconfigError(`Kubeconfig ${where}: context '${ctxName}' names user '${ctx.user}', which it does not define`);
  }
  if (user?.username || user?.password) {
    throw new KubeconfigError(
      `Kubeconfig ${where}: user '${user.name}' uses username/password (basic auth), which Kubernetes removed in 1.19; use a token, a client certificate or an exec plugin`,
    );
  }
  if (user?.impersonateUser) {
    throw new KubeconfigError(
      `Kubeconfig ${where}: user '${user.name}' impersonates '${user.impersonateUser}' (as:), which serving-health does not do; bind the role to the identity itself`,
    );
  }
  let caData: string | undefined;
  try {
    caData = cluster.caFile
      ? fs.readFileSync(cluster.caFile, 'utf8')
      : cluster.caData && Buffer.from(cluster.caData, 'base64').toString('utf8');
  } catch (e) {
    throw new KubeconfigError(`Kubeconfig ${where}: cluster '${cluster.name}': cannot read certificate-authority: ${errorMessage(e)}`);
  }
  return {
    name: ctx.cluster,
    url: cluster.server,
    credentials: credentialsOf(config, user ? tokenFiles.get(user.name) : undefined),
    caData: caData || undefined,
    skipTLSVerify: cluster.skipTLSVerify,
    tlsServerName: cluster.tlsServerName,
    proxyUrl: cluster.proxyUrl,
  };
}
