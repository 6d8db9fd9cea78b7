/**
 * A TCP proxy in front of a real API server for fault and load tests: it can
 * pass, stall or drop connections, and it records every request line the API
 * server is sent.
 *
 * @packageDocumentation
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';

export type ProxyMode = 'pass' | 'stall' | 'drop' | 'hangup';

/** One HTTP request as forwarded to the API server. */
export interface ProxiedRequest {
  method: string;
  /** path with query string, as on the request line */
  path: string;
  /** true for a GET of a collection (a LIST call) */
  list: boolean;
  userAgent?: string;
  /** ms since the proxy started */
  at: number;
}

export interface KubeProxy {
  /** https://127.0.0.1:<port> */
  url: string;
  port: number;
  mode(): ProxyMode;
  /** Applies to new connections and to the open ones (see README). */
  setMode(mode: ProxyMode): void;
  /** Every request forwarded since start or the last reset(). */
  requests(): ProxiedRequest[];
  /** Bytes the API server sent back since start or the last reset(). */
  bytesDown(): number;
  /** TCP connections accepted since start or the last reset(). */
  connectionsAccepted(): number;
  reset(): void;
  close(): Promise<void>;
}

export interface StartKubeProxyOptions {
  /** The API server, https://127.0.0.1:<port>. */
  target: string;
  /** PEM of the CA that signed the API server's certificate. */
  ca: string;
  /** PEM certificate (chain) and key the proxy presents: the API server's own. */
  cert: string;
  key: string;
  mode?: ProxyMode;
}

/** The serving certificate and key a testenv API server uses (under its dataDir). */
export function testEnvServingCert(dataDir: string): {
  cert: string;
  key: string;
} {
  return {
    cert: fs.readFileSync(path.join(dataDir, 'certs/apiserver.crt'), 'utf8'),
    key: fs.readFileSync(path.join(dataDir, 'certs/apiserver.key'), 'utf8'),
  };
}

/**
 * True for a LIST: a GET of a resource collection, cluster-wide or in one
 * namespace (`/api/v1/pods`, `/apis/apps/v1/namespaces/x/deployments`).
 */
export function isListRequest(method: string, requestPath: string): boolean {
  if (method !== 'GET') return false;
  const p = requestPath.split('?')[0];
  const segs = p.split('/').filter(Boolean);
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 2) rest = segs.slice(2);
  else if (segs[0] === 'apis' && segs.length >= 3) rest = segs.slice(3);
  else return false;
  if (rest.length === 1) return true;
  return rest.length === 3 && rest[0] === 'namespaces';
}

const MAX_HEAD = 64 * 1024;

/** Finds HTTP/1.x request heads in a decrypted client stream. */
class RequestTap {
  private buf: Buffer = Buffer.alloc(0);
  private skip = 0;
  private chunked = false;

  constructor(
    private readonly onRequest: (
      method: string,
      path: string,
      userAgent?: string,
    ) => void,
  ) {}

  feed(chunk: Buffer): void {
    let data = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    this.buf = Buffer.alloc(0);
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, data.length);
        this.skip -= n;
        data = data.subarray(n);
        if (this.skip > 0) return;
      }
      if (this.chunked) {
        const end = data.indexOf('0\r\n\r\n');
        if (end < 0) {
          this.buf = data.subarray(Math.max(0, data.length - 4));
          return;
        }
        this.chunked = false;
        data = data.subarray(end + 5);
      }
      if (data.length === 0) return;
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) {
        this.buf = data.length > MAX_HEAD ? Buffer.alloc(0) : data;
        return;
      }
      const head = data.subarray(0, end).toString('latin1').split('\r\n');
      data = data.subarray(end + 4);
      const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(head[0] ?? '');
      const headers = new Map<string, string>();
      for (const line of head.slice(1)) {
        const i = line.indexOf(':');
        if (i > 0)
          headers.set(
            line.slice(0, i).trim().toLowerCase(),
            line.slice(i + 1).trim(),
          );
      }
      if (m) this.onRequest(m[1], m[2], headers.get('user-agent'));
      const length = Number(headers.get('content-length') ?? 0);
      if (length > 0) this.skip = length;
      else if (/chunked/i.test(headers.get('transfer-encoding') ?? ''))
        this.chunked = true;
    }
  }
}

interface Conn {
  raw: net.Socket;
  front?: tls.TLSSocket;
  upstream?: tls.TLSSocket;
  stalled: boolean;
}

/** Starts the proxy on a free port of 127.0.0.1. */
export async function startKubeProxy(
  options: StartKubeProxyOptions,
): Promise<KubeProxy> {
  const target = new URL(options.target);
  const secureContext = tls.createSecureContext({
    cert: options.cert,
    key: options.key,
  });
  const started = Date.now();
  let mode: ProxyMode = options.mode ?? 'pass';
  let records: ProxiedRequest[] = [];
  let bytes = 0;
  let accepted = 0;
  const conns = new Set<Conn>();

  const destroy = (c: Conn) => {
    conns.delete(c);
    c.upstream?.destroy();
    c.front?.destroy();
    if (!c.raw.destroyed) c.raw.resetAndDestroy();
  };

  const server = net.createServer(raw => {
    accepted += 1;
    raw.on('error', () => {});
    if (mode === 'drop') {
      raw.resetAndDestroy();
      return;
    }
    if (mode === 'hangup') {
      // Reads the TLS ClientHello, then closes: the endpoint goes away mid-handshake.
      raw.once('data', () => raw.end());
      return;
    }
    const conn: Conn = { raw, stalled: mode === 'stall' };
    conns.add(conn);
    raw.on('close', () => destroy(conn));
    // Stalled: the socket is accepted and never read; not even the TLS
    // handshake is answered. The client's own timeout has to end it.
    if (conn.stalled) return;

    const tap = new RequestTap((method, p, userAgent) =>
      records.push({
        method,
        path: p,
        list: isListRequest(method, p),
        userAgent,
        at: Date.now() - started,
      }),
    );
    const front = new tls.TLSSocket(raw, { isServer: true, secureContext });
    const upstream = tls.connect({
      host: target.hostname,
      port: Number(target.port || 443),
      ca: options.ca,
    });
    conn.front = front;
    conn.upstream = upstream;
    front.on('error', () => destroy(conn));
    upstream.on('error', () => destroy(conn));
    front.on('close', () => destroy(conn));
    upstream.on('close', () => destroy(conn));
    front.on('data', (d: Buffer) => {
      if (conn.stalled) return;
      tap.feed(d);
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (conn.stalled) return;
      bytes += d.length;
      front.write(d);
    });
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;

  return {
    url: `https://127.0.0.1:${port}`,
    port,
    mode: () => mode,
    setMode(next) {
      mode = next;
      for (const c of [...conns]) {
        if (next === 'stall') c.stalled = true;
        if (next === 'drop' || next === 'hangup') destroy(c);
      }
    },
    requests: () => [...records],
    bytesDown: () => bytes,
    connectionsAccepted: () => accepted,
    reset() {
      records = [];
      bytes = 0;
      accepted = 0;
    },
    close() {
      for (const c of [...conns]) destroy(c);
      return new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
