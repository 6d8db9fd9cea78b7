import { ReadError } from '@serving-health/plugin-serving-health-common';

/**
 * What authenticates one request: a bearer token, a client certificate, or both.
 *
 * @public
 */
export interface KubeCredentials {
  token?: string;
  /** PEM client certificate and key (kubeconfig users). */
  clientCertData?: string;
  clientKeyData?: string;
  /**
   * Further request headers, e.g. the cluster name and the caller's cluster credentials when the cluster is
   * reached through the Backstage Kubernetes plugin's proxy.
   */
  headers?: Record<string, string>;
}

/**
 * Asked before every request, so rotating tokens, exec plugins and per-user credentials all fit one client.
 * A rejection is reported as an `unauthorized` read, never thrown.
 *
 * @public
 */
export type CredentialProvider = () => Promise<KubeCredentials>;

/**
 * How to reach one cluster. Credentials stay on the server.
 *
 * @public
 */
export interface ClusterConnection {
  name: string;
  url: string;
  credentials: CredentialProvider;
  /** PEM CA bundle. */
  caData?: string;
  skipTLSVerify?: boolean;
  /** The name the API server's certificate is checked against, when not the host of `url`. */
  tlsServerName?: string;
  /**
   * Per-request timeout in milliseconds, from the moment the request is asked for: credentials, queueing for
   * a socket, a Retry-After wait and the answer all count against it.
   */
  timeoutMs?: number;
  /**
   * An HTTP(S) proxy every connection is tunnelled through (CONNECT), as kubeconfig's `proxy-url`. Without it,
   * `HTTPS_PROXY` / `NO_PROXY` from the environment apply (loopback never proxied).
   */
  proxyUrl?: string;
  /**
   * Allow an `http:` URL. Only for a Backstage backend's own endpoint found through its discovery service (the
   * Kubernetes plugin's proxy); an API server is always reached over TLS.
   */
  allowPlainHttp?: boolean;
  /**
   * The same cluster reached as another identity (a dry-run identity). Without it, that identity's credentials
   * simply replace the connection's; a connection through a proxy keeps its own and passes the identity on.
   */
  actAs?(identity: CredentialProvider): ClusterConnection;
  /** A larger answer is an error, never a truncated or empty one (default 64 MiB). */
  maxBodyBytes?: number;
}

/** @public */
export interface KubeRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API path, e.g. `/api/v1/namespaces/kserve/pods`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** Overrides the connection's timeout. */
  timeoutMs?: number;
  /** Expect a text body (pod logs) instead of JSON. */
  text?: boolean;
}

/** @public */
export type KubeResponse<T = any> =
  | { ok: true; status: number; body: T }
  | { ok: false; error: ReadError; status?: number; body?: any };

/**
 * A minimal Kubernetes REST client: one request, one bounded answer, never a throw for HTTP errors.
 *
 * @public
 */
export interface KubernetesClient {
  readonly cluster: string;
  request<T = any>(req: KubeRequest): Promise<KubeResponse<T>>;
  /** Number of requests sent since creation (for budgets and benchmarks). */
  requestCount(): number;
}

/**
 * One event of a watch stream (`?watch=1`), as the API server sends it, one JSON object per line.
 *
 * @public
 */
export interface WatchEvent<T = any> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

/** @public */
export interface KubeWatchRequest {
  /** Collection path, e.g. `/apis/serving.kserve.io/v1beta1/inferenceservices`. */
  path: string;
  /** `resourceVersion`, `labelSelector`, `timeoutSeconds`, ...; `watch=1` is added. */
  query?: Record<string, string | number | boolean | undefined>;
  onEvent(event: WatchEvent): void;
}

/**
 * An open watch. `done` settles once: ok when the server ended the stream (its `timeoutSeconds`), else the
 * classified error; an ERROR event (410 Gone: the resourceVersion is too old) ends it with that status.
 *
 * @public
 */
export interface KubeWatch {
  done: Promise<KubeResponse<undefined>>;
  /** Closes the stream; `done` then resolves ok. */
  stop(): void;
}

/**
 * A client that can also keep a streaming GET open.
 *
 * @public
 */
export interface WatchingKubernetesClient extends KubernetesClient {
  watch(req: KubeWatchRequest): KubeWatch;
}
