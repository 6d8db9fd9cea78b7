import http from 'node:http';
import https from 'node:https';
import { HttpsProxyAgent } from 'hpagent';
import { proxyFromEnvironment } from './proxyFromEnvironment';
import {
  ReadError,
  ReadErrorReason,
} from '@serving-health/plugin-serving-health-common';
import { errorMessage } from '../errorMessage';
import {
  ClusterConnection,
  KubeCredentials,
  KubeRequest,
  KubeResponse,
  KubeWatch,
  KubeWatchRequest,
  WatchEvent,
  WatchingKubernetesClient,
} from './types';

/** @public */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;
/** A larger answer is an error: a log read or a huge LIST must not exhaust memory. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
/**
 * Connections per cluster: a watch holds one for as long as it is open (about 20 per cluster), and the
 * requests of a report must still find free ones.
 */
const MAX_SOCKETS = 64;
/** One watch event larger than this ends the watch with an error instead of growing a buffer. */
const MAX_WATCH_EVENT_BYTES = 16 * 1024 * 1024;
/**
 * A watch with no byte for this long past its server-side timeout is dead (a half-open connection): it ends
 * with `timeout` and is opened again.
 */
const WATCH_IDLE_GRACE_MS = 30_000;
/** The server ends each watch after this long (client-go picks 5-10 min); a new one resumes from the last version. */
const DEFAULT_WATCH_TIMEOUT_SECONDS = 300;

/**
 * The longest Retry-After wait honoured. The API server's priority and fairness asks for 1 s; a server that
 * asks for minutes is better reported as throttled than waited for while a report is pending.
 */
const MAX_RETRY_AFTER_MS = 3000;

const TLS_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

function reasonForStatus(status: number): ReadErrorReason {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'throttled';
  if (status === 504) return 'timeout';
  return 'failed';
}

