import { ReadError } from '@serving-health/plugin-serving-health-common';

/** How to reach one cluster. Tokens stay on the server. */
export interface ClusterConnection {
  name: string;
  url: string;
  /** Bearer token (service account). */
  token?: string;
  /** PEM client certificate and key (kubeconfig users). */
  clientCertData?: string;
  clientKeyData?: string;
  /** PEM CA bundle. */
  caData?: string;
  skipTLSVerify?: boolean;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
}

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

export type KubeResponse<T = any> =
  | { ok: true; status: number; body: T }
  | { ok: false; error: ReadError; status?: number; body?: any };

/** A minimal Kubernetes REST client: one request, one bounded answer, never a throw for HTTP errors. */
export interface KubernetesClient {
  readonly cluster: string;
  request<T = any>(req: KubeRequest): Promise<KubeResponse<T>>;
  /** Number of requests sent since creation (for budgets and benchmarks). */
  requestCount(): number;
}
