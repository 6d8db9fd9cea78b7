import https from 'node:https';
import { ReadError, ReadErrorReason } from '@serving-health/plugin-serving-health-common';
import { errorMessage } from '../errorMessage';
import {
  ClusterConnection,
  KubeCredentials,
  KubeRequest,
  KubeResponse,
  KubernetesClient,
} from './types';

/** @public */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;
/** A response larger than this is cut off: a log read must not exhaust memory. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

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

/**
 * A minimal Kubernetes REST client on node:https. Every request is bounded by
 * a timeout, and every failure is returned as a classified ReadError instead of
 * thrown, so one failing read degrades one check and never the whole report.
 *
 * @public
 */
export function createKubernetesClient(
  connection: ClusterConnection,
): KubernetesClient {
  const base = new URL(connection.url);
  // One agent per client certificate: a rotated certificate gets a new TLS session, a token does not.
  let agent: { key: string; value: https.Agent } | undefined;
  const agentFor = (creds: KubeCredentials): https.Agent => {
    const key = `${creds.clientCertData ?? ''}\u0000${creds.clientKeyData ?? ''}`;
    if (agent?.key !== key) {
      agent?.value.destroy();
      agent = {
        key,
        value: new https.Agent({
          ca: connection.caData,
          cert: creds.clientCertData,
          key: creds.clientKeyData,
          rejectUnauthorized: !connection.skipTLSVerify,
          keepAlive: true,
          maxSockets: 32,
        }),
      };
    }
    return agent.value;
  };
  const basePath = base.pathname.replace(/\/$/, '');
  let count = 0;

  async function request<T>(req: KubeRequest): Promise<KubeResponse<T>> {
    count += 1;
    let creds: KubeCredentials;
    try {
      creds = await connection.credentials();
    } catch (e) {
      return {
        ok: false,
        error: {
          reason: 'unauthorized',
          request: `${req.method ?? 'GET'} ${req.path}`,
          message: `no credentials for cluster ${connection.name}: ${errorMessage(e)}`,
        },
      };
    }
    return send<T>(req, creds);
  }

  function send<T>(
    req: KubeRequest,
    creds: KubeCredentials,
  ): Promise<KubeResponse<T>> {
    const method = req.method ?? 'GET';
    const path = buildPath(req);
    const description = `${method} ${path}`;
    const timeoutMs =
      req.timeoutMs ?? connection.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const payload =
      req.body === undefined
        ? undefined
        : Buffer.from(
            typeof req.body === 'string' ? req.body : JSON.stringify(req.body),
          );

    return new Promise(resolve => {
      // Held in an object so the timer can be cleared by code defined before it is started.
      const state: { settled: boolean; timer?: NodeJS.Timeout } = { settled: false };
      const finish = (r: KubeResponse<T>) => {
        if (!state.settled) {
          state.settled = true;
          clearTimeout(state.timer);
          resolve(r);
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

      const headers: Record<string, string> = {
        Accept: req.text ? '*/*' : 'application/json',
      };
      if (creds.token) headers.Authorization = `Bearer ${creds.token}`;
      if (payload) {
        headers['Content-Type'] = req.contentType ?? 'application/json';
        headers['Content-Length'] = String(payload.length);
      }

      const httpReq = https.request(
        {
          protocol: 'https:',
          hostname: base.hostname,
          port: base.port || 443,
          path: `${basePath}${path}`,
          method,
          headers,
          agent: agentFor(creds),
        },
        res => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_BODY_BYTES) chunks.push(chunk);
          });
          res.on('error', err => fail('unreachable', err.message));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const raw = Buffer.concat(chunks).toString('utf8');
            let body: any = raw;
            if (!req.text || status >= 400) {
              try {
                body = raw ? JSON.parse(raw) : undefined;
              } catch {
                body = raw;
              }
            }
            if (status >= 200 && status < 300) {
              finish({ ok: true, status, body });
              return;
            }
            const message =
              (body && typeof body === 'object' && body.message) ||
              (typeof body === 'string' && body.trim()) ||
              `HTTP ${status}`;
            finish({
              ok: false,
              status,
              body,
              error: {
                reason: reasonForStatus(status),
                request: description,
                message: String(message),
                httpStatus: status,
              },
            });
          });
        },
      );

      state.timer = setTimeout(() => {
        fail('timeout', `no answer within ${timeoutMs} ms`);
        httpReq.destroy();
      }, timeoutMs);

      httpReq.on('error', (err: NodeJS.ErrnoException) => {
        const code = err.code ?? '';
        // A peer that hangs up mid-handshake says "TLS" in its message but is a
        // network failure: the error code decides before the wording does.
        if (UNREACHABLE_CODES.has(code)) {
          fail('unreachable', `${code}: ${err.message}`);
        } else if (TLS_ERROR_CODES.has(code) || /certificate|SSL routines/i.test(err.message)) {
          fail('tls', `TLS handshake failed: ${err.message}`);
        } else {
          fail('unreachable', err.message);
        }
      });
      if (payload) httpReq.write(payload);
      httpReq.end();
    });
  }

  return {
    cluster: connection.name,
    request,
    requestCount: () => count,
  };
}