function buildPath(req: KubeRequest): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {})) {
    if (v !== undefined) params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${req.path}?${qs}` : req.path;
}

/** The wait a 429 or 503 asks for with Retry-After, bounded; undefined when it asks for none. */
function retryAfterMs(
  status: number,
  header: string | undefined,
): number | undefined {
  if ((status !== 429 && status !== 503) || header === undefined)
    return undefined;
  // Kubernetes sends delta-seconds; an HTTP date or garbage is treated as no advice.
  const seconds = Number(header.trim());
  if (header.trim() === '' || !Number.isFinite(seconds) || seconds < 0)
    return undefined;
  return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
}

/** A transport error as a read error: the error code decides before the wording does. */
function classifyRequestError(
  err: NodeJS.ErrnoException,
): [ReadErrorReason, string] {
  const code = err.code ?? '';
  // A peer that hangs up mid-handshake says "TLS" in its message but is a network failure.
  if (UNREACHABLE_CODES.has(code))
    return ['unreachable', `${code}: ${err.message}`];
  if (
    TLS_ERROR_CODES.has(code) ||
    /certificate|SSL routines/i.test(err.message)
  )
    return ['tls', `TLS handshake failed: ${err.message}`];
  return ['unreachable', err.message];
}

/** A non-2xx answer as a read error, with the server's own message. */
function failureOf(status: number, body: any, description: string): ReadError {
  // A Backstage backend (the Kubernetes plugin's proxy) answers its own failures as
  // { error: { name, message } }: its 404 is an unknown cluster, never a missing resource.
  const backstageError =
    body &&
    typeof body === 'object' &&
    !body.kind &&
    typeof body.error?.message === 'string'
      ? (body.error as { name?: string; message: string })
      : undefined;
  const message =
    (backstageError &&
      `${backstageError.name ?? 'Error'}: ${backstageError.message}`) ||
    (body && typeof body === 'object' && body.message) ||
    (typeof body === 'string' && body.trim()) ||
    `HTTP ${status}`;
  return {
    reason:
      backstageError && status === 404 ? 'failed' : reasonForStatus(status),
    request: description,
    message: String(message),
    httpStatus: status,
  };
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

interface Sent<T> {
  response: KubeResponse<T>;
  /** Set when the server asked to come back later. */
  retryAfterMs?: number;
}

/**
 * A minimal Kubernetes REST client on node:https. Every request is bounded by
 * a timeout, and every failure is returned as a classified ReadError instead of
 * thrown, so one failing read degrades one check and never the whole report.
 *
 * @public
 */
export function createKubernetesClient(
  connection: ClusterConnection,
): WatchingKubernetesClient {
  const base = new URL(connection.url);
  const plainHttp = base.protocol === 'http:';
  // Refused per request, not thrown: one misconfigured cluster must not break the others' reports.
  const refusal =
    plainHttp && !connection.allowPlainHttp
      ? `${connection.url} is not https; tokens are never sent in clear text`
      : undefined;
  const maxBodyBytes = connection.maxBodyBytes ?? MAX_BODY_BYTES;
  const tlsOptions = (creds: KubeCredentials): https.AgentOptions => ({
    ca: connection.caData,
    cert: creds.clientCertData,
    key: creds.clientKeyData,
    rejectUnauthorized: !connection.skipTLSVerify,
    keepAlive: true,
    maxSockets: MAX_SOCKETS,
  });
  // kubeconfig's proxy-url first, else the standard proxy environment variables.
  const proxy = connection.proxyUrl ?? proxyFromEnvironment(base);
  // One agent per client certificate: a rotated certificate gets a new TLS session, a token does not.
  let agent: { key: string; value: https.Agent } | undefined;
  const plainAgent = plainHttp
    ? new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS })
    : undefined;
  const agentFor = (creds: KubeCredentials): https.Agent => {
    const key = `${creds.clientCertData ?? ''}\u0000${
      creds.clientKeyData ?? ''
    }`;
    if (agent?.key !== key) {
      agent?.value.destroy();
      agent = {
        key,
        value: proxy
          ? new HttpsProxyAgent({ ...tlsOptions(creds), proxy })
          : new https.Agent(tlsOptions(creds)),
      };
    }
    return agent.value;
  };
  const basePath = base.pathname.replace(/\/$/, '');
  let count = 0;

  async function askCredentials(
    description: string,
    timeoutMs: number,
  ): Promise<
    | { ok: true; creds: KubeCredentials }
    | { ok: false; response: KubeResponse<never> }
  > {
    const failed = (reason: ReadErrorReason, message: string) => ({
      ok: false as const,
      response: {
        ok: false as const,
        error: { reason, request: description, message },
      },
    });
    if (refusal) return failed('failed', refusal);
    try {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>(resolve => {
        timer = setTimeout(() => resolve(undefined), timeoutMs);
      });
      const asked = await Promise.race([
        connection.credentials(),
        late,
      ]).finally(() => clearTimeout(timer));
      if (!asked) {
        return failed(
          'timeout',
          `no credentials for cluster ${connection.name} within ${timeoutMs} ms`,
        );
      }
      return { ok: true, creds: asked };
    } catch (e) {
      return failed(
        'unauthorized',
        `no credentials for cluster ${connection.name}: ${errorMessage(e)}`,
      );
    }
  }

  function requestHeaders(
    creds: KubeCredentials,
    accept: string,
  ): Record<string, string> {
    const headers: Record<string, string> = { Accept: accept };
    for (const [k, v] of Object.entries(creds.headers ?? {})) headers[k] = v;
    if (creds.token) headers.Authorization = `Bearer ${creds.token}`;
    return headers;
  }

  function open(
    method: string,
    path: string,
    headers: Record<string, string>,
    creds: KubeCredentials,
    onResponse: (res: http.IncomingMessage) => void,
  ): http.ClientRequest {
    const target = {
      hostname: base.hostname,
      path: `${basePath}${path}`,
      method,
      headers,
    };
    return plainAgent
      ? http.request(
          { ...target, port: base.port || 80, agent: plainAgent },
          onResponse,
        )
      : https.request(
          {
            ...target,
            protocol: 'https:',
            port: base.port || 443,
            servername: connection.tlsServerName,
            agent: agentFor(creds),
          },
          onResponse,
        );
  }

  async function request<T>(req: KubeRequest): Promise<KubeResponse<T>> {
    // The deadline is fixed here, once: asking for credentials (an exec plugin), waiting for a socket, a
    // Retry-After pause and a server that trickles bytes all spend the same budget.
    const timeoutMs =
      req.timeoutMs ?? connection.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    const description = `${req.method ?? 'GET'} ${buildPath(req)}`;

    const asked = await askCredentials(description, timeoutMs);
    if (!asked.ok) return asked.response;
    const creds = asked.creds;

    const first = await send<T>(req, creds, deadline, timeoutMs);
    const wait = first.retryAfterMs;
    if (wait === undefined) return first.response;
    if (Date.now() + wait >= deadline) {
      return throttled(
        first.response,
        `the server asked to retry after ${wait} ms, past the ${timeoutMs} ms timeout`,
      );
    }
    await sleep(wait);
    const second = await send<T>(req, creds, deadline, timeoutMs);
    if (second.retryAfterMs === undefined) return second.response;
    return throttled(
      second.response,
      `refused again after waiting ${wait} ms as asked`,
    );
  }

  function throttled<T>(r: KubeResponse<T>, why: string): KubeResponse<T> {
    if (r.ok) return r;
    return {
      ...r,
      error: {
        ...r.error,
        reason: 'throttled',
        message: `${r.error.message} (${why})`,
      },
    };
  }

  function send<T>(
    req: KubeRequest,
    creds: KubeCredentials,
    deadline: number,
    timeoutMs: number,
  ): Promise<Sent<T>> {
    count += 1;
    const method = req.method ?? 'GET';
    const path = buildPath(req);
    const description = `${method} ${path}`;
    const payload =
      req.body === undefined
        ? undefined
        : Buffer.from(
            typeof req.body === 'string' ? req.body : JSON.stringify(req.body),
          );

    return new Promise(resolve => {
      // Held in an object so the timer can be cleared by code defined before it is started.
      const state: { settled: boolean; timer?: NodeJS.Timeout } = {
        settled: false,
      };
      const finish = (response: KubeResponse<T>, retryAfter?: number) => {
        if (!state.settled) {
          state.settled = true;
          clearTimeout(state.timer);
          resolve({ response, retryAfterMs: retryAfter });
        }
      };
      const fail = (
        reason: ReadErrorReason,
        message: string,
        extra: Partial<ReadError> = {},
      ) =>
        finish({
          ok: false,
          error: { reason, request: description, message, ...extra },
          status: extra.httpStatus,
        });

      const headers = requestHeaders(
        creds,
        req.text ? '*/*' : 'application/json',
      );
      if (payload) {
        headers['Content-Type'] = req.contentType ?? 'application/json';
        headers['Content-Length'] = String(payload.length);
      }

      // The request, for the response handler to abort (it is made after the handler is defined).
      const sent: { req?: http.ClientRequest } = {};
      const onResponse = (res: http.IncomingMessage) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBodyBytes) {
            // A cut-off list would parse as nothing or as fewer items: the read fails instead.
            fail(
              'failed',
              `the answer is larger than ${maxBodyBytes} bytes, the most this client reads`,
              {
                httpStatus: status,
              },
            );
            sent.req?.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', err => fail('unreachable', err.message));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          let body: any = raw;
          let json = true;
          if (!req.text || status >= 400) {
            try {
              body = raw ? JSON.parse(raw) : undefined;
            } catch {
              json = false;
            }
          }
          if (status >= 200 && status < 300) {
            if (!req.text && !json) {
              fail(
                'failed',
                `the answer is not JSON (Content-Type ${
                  res.headers['content-type'] ?? 'none'
                }): ${raw.slice(0, 120).trim()}`,
                { httpStatus: status },
              );
              return;
            }
            finish({ ok: true, status, body });
            return;
          }
          finish(
            {
              ok: false,
              status,
              body,
              error: failureOf(status, body, description),
            },
            retryAfterMs(status, res.headers['retry-after']),
          );
        });
      };
      const httpReq = (sent.req = open(
        method,
        path,
        headers,
        creds,
        onResponse,
      ));

      state.timer = setTimeout(() => {
        fail('timeout', `no answer within ${timeoutMs} ms`);
        httpReq.destroy();
      }, Math.max(0, deadline - Date.now()));

      httpReq.on('error', (err: NodeJS.ErrnoException) =>
        fail(...classifyRequestError(err)),
      );
      if (payload) httpReq.write(payload);
      httpReq.end();
    });
  }

  function watch(req: KubeWatchRequest): KubeWatch {
    const query = {
      ...req.query,
      timeoutSeconds:
        req.query?.timeoutSeconds ?? DEFAULT_WATCH_TIMEOUT_SECONDS,
      watch: 1,
    };
    const path = buildPath({ path: req.path, query });
    const description = `WATCH ${path}`;
    const timeoutMs = connection.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const idleMs = Number(query.timeoutSeconds) * 1000 + WATCH_IDLE_GRACE_MS;
    const state: {
      settled: boolean;
      stopped: boolean;
      timer?: NodeJS.Timeout;
      req?: http.ClientRequest;
      resolve?: (r: KubeResponse<undefined>) => void;
    } = { settled: false, stopped: false };
    const done = new Promise<KubeResponse<undefined>>(resolve => {
      state.resolve = resolve;
    });
    const finish = (r: KubeResponse<undefined>) => {
      if (state.settled) return;
      state.settled = true;
      clearTimeout(state.timer);
      state.req?.destroy();
      state.resolve!(r);
    };
    const fail = (reason: ReadErrorReason, message: string, status?: number) =>
      finish({
        ok: false,
        status,
        error: { reason, request: description, message, httpStatus: status },
      });
    const arm = (ms: number, why: string) => {
      clearTimeout(state.timer);
      state.timer = setTimeout(() => fail('timeout', why), ms);
    };

    (async () => {
      // Until the server answers, the connection's timeout bounds the watch as any request.
      arm(timeoutMs, `no answer within ${timeoutMs} ms`);
      const asked = await askCredentials(description, timeoutMs);
      if (state.settled) return;
      if (!asked.ok) {
        finish(asked.response);
        return;
      }
      count += 1;
      const onResponse = (res: http.IncomingMessage) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size <= MAX_WATCH_EVENT_BYTES) chunks.push(c);
          });
          res.on('error', err => fail('unreachable', err.message));
          res.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            let body: any = raw;
            try {
              body = raw ? JSON.parse(raw) : undefined;
            } catch {
              // Not JSON: the text itself is the message.
            }
            finish({
              ok: false,
              status,
              body,
              error: failureOf(status, body, description),
            });
          });
          return;
        }
        arm(idleMs, `no byte of the watch for ${idleMs} ms`);
        let pending = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          arm(idleMs, `no byte of the watch for ${idleMs} ms`);
          pending += chunk;
          let newline = pending.indexOf('\n');
          while (newline >= 0 && !state.settled) {
            const line = pending.slice(0, newline).trim();
            pending = pending.slice(newline + 1);
            newline = pending.indexOf('\n');
            if (!line) continue;
            let event: WatchEvent;
            try {
              event = JSON.parse(line);
            } catch {
              fail(
                'failed',
                `a watch event is not JSON: ${line.slice(0, 120)}`,
                status,
              );
              return;
            }
            if (event.type === 'ERROR') {
              // A Status object: 410 Gone when the resourceVersion was compacted away.
              const code = Number(event.object?.code) || 500;
              finish({
                ok: false,
                status: code,
                body: event.object,
                error: failureOf(code, event.object, description),
              });
              return;
            }
            req.onEvent(event);
          }
          if (pending.length > MAX_WATCH_EVENT_BYTES) {
            fail(
              'failed',
              `a watch event is larger than ${MAX_WATCH_EVENT_BYTES} bytes, the most this client reads`,
              status,
            );
          }
        });
        res.on('error', err =>
          state.stopped ? undefined : fail('unreachable', err.message),
        );
        res.on('end', () => finish({ ok: true, status, body: undefined }));
      };
      state.req = open(
        'GET',
        path,
        requestHeaders(asked.creds, 'application/json'),
        asked.creds,
        onResponse,
      );
      state.req.on('error', (err: NodeJS.ErrnoException) =>
        state.stopped ? undefined : fail(...classifyRequestError(err)),
      );
      state.req.end();
    })();

    return {
      done,
      stop() {
        state.stopped = true;
        finish({ ok: true, status: 200, body: undefined });
      },
    };
  }

  return {
    cluster: connection.name,
    request,
    watch,
    requestCount: () => count,
  };
}
