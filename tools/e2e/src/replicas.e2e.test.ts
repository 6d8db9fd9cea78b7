import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  KubeProxy,
  ProxiedRequest,
  startKubeProxy,
  testEnvServingCert,
} from '@internal/fault-proxy';
import {
  freePort,
  listScenarios,
  startTestEnv,
  TestEnv,
} from '@internal/testenv';
import YAML from 'yaml';
import {
  ANSI_COLOUR,
  artifactsDir,
  Guarded,
  guestToken,
  portalAppConfig,
  repoRoot,
  spawnBackend,
  waitBackendReady,
  waitFor,
} from './portal';

/**
 * Scale-out: two processes of the portal backend (packages/backend) on one PostgreSQL (catalog, auth keys,
 * scheduler, history) and one Redis (`backend.cache`, so the reports), each reaching the same testenv through its
 * own counting proxy, so what each replica asks the cluster is counted apart. Proves that a report one replica made
 * is served by the other without new reads, and that the scheduled fleet triage runs once per interval across both.
 * PostgreSQL and Redis come from scripts/with-postgres.sh and scripts/with-redis.sh (scripts/test-all.sh nests both).
 */
jest.setTimeout(480_000);

const workDir = path.join(artifactsDir, 'e2e', 'replicas');
const ENTITY = 'fraud-detector';
/** The scheduled fleet triage's period; the steady state lasts STEADY_INTERVALS of them. */
const FREQUENCY_S = 3;
const STEADY_INTERVALS = 10;

const redisUrl = process.env.SERVING_HEALTH_TEST_REDIS;
const postgresId = process.env.SERVING_HEALTH_TEST_POSTGRES;
// As @backstage/backend-test-utils' TestDatabases names it: POSTGRES_15 -> ..._POSTGRES15_CONNECTION_STRING.
const postgresUrl = postgresId
  ? process.env[
      `BACKSTAGE_TEST_DATABASE_${postgresId.replace(
        /_/g,
        '',
      )}_CONNECTION_STRING`
    ]
  : undefined;
const haveServices = Boolean(redisUrl && postgresUrl);

const log = (line: string) => process.stderr.write(`[replicas] ${line}\n`);
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

type Phase = 'start' | 'sharing' | 'steady';
const PHASES: Phase[] = ['start', 'sharing', 'steady'];

interface Replica {
  name: 'A' | 'B';
  url: string;
  proxy: KubeProxy;
  backend?: Guarded;
  /** index into proxy.requests() where each phase began */
  marks: Partial<Record<Phase, number>>;
  served: Record<Phase, number>;
}

interface FleetRun {
  replica: 'A' | 'B';
  start: number;
  end: number;
}

const isWatch = (r: ProxiedRequest) => /[?&]watch=(1|true)\b/.test(r.path);
const isList = (r: ProxiedRequest) => r.list && !isWatch(r);

/** Every fleet run a replica logged: its end is the log line's time, its start that minus the run's `ms`. */
function fleetRuns(r: Replica): FleetRun[] {
  if (!r.backend) return [];
  const text = fs
    .readFileSync(r.backend.logFile, 'utf8')
    .replace(ANSI_COLOUR, '');
  const runs: FleetRun[] = [];
  for (const m of text.matchAll(
    /^(\S+Z) serving-health info Serving Health fleet triage done .*\bms=(\d+)/gm,
  )) {
    const end = Date.parse(m[1]);
    runs.push({ replica: r.name, start: end - Number(m[2]), end });
  }
  return runs;
}

const describeWithServices = haveServices ? describe : describe.skip;
if (!haveServices) {
  const why =
    'needs PostgreSQL and Redis: run it under scripts/with-postgres.sh and scripts/with-redis.sh (scripts/test-all.sh does)';
  if (process.env.CI) {
    // In CI a missing server is a broken wrapper, not a reason to pass.
    it('two backend replicas on one PostgreSQL and one Redis', () => {
      log(why);
      expect({
        postgres: Boolean(postgresUrl),
        redis: Boolean(redisUrl),
      }).toEqual({ postgres: true, redis: true });
    });
  } else {
    log(`skipped: ${why}`);
  }
}

