import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { freePort } from '@internal/testenv';
import type { BackendInput } from './backendProcess';

export interface BenchBackend {
  baseUrl: string;
  pid: number;
  startMs: number;
  /** Resident set size of the backend process, from /proc (bytes). */
  rss(): number;
  /** process.memoryUsage() of the backend right after a full garbage collection (bytes). */
  liveMemory(): Promise<NodeJS.MemoryUsage>;
  /** Samples rss() every `everyMs` until the returned function is called; that returns the peak. */
  sampleRss(everyMs?: number): () => { peak: number; samples: number };
  get(
    urlPath: string,
  ): Promise<{ status: number; body: any; ms: number; bytes: number }>;
  post(
    urlPath: string,
    body: unknown,
  ): Promise<{ status: number; body: any; ms: number; bytes: number }>;
  stop(): Promise<void>;
}

function readRss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(
      fs.readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function call(
  baseUrl: string,
  method: string,
  urlPath: string,
  body?: unknown,
): Promise<{ status: number; body: any; ms: number; bytes: number }> {
  const payload =
    body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const t = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${baseUrl}${urlPath}`,
      {
        method,
        agent,
        timeout: 120_000,
        headers: {
          Accept: 'application/json',
          ...(payload
            ? {
                'Content-Type': 'application/json',
                'Content-Length': payload.length,
              }
            : {}),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          let parsed: any = raw.toString('utf8');
          try {
            parsed = JSON.parse(parsed);
          } catch {
            // not JSON
          }
          resolve({
            status: res.statusCode ?? 0,
            body: parsed,
            ms: performance.now() - t,
            bytes: raw.length,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${method} ${urlPath}: no answer in 120 s`)),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Starts backendProcess.ts through Backstage's node transform and waits until it serves. */
export async function startBenchBackend(options: {
  config: Record<string, unknown>;
  entities: unknown[];
  workDir: string;
  /** --max-old-space-size of the backend process. */
  heapMb?: number;
}): Promise<BenchBackend> {
  const port = await freePort();
  const inputFile = path.join(options.workDir, 'backend-input.json');
  const input: BackendInput = {
    port,
    config: options.config,
    entities: options.entities,
  };
  fs.writeFileSync(inputFile, JSON.stringify(input), { mode: 0o600 });
  const logFile = path.join(options.workDir, 'backend.log');
  const log = fs.openSync(logFile, 'w');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      // So that the bench can ask for the live heap after a full collection.
      '--expose-gc',
      ...(options.heapMb ? [`--max-old-space-size=${options.heapMb}`] : []),
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      // A repo tool run from source only: __dirname is this source folder.
      // eslint-disable-next-line no-restricted-syntax
      path.join(__dirname, 'backendProcess.ts'),
      inputFile,
    ],
    { stdio: ['ignore', log, log, 'ipc'] },
  );
  fs.closeSync(log);
  const startMs = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the bench backend did not start within 120 s')),
      120_000,
    );
    child.on('message', (m: any) => {
      if (m?.ready) {
        clearTimeout(timer);
        resolve(m.ms);
      }
    });
    child.on('exit', code => {
      clearTimeout(timer);
      const tail = fs
        .readFileSync(logFile, 'utf8')
        .split('\n')
        .slice(-30)
        .join('\n');
      reject(
        new Error(
          `the bench backend exited (code ${code}) before it was ready:\n${tail}`,
        ),
      );
    });
  });
  child.removeAllListeners('exit');
  const baseUrl = `http://127.0.0.1:${port}`;
  const pid = child.pid!;
  return {
    baseUrl,
    pid,
    startMs,
    rss: () => readRss(pid),
    liveMemory: () =>
      new Promise<NodeJS.MemoryUsage>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error('the bench backend did not report its memory')),
          60_000,
        );
        const onMessage = (m: any) => {
          if (!m?.memory) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(m.memory);
        };
        child.on('message', onMessage);
        child.send({ memory: true });
      }),
    sampleRss(everyMs = 25) {
      let peak = readRss(pid);
      let samples = 1;
      const timer = setInterval(() => {
        peak = Math.max(peak, readRss(pid));
        samples += 1;
      }, everyMs);
      return () => {
        clearInterval(timer);
        peak = Math.max(peak, readRss(pid));
        return { peak, samples: samples + 1 };
      };
    },
    get: urlPath => call(baseUrl, 'GET', urlPath),
    post: (urlPath, body) => call(baseUrl, 'POST', urlPath, body),
    async stop() {
      agent.destroy();
      if (child.exitCode !== null) return;
      const exited = new Promise(r => child.once('exit', r));
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
