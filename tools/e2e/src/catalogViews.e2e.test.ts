/**
 * Serving Health where teams browse the catalog: the catalog table's "Serving health" column and sidebar
 * filter, and the endpoints card of Group and System pages, in the real portal (real backend and database,
 * the testenv's kube-apiservers, Debian's Chromium). The catalog holds the demo's endpoints plus generated
 * ones up to 50, so one table page shows 50 endpoints; the test counts what that page costs the backend.
 *
 * Run: yarn workspace @internal/e2e test:e2e -t 'catalog views'   (screenshots: artifacts/screenshots/)
 */
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { listScenarios, scenariosDir } from '@internal/testenv';
import { FleetEntry } from '@serving-health/plugin-serving-health-common';
import { Browser, Page, Request } from 'playwright-core';
import YAML from 'yaml';
import { launchChromium } from './browser';
import { artifactsDir, repoRoot, waitFor } from './portal';
import { expectedEntities, Stack, startStack } from './stack';

const PAGE_ROWS = 50;
const SETUP_TIMEOUT_MS = 240_000 + 15 * 60_000;
const TEST_TIMEOUT_MS = 120_000;
const workDir = path.join(artifactsDir, 'e2e', 'catalog-views');
const screenshotsDir = path.join(artifactsDir, 'screenshots');
const SEVERITY: Record<string, number> = {
  healthy: 0,
  unknown: 1,
  degraded: 2,
  failing: 3,
};
const GROUP = 'group:default/team-risk';
const SYSTEM = 'system:default/risk-scoring';

let stack: Stack | undefined;
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];
/** What the test measured, written to artifacts/catalog-views.json. */
const measured: Record<string, unknown> = {};

const log = (line: string) => process.stderr.write(`[e2e catalog] ${line}\n`);

/** The model endpoints of the demo catalog (every scenario's catalog-info.yaml). */
function demoEndpointCount(): number {
  return listScenarios()
    .flatMap(s =>
      YAML.parseAllDocuments(
        fs.readFileSync(
          path.join(scenariosDir, s.name, 'catalog-info.yaml'),
          'utf8',
        ),
      ).map(d => d.toJS()),
    )
    .filter(e => e?.kind === 'Component' && e.spec?.type === 'model-endpoint')
    .length;
}

/**
 * The repo's catalog plus generated endpoints (InferenceServices that do not exist on the healthy cluster, so
 * their triage really runs and fails at the app stage) up to one page of 50.
 */
function writeCatalogConfig(extra: number): string {
  const file = path.join(workDir, 'more-endpoints.yaml');
  fs.writeFileSync(
    file,
    Array.from({ length: extra }, (_, i) =>
      YAML.stringify({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: `load-endpoint-${String(i + 1).padStart(2, '0')}`,
          annotations: {
            'serving.kserve.io/inferenceservice': `models/load-endpoint-${
              i + 1
            }`,
            'backstage.io/kubernetes-cluster': 'healthy',
          },
        },
        spec: {
          type: 'model-endpoint',
          lifecycle: 'experimental',
          owner: 'team-ml-platform',
        },
      }),
    ).join('---\n'),
  );
  const config = path.join(workDir, 'app-config.catalog.yaml');
  fs.writeFileSync(
    config,
    YAML.stringify({
      catalog: {
        locations: [
          { type: 'file', target: path.join(repoRoot, 'catalog-info.yaml') },
          { type: 'file', target: file },
        ],
      },
    }),
  );
  return config;
}

