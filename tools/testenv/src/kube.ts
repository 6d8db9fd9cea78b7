import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import YAML from 'yaml';

/** What it takes to talk to one API server as one identity. */
export interface ClusterAccess {
  /** e.g. https://127.0.0.1:41234 */
  url: string;
  /** PEM of the CA that signed the API server's serving certificate */
  caData: string;
  /** bearer token */
  token: string;
}

/** A non-2xx answer of the API server, carrying its metav1.Status. */
export class KubeApiError extends Error {
  constructor(
    readonly method: string,
    readonly urlPath: string,
    readonly statusCode: number,
    readonly status: { reason?: string; message?: string } | undefined,
  ) {
    super(status?.message ?? `HTTP ${statusCode} from ${method} ${urlPath}`);
    this.name = 'KubeApiError';
  }

  get reason(): string | undefined {
    return this.status?.reason;
  }
}

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The smallest client that does what the test environment needs. The testenv
 * must not depend on the plugin's own cluster client: it is the reference the
 * plugin is tested against, so it talks to the API server on its own.
 */
export class KubeClient {
  private readonly agent: https.Agent;

  constructor(readonly access: ClusterAccess) {
    this.agent = new https.Agent({
      ca: access.caData,
      keepAlive: true,
      maxSockets: 4,
    });
  }

  get<T = any>(urlPath: string): Promise<T> {
    return this.request('GET', urlPath);
  }

  post<T = any>(urlPath: string, body: unknown): Promise<T> {
    return this.request('POST', urlPath, body);
  }

  put<T = any>(urlPath: string, body: unknown): Promise<T> {
    return this.request('PUT', urlPath, body);
  }

  delete<T = any>(urlPath: string): Promise<T> {
    return this.request('DELETE', urlPath);
  }

  /** Resolves with the decoded JSON body (or the raw text when it is not JSON). */
  request<T = any>(
    method: string,
    urlPath: string,
    body?: unknown,
  ): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const url = new URL(urlPath, this.access.url);
    return new Promise<T>((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          agent: this.agent,
          timeout: REQUEST_TIMEOUT_MS,
          headers: {
            Authorization: `Bearer ${this.access.token}`,
            Accept: 'application/json',
            ...(payload !== undefined && {
              'Content-Type': 'application/json',
              'Content-Length': Buffer.byteLength(payload),
            }),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: any = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // /readyz, /livez and friends answer in plain text
            }
            const code = res.statusCode ?? 0;
            if (code >= 200 && code < 300) {
              resolve(parsed);
            } else {
              const status =
                typeof parsed === 'object' && parsed
                  ? parsed
                  : { message: text.trim() || undefined };
              reject(new KubeApiError(method, urlPath, code, status));
            }
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(
          new Error(
            `${method} ${urlPath}: no answer after ${REQUEST_TIMEOUT_MS} ms`,
          ),
        ),
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Releases the keep-alive sockets so that a test process can exit. */
  close(): void {
    this.agent.destroy();
  }
}

/**
 * Reads one context of a kubeconfig (token auth, as the testenv writes it).
 * Without `context`, prefers `admin` (loading a scenario needs writes), then
 * the current context.
 */
export function accessFromKubeconfig(
  file: string,
  context?: string,
): ClusterAccess {
  const config = YAML.parse(fs.readFileSync(file, 'utf8'));
  const byName = (list: any[] | undefined, name: string) =>
    (list ?? []).find(e => e.name === name);
  const contextName =
    context ??
    (byName(config.contexts, 'admin') ? 'admin' : config['current-context']);
  const ctx = byName(config.contexts, contextName)?.context;
  if (!ctx) {
    throw new Error(`${file}: no context "${contextName}"`);
  }
  const cluster = byName(config.clusters, ctx.cluster)?.cluster;
  const user = byName(config.users, ctx.user)?.user;
  if (!cluster?.server || !user?.token) {
    throw new Error(
      `${file}: context "${contextName}" needs a cluster with a server and a user with a token`,
    );
  }
  const caData = cluster['certificate-authority-data']
    ? Buffer.from(cluster['certificate-authority-data'], 'base64').toString()
    : fs.readFileSync(
        path.resolve(path.dirname(file), cluster['certificate-authority']),
        'utf8',
      );
  return { url: cluster.server, caData, token: user.token };
}
