import fs from 'node:fs';
import path from 'node:path';
import {
  buildApiServer,
  DemoClusters,
  expectedOverall,
  listScenarios,
  startDemoClusters,
} from '@internal/testenv';
import {
  artifactsDir,
  createPortal,
  guestToken,
  Portal,
  waitFor,
} from './portal';

/** One demo entity and what its scenario says the triage must find. */
export interface ExpectedEntity {
  scenario: string;
  /** e.g. component:default/credit-scoring */
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  failureModes: string[];
  /** healthy, degraded (a warning, no failure mode) or failing */
  overall: 'healthy' | 'degraded' | 'failing';
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
        overall: expectedOverall(e),
      };
    }),
  );
}

export interface Stack {
  demo: DemoClusters;
  portal: Portal;
  /** a guest user's Backstage token, for reading the backend API from the test */
  token: string;
  timings: {
    /** every kube-apiserver up and loaded */
    clustersMs: number;
    /** frontend spawn to its index served (compiled) */
    frontendMs: number;
    /** backend spawn to /api/serving-health/health answering */
    backendMs: number;
    /** backend ready to the fleet listing every expected entity */
    catalogMs: number;
    totalMs: number;
  };
  stop(): Promise<void>;
}

const log = (line: string) => process.stderr.write(`[e2e] ${line}\n`);

export const e2eDir = path.join(artifactsDir, 'e2e');

/**
 * The whole portal on the real testenv: one kube-apiserver per scenario, the
 * backend (real better-sqlite3 database) and the frontend dev server, with
 * the repo's catalog (which registers every scenario's catalog-info.yaml, as
 * `yarn demo` does). The frontend compiles while
 * the clusters start. Resolves once the fleet endpoint lists every expected
 * entity (the catalog has ingested them); on failure, stops what it started
 * and throws with the portal's log tail.
 */
export async function startStack(
  expected: ExpectedEntity[],
  options: {
    /** everything must be up within this; each wait gets what is left */
    budgetMs?: number;
    /** more backend config on top of the demo's (e.g. a larger catalog) */
    extraConfigPaths?: string[];
  } = {},
): Promise<Stack> {
  const budgetMs = options.budgetMs ?? 240_000;
  // Once, before the clusters start two at a time: two builds in one process
  // would race on the same temporary file. Not part of the budget: a cold
  // build takes minutes, an up-to-date binary milliseconds.
  const build = await buildApiServer({ log });
  if (build.built) {
    log(`built the testenv apiserver in ${build.ms} ms`);
  }
  const t0 = Date.now();
  const left = () => Math.max(5_000, budgetMs - (Date.now() - t0));
  fs.mkdirSync(e2eDir, { recursive: true });
  const portal = await createPortal({ workDir: e2eDir });
  let demo: DemoClusters | undefined;
  try {
    const starting = startDemoClusters({
      appConfigPath: path.join(e2eDir, 'app-config.demo.yaml'),
      log,
    });
    let timer: NodeJS.Timeout | undefined;
    const clustersBudget = left() - 60_000;
    demo = await Promise.race([
      starting,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          // Whatever still comes up is stopped once it does.
          starting.then(d => d.stop()).catch(() => {});
          reject(
            new Error(
              `the demo clusters were not up after ${Math.round(
                clustersBudget / 1000,
              )} s (is the machine overloaded? see the [e2e] cluster lines above)`,
            ),
          );
        }, clustersBudget);
      }),
    ]).finally(() => clearTimeout(timer));
    const clustersMs = Date.now() - t0;
    portal.startBackend([
      demo.appConfigPath,
      ...(options.extraConfigPaths ?? []),
    ]);
    const { backendMs, frontendMs } = await portal.waitReady(left());
    log(
      `portal ready: backend ${backendMs} ms after its start, frontend ${frontendMs} ms after its start`,
    );
    const logContext = () => `\n${portal.logTail()}`;

    const t2 = Date.now();
    const token = await guestToken(portal.backendUrl, logContext);

    // The catalog ingests the file locations asynchronously.
    const wanted = new Set(expected.map(e => e.entityRef));
    let seen: string[] = [];
    await waitFor(
      `catalog ingestion (fleet listing ${[...wanted].join(', ')})`,
      Math.min(60_000, left()),
      async () => {
        const r = await fetch(`${portal.backendUrl}/api/serving-health/fleet`, {
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
      () =>
        `; fleet lists: ${seen.join(', ') || 'nothing'}; missing: ${[...wanted]
          .filter(ref => !seen.includes(ref))
          .join(
            ', ',
          )} (is each scenario's catalog-info.yaml a target of the Location in catalog-info.yaml?)${logContext()}`,
    );
    const timings = {
      clustersMs,
      frontendMs,
      backendMs,
      catalogMs: Date.now() - t2,
      totalMs: Date.now() - t0,
    };
    log(
      `stack ready in ${timings.totalMs} ms (clusters ${clustersMs}, backend ${backendMs} after the clusters, catalog ${timings.catalogMs}; frontend ${frontendMs} in parallel)`,
    );
    const running = demo;
    return {
      demo: running,
      portal,
      token,
      timings,
      stop: async () => {
        await portal.stop();
        await running.stop();
      },
    };
  } catch (e) {
    await portal.stop();
    await demo?.stop();
    throw e;
  }
}
