import fs from 'node:fs';
import path from 'node:path';
import {
  DemoClusters,
  listScenarios,
  startDemoClusters,
} from '@internal/testenv';
import { artifactsDir, Portal, startPortal, waitFor } from './portal';

/** One demo entity and what its scenario says the triage must find. */
export interface ExpectedEntity {
  scenario: string;
  /** e.g. component:default/credit-scoring */
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  failureModes: string[];
}

export function expectedEntities(): ExpectedEntity[] {
  return listScenarios().flatMap(scenario =>
    (scenario.manifest?.expect ?? []).map(e => {
      const m = /^([^:]+):([^/]+)\/(.+)$/.exec(e.entity);
      if (!m) {
        throw new Error(
          `scenarios/${scenario.name}/scenario.json: expect.entity '${e.entity}' is not kind:namespace/name`,
        );
      }
      return {
        scenario: scenario.name,
        entityRef: e.entity.toLocaleLowerCase('en-US'),
        kind: m[1],
        namespace: m[2],
        name: m[3],
        failureModes: [...e.failureModes].sort(),
      };
    }),
  );
}

export interface Stack {
  demo: DemoClusters;
  portal: Portal;
  /** a guest user's Backstage token, for reading the backend API from the test */
  token: string;
  timings: Record<string, number>;
  stop(): Promise<void>;
}

const log = (line: string) => process.stderr.write(`[e2e] ${line}\n`);

export const e2eDir = path.join(artifactsDir, 'e2e');

/**
 * The whole portal on the real testenv: one kube-apiserver per scenario, the
 * backend (real better-sqlite3 database) and the frontend dev server, with
 * every scenario's catalog-info.yaml registered. Resolves once the fleet
 * endpoint lists every expected entity (the catalog has ingested them).
 */
export async function startStack(
  expected: ExpectedEntity[],
  options: { readyTimeoutMs?: number } = {},
): Promise<Stack> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 150_000;
  const timings: Record<string, number> = {};
  const t0 = Date.now();
  fs.mkdirSync(e2eDir, { recursive: true });
  const demo = await startDemoClusters({
    appConfigPath: path.join(e2eDir, 'app-config.demo.yaml'),
    log,
  });
  timings.clustersMs = Date.now() - t0;
  let portal: Portal | undefined;
  try {
    const t1 = Date.now();
    portal = await startPortal(
      {
        configPaths: [demo.appConfigPath],
        catalogFiles: listScenarios().map(s =>
          path.join(s.dir, 'catalog-info.yaml'),
        ),
        workDir: e2eDir,
        log,
      },
      readyTimeoutMs,
    );
    timings.portalMs = Date.now() - t1;
    const p = portal;
    const logContext = () =>
      `\n--- portal log, last lines ---\n${p.logTail()}`;

    const t2 = Date.now();
    const res = await fetch(`${p.backendUrl}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) {
      throw new Error(
        `guest sign-in on the backend failed: ${res.status} ${await res.text()}${logContext()}`,
      );
    }
    const token: string = (await res.json()).backstageIdentity.token;

    // The catalog ingests the file locations asynchronously.
    const wanted = new Set(expected.map(e => e.entityRef));
    let seen: string[] = [];
    await waitFor(
      `catalog ingestion (fleet listing ${[...wanted].join(', ')})`,
      60_000,
      async () => {
        const r = await fetch(`${p.backendUrl}/api/serving-health/fleet`, {
          headers: { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(30_000),
        });
        if (!r.ok) {
          throw new Error(`GET /fleet: ${r.status} ${await r.text()}`);
        }
        const body = await r.json();
        seen = body.entries.map((e: { entityRef: string }) => e.entityRef);
        return [...wanted].every(ref => seen.includes(ref));
      },
      () => `; fleet lists: ${seen.join(', ') || 'nothing'}${logContext()}`,
    );
    timings.catalogMs = Date.now() - t2;
    timings.totalMs = Date.now() - t0;
    log(
      `stack ready in ${timings.totalMs} ms (clusters ${timings.clustersMs}, portal ${timings.portalMs}, catalog ${timings.catalogMs})`,
    );
    return {
      demo,
      portal: p,
      token,
      timings,
      stop: async () => {
        await p.stop();
        await demo.stop();
      },
    };
  } catch (e) {
    await portal?.stop();
    await demo.stop();
    throw e;
  }
}