describeWithServices(
  'two backend replicas on one PostgreSQL and one Redis',
  () => {
    let env: TestEnv;
    let token: string;
    const replicas: Replica[] = [];
    const results: Record<string, unknown> = {};

    const mark = (phase: Phase) => {
      for (const r of replicas) r.marks[phase] = r.proxy.requests().length;
    };
    const requestsIn = (r: Replica, phase: Phase) => {
      const i = PHASES.indexOf(phase);
      const from = r.marks[phase];
      if (from === undefined) return [];
      const next = PHASES.slice(i + 1)
        .map(p => r.marks[p])
        .find(m => m !== undefined);
      return r.proxy.requests().slice(from, next);
    };
    const context = () =>
      replicas
        .filter(r => r.backend)
        .map(
          r =>
            `\n--- replica ${r.name} (${path.relative(
              repoRoot,
              r.backend!.logFile,
            )}), last lines ---\n${r.backend!.logTail(30)}`,
        )
        .join('');

    async function report(r: Replica, phase: Phase, refresh = false) {
      const res = await fetch(
        `${
          r.url
        }/api/serving-health/entities/default/component/${ENTITY}/report${
          refresh ? '?refresh=true' : ''
        }`,
        {
          headers: { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(30_000),
        },
      );
      if (!res.ok)
        throw new Error(
          `GET report from replica ${r.name}: ${
            res.status
          } ${await res.text()}${context()}`,
        );
      r.served[phase] += 1;
      return res.json();
    }

    beforeAll(async () => {
      fs.rmSync(workDir, { recursive: true, force: true });
      fs.mkdirSync(workDir, { recursive: true });
      env = await startTestEnv({ scenario: 'healthy' });
      const scenario = listScenarios().find(s => s.name === 'healthy')!;
      const catalogFile = path.join(scenario.dir, 'catalog-info.yaml');
      const owners = YAML.parseAllDocuments(
        fs.readFileSync(catalogFile, 'utf8'),
      ).map(d => String(d.toJS().spec.owner));
      // A run of its own in the shared servers: nothing left from another run is read.
      const run = randomBytes(4).toString('hex');
      for (const name of ['A', 'B'] as const) {
        replicas.push({
          name,
          url: '',
          proxy: await startKubeProxy({
            target: env.url,
            ca: env.caData,
            ...testEnvServingCert(env.dataDir),
          }),
          marks: {},
          served: { start: 0, sharing: 0, steady: 0 },
        });
      }
      mark('start');
      // One after the other: the first creates the databases and runs the migrations the second finds done.
      for (const r of replicas) {
        const backendPort = await freePort();
        r.url = `http://localhost:${backendPort}`;
        const portalConfig = path.join(
          workDir,
          `app-config.e2e.${r.name}.yaml`,
        );
        fs.writeFileSync(
          portalConfig,
          portalAppConfig({ appPort: await freePort(), backendPort }),
        );
        const configFile = path.join(workDir, `app-config.${r.name}.yaml`);
        fs.writeFileSync(
          configFile,
          YAML.stringify({
            backend: {
              database: {
                client: 'pg',
                connection: postgresUrl,
                prefix: `replicas_${run}_`,
              },
              cache: {
                store: 'redis',
                connection: redisUrl,
                redis: { client: { namespace: `replicas-${run}` } },
              },
            },
            catalog: { locations: [{ type: 'file', target: catalogFile }] },
            servingHealth: {
              clusters: [
                {
                  name: env.name,
                  url: r.proxy.url,
                  serviceAccountToken: env.tokens.reader,
                  caData: Buffer.from(env.caData).toString('base64'),
                },
              ],
              namespaceOwners: [{ namespace: '*', owners }],
              schedule: {
                frequency: { seconds: FREQUENCY_S },
                timeout: { seconds: 60 },
                initialDelay: { seconds: 1 },
              },
              notifications: { enabled: false },
            },
          }),
          { mode: 0o600 },
        );
        r.backend = spawnBackend({
          name: `replica ${r.name}`,
          configPaths: [
            path.join(repoRoot, 'app-config.yaml'),
            configFile,
            portalConfig,
          ],
          logFile: path.join(workDir, `backend-${r.name}.log`),
        });
        const ms = await waitBackendReady(r.backend, r.url, 180_000, context);
        log(`replica ${r.name} (${r.url}) ready ${ms} ms after its start`);
      }
      // One token for both, as behind a load balancer: B verifies what A's auth backend signed.
      token = await guestToken(replicas[0].url, context);
      await Promise.all(
        replicas.map(r =>
          waitFor(
            `catalog ingestion seen by replica ${r.name}`,
            60_000,
            async () =>
              (
                await fetch(
                  `${r.url}/api/catalog/entities/by-name/component/default/${ENTITY}`,
                  { headers: { authorization: `Bearer ${token}` } },
                )
              ).ok,
            context,
          ),
        ),
      );
      await waitFor(
        'the first scheduled fleet triage',
        60_000,
        async () => replicas.some(r => fleetRuns(r).length > 0),
        context,
      );
    });

    afterAll(async () => {
      const table = replicas.map(r => ({
        replica: r.name,
        ...Object.fromEntries(
          PHASES.map(p => {
            const reqs = requestsIn(r, p);
            return [
              p,
              {
                requests: reqs.length,
                lists: reqs.filter(isList).length,
                watches: reqs.filter(isWatch).length,
                reportsServed: r.served[p],
              },
            ];
          }),
        ),
        fleetRunsTotal: fleetRuns(r).length,
      }));
      const lines = [
        'replica | phase   | requests | LISTs | WATCHes | reports served',
        ...table.flatMap(row =>
          PHASES.map(
            p =>
              `${row.replica.padEnd(7)} | ${p.padEnd(7)} | ${String(
                (row as any)[p].requests,
              ).padStart(8)} | ${String((row as any)[p].lists).padStart(
                5,
              )} | ${String((row as any)[p].watches).padStart(7)} | ${String(
                (row as any)[p].reportsServed,
              ).padStart(14)}`,
          ),
        ),
        ...table.map(
          row =>
            `replica ${row.replica}: ${row.fleetRunsTotal} fleet runs in all`,
        ),
      ];
      log(`counts at each replica's proxy:\n${lines.join('\n')}`);
      fs.mkdirSync(artifactsDir, { recursive: true });
      fs.writeFileSync(
        path.join(artifactsDir, 'replicas.json'),
        `${JSON.stringify(
          { frequencySeconds: FREQUENCY_S, replicas: table, ...results },
          null,
          2,
        )}\n`,
      );
      await Promise.all(replicas.map(r => r.backend?.stop()));
      await Promise.all(replicas.map(r => r.proxy.close()));
      await env?.stop();
    });

    it("a report made on A is served by B as is, with no read of B's beyond its own watch warm-up", async () => {
      const [a, b] = replicas;
      mark('sharing');
      for (let attempt = 1; ; attempt += 1) {
        const t0 = Date.now();
        const bFrom = b.proxy.requests().length;
        const listedBefore = new Set(
          b.proxy
            .requests()
            .slice(0, bFrom)
            .filter(isList)
            .map(r => r.path.split('?')[0]),
        );
        // Made on A now, whatever the cache held.
        const fromA = await report(a, 'sharing', true);
        const fromB = await report(b, 'sharing');
        const t1 = Date.now();
        const duringB = b.proxy.requests().slice(bFrom);
        // A scheduled run in between writes a newer report of the entity: wait for the next run to start after
        // this pair (runs never overlap: the test below proves it), then see whether one touched the pair.
        await waitFor(
          'a scheduled fleet triage after the pair of reports',
          60_000,
          async () => replicas.flatMap(fleetRuns).some(run => run.start > t1),
          context,
        );
        const overlapping = replicas
          .flatMap(fleetRuns)
          .filter(run => run.start <= t1 && run.end >= t0);
        if (overlapping.length > 0 && attempt < 5) {
          log(
            `pair ${attempt} overlapped a scheduled run on ${overlapping
              .map(o => o.replica)
              .join(', ')}: again`,
          );
          continue;
        }
        expect(overlapping).toEqual([]);
        const warmUpLists = duringB.filter(
          r => isList(r) && !listedBefore.has(r.path.split('?')[0]),
        );
        const other = duringB.filter(
          r => !isWatch(r) && !warmUpLists.includes(r) && r.path !== '/version',
        );
        results.sharing = {
          attempts: attempt,
          generatedAtA: fromA.generatedAt,
          generatedAtB: fromB.generatedAt,
          bRequestsDuringItsReport: duringB.length,
          bWarmUpLists: warmUpLists.length,
          bOtherRequests: other.map(r => `${r.method} ${r.path}`),
        };
        log(
          `sharing: A made the report at ${fromA.generatedAt}; B served ${fromB.generatedAt}; B sent ${duringB.length} requests meanwhile (${warmUpLists.length} first LISTs of its own watch, ${other.length} other reads)`,
        );
        expect(fromB.generatedAt).toBe(fromA.generatedAt);
        expect(fromB).toEqual(fromA);
        expect(other.map(r => `${r.method} ${r.path}`)).toEqual([]);
        break;
      }
      // Each replica lists each collection once, ever: its watch keeps it.
      for (const r of replicas) {
        const listed = r.proxy
          .requests()
          .filter(isList)
          .map(q => q.path.split('?')[0]);
        expect(listed.length).toBe(new Set(listed).size);
      }
    });

    it('one scheduled fleet triage per interval across both replicas, never two at once', async () => {
      mark('steady');
      const t0 = Date.now();
      const windowMs = STEADY_INTERVALS * FREQUENCY_S * 1000;
      // Both serve reports meanwhile, as behind a load balancer.
      let i = 0;
      while (Date.now() - t0 < windowMs) {
        await report(replicas[i % 2], 'steady');
        i += 1;
        await sleep(500);
      }
      const t1 = Date.now();
      const all = replicas.flatMap(fleetRuns).sort((x, y) => x.start - y.start);
      const inWindow = all.filter(run => run.end >= t0 && run.end <= t1);
      const perReplica = Object.fromEntries(
        replicas.map(r => [
          r.name,
          inWindow.filter(run => run.replica === r.name).length,
        ]),
      );
      const overlaps = all.filter(
        (run, k) => k > 0 && run.start < all[k - 1].end,
      );
      results.fleet = {
        windowSeconds: Math.round((t1 - t0) / 1000),
        intervals: STEADY_INTERVALS,
        runsInWindow: inWindow.length,
        perReplica,
        runsInAll: all.length,
        overlaps: overlaps.length,
      };
      log(
        `fleet: ${inWindow.length} scheduled runs in ${Math.round(
          (t1 - t0) / 1000,
        )} s (${STEADY_INTERVALS} intervals of ${FREQUENCY_S} s; A ${
          perReplica.A
        }, B ${perReplica.B}); ${all.length} runs in all, ${
          overlaps.length
        } overlapping`,
      );
      // About one per interval, not one per interval per replica.
      expect(inWindow.length).toBeGreaterThanOrEqual(2);
      expect(inWindow.length).toBeLessThanOrEqual(STEADY_INTERVALS + 1);
      expect(overlaps).toEqual([]);
      // Reports and runs come from the watches: nothing is listed again in the steady state.
      for (const r of replicas)
        expect(requestsIn(r, 'steady').filter(isList)).toEqual([]);
    });

    it('when the replica that ran them stops, the other takes the scheduled runs over', async () => {
      const all = replicas.flatMap(fleetRuns);
      const runner = replicas.find(
        r => r.name === all.sort((x, y) => y.end - x.end)[0].replica,
      )!;
      const other = replicas.find(r => r !== runner)!;
      const before = fleetRuns(other).length;
      await runner.backend!.stop();
      const stoppedAt = Date.now();
      // A run cut off by the stop keeps the task until its timeout (60 s); a stop between runs frees it at once.
      const ms = await waitFor(
        `a scheduled fleet triage on replica ${other.name} after ${runner.name} stopped`,
        120_000,
        async () => fleetRuns(other).length > before,
        context,
      );
      results.failover = {
        stopped: runner.name,
        takenOverBy: other.name,
        msToFirstRun: Date.now() - stoppedAt,
      };
      log(
        `failover: replica ${runner.name} stopped; ${other.name} ran the fleet triage ${ms} ms later`,
      );
      expect(fleetRuns(other).length).toBeGreaterThan(before);
    });
  },
);