async function backendGet<T>(urlPath: string): Promise<T> {
  const res = await fetch(`${stack!.portal.backendUrl}${urlPath}`, {
    headers: { Authorization: `Bearer ${stack!.token}` },
    signal: AbortSignal.timeout(60_000),
  });
  if (!res.ok) throw new Error(`GET ${urlPath}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Loads a page of the app from scratch (nothing cached in the browser), signing in as Guest when asked. */
async function load(urlPath: string) {
  await page.goto(`${stack!.portal.appUrl}${urlPath}`, {
    waitUntil: 'domcontentloaded',
  });
  const enter = page.getByRole('button', { name: /^enter$/i });
  const app = page.locator('main');
  await enter.or(app).first().waitFor({ state: 'visible' });
  if (await enter.isVisible()) await enter.click();
  await app.first().waitFor({ state: 'visible' });
}

/** The catalog's own query string: components of type model-endpoint, everyone's. */
const CATALOG_PATH =
  '/catalog?filters%5Bkind%5D=component&filters%5Btype%5D=model-endpoint&filters%5Buser%5D=all';

const cells = () => page.getByTestId('serving-health-cell');

/** Waits until every endpoint row of the table shows its summary (none loading). */
async function cellsSettled(count: number) {
  let seen = '';
  await waitFor(
    `${count} Serving health cells`,
    90_000,
    async () => {
      const shown = await cells().count();
      const loading = await page
        .getByTestId('serving-health-cell-loading')
        .count();
      const errors = await page
        .getByTestId('serving-health-cell-error')
        .allInnerTexts();
      seen = `; cells shown: ${shown}, loading: ${loading}, errors: ${errors.join(
        ' | ',
      )}`;
      return loading === 0 && shown === count;
    },
    () => seen,
  );
}

/** Axe on our parts of the page; the serious and critical violations, described. */
async function axeSerious(where: string, selectors: string[]) {
  let builder = new AxeBuilder({ page });
  for (const s of selectors) builder = builder.include(s);
  const { violations } = await builder.analyze();
  const serious = violations.filter(
    v => v.impact === 'serious' || v.impact === 'critical',
  );
  measured[`axe ${where}`] = violations.map(
    v => `${v.impact} ${v.id} (${v.nodes.length})`,
  );
  return serious.map(v => `${where}: ${v.impact} ${v.id}: ${v.help}`);
}

/** Backstage scrolls inside <main>: a tall window shows the whole table in one screenshot. */
async function shoot(name: string) {
  const height = await page.evaluate(() => {
    const main = document.querySelector('main');
    return main ? main.scrollHeight + main.getBoundingClientRect().top : 900;
  });
  await page.setViewportSize({
    width: 1440,
    height: Math.min(Math.max(900, Math.ceil(height)), 8000),
  });
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });
  await page.setViewportSize({ width: 1440, height: 900 });
}

beforeAll(async () => {
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const extra = Math.max(0, PAGE_ROWS - demoEndpointCount());
  measured.generatedEndpoints = extra;
  const [started, launched] = await Promise.allSettled([
    startStack(expectedEntities(), {
      extraConfigPaths: [writeCatalogConfig(extra)],
    }),
    launchChromium(),
  ]);
  if (started.status === 'fulfilled') stack = started.value;
  if (launched.status === 'fulfilled') browser = launched.value;
  if (started.status === 'rejected') throw started.reason;
  if (launched.status === 'rejected') throw launched.reason;
  await waitFor('the generated endpoints in the catalog', 60_000, async () => {
    const { totalItems } = await backendGet<{ totalItems: number }>(
      '/api/catalog/entities/by-query?filter=kind=component,spec.type=model-endpoint&limit=0',
    );
    return totalItems >= PAGE_ROWS;
  });
  const context = await browser!.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  // The dev server's live reload would reload pages whenever anyone edits a source file.
  await context.routeWebSocket(/\/ws$/, () => {});
  context.setDefaultTimeout(30_000);
  page = await context.newPage();
  page.on('pageerror', err => pageErrors.push(err.message));
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  fs.mkdirSync(artifactsDir, { recursive: true });
  fs.writeFileSync(
    path.join(artifactsDir, 'catalog-views.json'),
    `${JSON.stringify(measured, null, 2)}\n`,
  );
  await browser?.close().catch(() => {});
  await stack?.stop();
}, 60_000);

afterEach(async () => {
  if (pageErrors.length) {
    const errors = pageErrors.splice(0);
    throw new Error(`the page threw: ${errors.join('\n')}`);
  }
});

describe('catalog views', () => {
  it(
    'shows a page of 50 endpoints with their Serving health for one backend request of the plugin',
    async () => {
      const requests: Request[] = [];
      const backend = stack!.portal.backendUrl;
      page.on('request', r => {
        if (r.url().startsWith(`${backend}/api/`)) requests.push(r);
      });
      await load(CATALOG_PATH);
      await cellsSettled(PAGE_ROWS);
      page.removeAllListeners('request');

      const ours = requests.filter(r =>
        r.url().startsWith(`${backend}/api/serving-health/`),
      );
      measured.catalogPage = {
        endpointsShown: PAGE_ROWS,
        servingHealthRequests: ours.map(
          r => `${r.method()} ${new URL(r.url()).pathname}`,
        ),
        allBackendRequests: requests.map(
          r => `${r.method()} ${new URL(r.url()).pathname}`,
        ),
      };
      log(
        `one catalog page of ${PAGE_ROWS} endpoints: ${JSON.stringify(
          measured.catalogPage,
        )}`,
      );
      // One POST for the page, naming each of its 50 endpoints.
      expect(
        ours.map(r => `${r.method()} ${new URL(r.url()).pathname}`),
      ).toEqual(['POST /api/serving-health/summaries']);
      const body = JSON.parse(ours[0].postData() ?? '{}');
      expect(new Set(body.entityRefs).size).toBe(PAGE_ROWS);

      // Each cell shows what the backend answered for that entity.
      const answer = (await (await ours[0].response())!.json()) as {
        entries: FleetEntry[];
      };
      measured.catalogPage = {
        ...(measured.catalogPage as object),
        answered: answer.entries.length,
        notTriaged: answer.entries
          .filter(e => e.error)
          .map(e => `${e.entityRef}: ${e.error}`),
      };
      const shown = await cells().evaluateAll(els =>
        els.map(el => ({
          status: el.getAttribute('data-status'),
          modes: [...el.querySelectorAll('[data-failure-mode]')].map(m =>
            m.getAttribute('data-failure-mode'),
          ),
        })),
      );
      expect(shown.map(s => s.status).sort()).toEqual(
        answer.entries.map(e => e.overall).sort(),
      );
      expect(shown.flatMap(s => s.modes).sort()).toEqual(
        answer.entries.flatMap(e => e.failureModes).sort(),
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'sorts the page by Serving health, worst first, without asking the backend again',
    async () => {
      let asked = 0;
      page.on('request', r => {
        if (r.url().includes('/api/serving-health/')) asked += 1;
      });
      // The header's sort button (material-table also makes the header a drag handle, also a button).
      const header = page.locator('[class*="MuiTableSortLabel-root"]', {
        hasText: /^Serving health$/,
      });
      await header.click(); // ascending
      await header.click(); // descending: worst first
      const statuses = await cells().evaluateAll(els =>
        els.map(el => el.getAttribute('data-status') ?? ''),
      );
      page.removeAllListeners('request');
      expect(statuses[0]).toBe('failing');
      const ranks = statuses.map(s => SEVERITY[s]);
      expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
      expect(asked).toBe(0);
      await shoot('catalog-serving-health-column');
      expect(
        await axeSerious('catalog column', [
          '[data-testid="serving-health-cell"]',
        ]),
      ).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "filters by status and failure mode, composed with the catalog's own filters",
    async () => {
      const fleet = await backendGet<{ entries: FleetEntry[] }>(
        '/api/serving-health/fleet',
      );
      // The failure mode most endpoints share, so the filter has something to show.
      const modeCounts = new Map<string, number>();
      for (const e of fleet.entries.filter(x => x.overall === 'failing')) {
        for (const m of e.failureModes)
          modeCounts.set(m, (modeCounts.get(m) ?? 0) + 1);
      }
      const [mode] = [...modeCounts.entries()].sort((a, b) => b[1] - a[1])[0];
      const wanted = fleet.entries
        .filter(
          e => e.overall === 'failing' && e.failureModes.includes(mode as any),
        )
        .map(e => e.entityRef)
        .sort();
      expect(wanted.length).toBeGreaterThan(0);

      await page
        .getByTestId('serving-health-filter-status')
        .selectOption('failing');
      await page
        .getByTestId('serving-health-filter-failure-mode')
        .selectOption(mode);
      await waitFor('the filtered table', 60_000, async () => {
        const statuses = await cells().evaluateAll(els =>
          els.map(el => el.getAttribute('data-status')),
        );
        return (
          statuses.length === wanted.length &&
          statuses.every(s => s === 'failing')
        );
      });
      const rows = await cells().evaluateAll(els =>
        els.map(el => ({
          modes: [...el.querySelectorAll('[data-failure-mode]')].map(m =>
            m.getAttribute('data-failure-mode'),
          ),
        })),
      );
      expect(rows.every(r => r.modes.includes(mode))).toBe(true);
      // The selection is in the URL, as the catalog keeps its own filters.
      const url = decodeURIComponent(page.url());
      expect([
        url.includes('servingHealth'),
        url.includes('status:failing'),
      ]).toEqual([true, true]);
      measured.filter = {
        status: 'failing',
        failureMode: mode,
        rows: wanted.length,
      };
      await shoot('catalog-serving-health-filter');
      expect(
        await axeSerious('catalog filter', [
          '[data-testid="serving-health-picker"]',
          '[data-testid="serving-health-cell"]',
        ]),
      ).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it.each([
    ['Group', GROUP, (e: FleetEntry) => e.owner === GROUP],
    ['System', SYSTEM, undefined],
  ])(
    'lists the model endpoints of a %s page worst first, linking to each tab',
    async (kind, ref, belongs) => {
      const [, namespace, name] = /^[^:]+:([^/]+)\/(.+)$/.exec(ref)!;
      const fleet = await backendGet<{ entries: FleetEntry[] }>(
        '/api/serving-health/fleet',
      );
      // The System's parts come from the catalog (spec.system), the Group's from the fleet's owners.
      const parts = belongs
        ? undefined
        : new Set(
            (
              await backendGet<{
                items: {
                  kind: string;
                  metadata: { namespace: string; name: string };
                }[];
              }>(
                `/api/catalog/entities/by-query?filter=relations.partOf=${encodeURIComponent(
                  ref,
                )}&fields=kind,metadata.namespace,metadata.name`,
              )
            ).items.map(
              e =>
                `${e.kind.toLocaleLowerCase('en-US')}:${e.metadata.namespace}/${
                  e.metadata.name
                }`,
            ),
          );
      const wanted = fleet.entries.filter(e =>
        belongs ? belongs(e) : parts!.has(e.entityRef),
      );
      expect(wanted.length).toBeGreaterThan(1);

      await load(
        `/catalog/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`,
      );
      const rows = page.getByTestId('serving-health-endpoint-row');
      await waitFor(
        `the ${kind} card`,
        60_000,
        async () => (await rows.count()) === wanted.length,
      );
      const shown = await rows.evaluateAll(els =>
        els.map(el => ({
          ref: el.getAttribute('data-entity-ref'),
          status: el.getAttribute('data-status'),
          link: el.querySelector('a')?.getAttribute('href'),
        })),
      );
      expect(shown.map(s => s.ref).sort()).toEqual(
        wanted.map(e => e.entityRef).sort(),
      );
      const ranks = shown.map(s => SEVERITY[s.status ?? '']);
      expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
      for (const s of shown) {
        const [, ns, n] = /^[^:]+:([^/]+)\/(.+)$/.exec(s.ref!)!;
        expect(s.link).toBe(`/catalog/${ns}/component/${n}/serving-health`);
      }
      const card = page.getByTestId('serving-health-endpoints-card');
      await card.scrollIntoViewIfNeeded();
      await shoot(`${kind.toLocaleLowerCase('en-US')}-serving-health-card`);
      expect(
        await axeSerious(`${kind} card`, [
          '[data-testid="serving-health-endpoints-card"]',
        ]),
      ).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
