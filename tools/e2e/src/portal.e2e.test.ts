/**
 * Browser tests of the Serving Health UI against the running portal and the
 * real testenv: one kube-apiserver per scenario, the real backend and the
 * frontend dev server, driven by Debian's Chromium through playwright-core.
 *
 * Run: yarn workspace @internal/e2e test:e2e   (screenshots: artifacts/screenshots/)
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  FAILURE_MODES,
  FailureModeId,
  FleetSummary,
  TriageReport,
} from '@serving-health/plugin-serving-health-common';
import AxeBuilder from '@axe-core/playwright';
import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { artifactsDir } from './portal';
import { ExpectedEntity, expectedEntities, Stack, startStack } from './stack';

/** Our own deadline for the portal, shorter than Jest's so our message (with the logs) is the one shown. */
const STACK_BUDGET_MS = 240_000;
/** Jest's: the budget, plus a build of the testenv apiserver if its sources changed (minutes when cold). */
const SETUP_TIMEOUT_MS = STACK_BUDGET_MS + 15 * 60_000;
const TEST_TIMEOUT_MS = 60_000;
const UI_TIMEOUT_MS = 30_000;

const screenshotsDir = path.join(artifactsDir, 'screenshots');

const STAGES = [
  'environment',
  'control-plane',
  'logs',
  'webhooks',
  'stale-webhooks',
  'app',
];

/**
 * The stage each demo entity's triage must stop at: the first stage with a
 * failing check, which is not always the stage of the failure mode's own
 * check (KServe's controller being 1/2 ready fails control-plane before the
 * webhook stage names webhook-no-endpoints). Entities of scenarios added
 * later are checked for consistency only.
 */
const EXPECTED_FAILING_STAGE: Record<string, string> = {
  'churn-predictor': 'app',
  'credit-scoring': 'control-plane',
  'image-classifier': 'webhooks',
  'pricing-optimizer': 'control-plane',
  'product-recommender': 'control-plane',
  'speech-to-text': 'webhooks',
  'text-summarizer': 'stale-webhooks',
};

/**
 * The stage `entity` must fail at; for an entity not in the table, or a degraded one (its stage is where it warns),
 * what the UI shows (checked for consistency only).
 */
const expectedStage = (
  entity: ExpectedEntity,
  shown: string | null | undefined,
) =>
  entity.overall === 'healthy'
    ? undefined
    : EXPECTED_FAILING_STAGE[entity.name] ?? shown;

const expected = expectedEntities();
/** Entities with a failure mode: failing, or degraded when the mode's check only warns. */
const withModes = expected.filter(e => e.failureModes.length > 0);
const failing = expected.filter(e => e.overall === 'failing');
/** Failing entities that name a failure mode: what the navigation tests open. */
const failingWithModes = failing.filter(e => e.failureModes.length > 0);
const healthy = expected.filter(e => e.overall === 'healthy');
const allFailureModes = [
  ...new Set(withModes.flatMap(e => e.failureModes)),
].sort();

let stack: Stack | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const suiteStart = Date.now();
const consoleErrors: string[] = [];
/** Responses the browser received that contained a cluster token (there must be none). */
const tokenLeaks: string[] = [];
let clusterTokens: string[] = [];
/** the app is loaded and signed in; open() can navigate inside it */
let appLoaded = false;

const log = (line: string) => process.stderr.write(`[e2e] ${line}\n`);

function portalLog(): string {
  return stack ? `\n${stack.portal.logTail(30)}` : '';
}

/** Runs a test body; on failure saves a screenshot and appends the portal's log tail. */
async function diagnose(name: string, body: () => Promise<void>) {
  consoleErrors.length = 0; // this test's only
  try {
    await body();
    // What the user's browser reported is part of the result: an error there fails the test.
    if (consoleErrors.length) {
      throw new Error(
        `the browser reported errors during the test:\n${consoleErrors
          .slice(0, 10)
          .join('\n')}`,
      );
    }
    if (tokenLeaks.length) {
      throw new Error(
        `a cluster token reached the browser in: ${tokenLeaks.join(', ')}`,
      );
    }
  } catch (e) {
    appLoaded = false; // the next test starts from a fresh page load
    const err = e as Error;
    let shot = '';
    try {
      const file = path.join(screenshotsDir, `FAILED-${name}.png`);
      await page?.screenshot({ path: file, fullPage: true, timeout: 10_000 });
      shot = `\nscreenshot: ${path.relative(process.cwd(), file)}`;
    } catch {
      /* no page */
    }
    const browserErrors = consoleErrors.length
      ? `\n--- browser console errors ---\n${consoleErrors
          .slice(-10)
          .join('\n')}`
      : '';
    err.message += `${shot}${browserErrors}${portalLog()}`;
    throw err;
  }
}

const VIEWPORT = { width: 1440, height: 900 };

/**
 * Backstage scrolls inside <main>, so a plain full-page screenshot stops at
 * the window's height. Grow the window to the content's height, take the
 * page (horizontal overflow included, so it shows), then restore the window.
 * With `top`, also saves what a user sees first (<name>-top.png).
 */
/** Back to the top of the page, as a user opening it sees it (a followed link may have scrolled it). */
const scrollToTop = () =>
  page.evaluate(() => {
    document.querySelector('main')?.scrollTo(0, 0);
    window.scrollTo(0, 0);
  });

async function screenshot(name: string, options: { top?: boolean } = {}) {
  if (options.top) {
    await scrollToTop();
    await page.screenshot({
      path: path.join(screenshotsDir, `${name}-top.png`),
    });
  }
  const height = await page.evaluate(() => {
    const main = document.querySelector('main');
    const inner = main
      ? main.scrollHeight + main.getBoundingClientRect().top
      : 0;
    return Math.ceil(Math.max(inner, document.documentElement.scrollHeight));
  });
  await page.setViewportSize({
    width: VIEWPORT.width,
    height: Math.min(Math.max(height, VIEWPORT.height), 16_000),
  });
  try {
    await page.waitForTimeout(200);
    await page.screenshot({
      path: path.join(screenshotsDir, `${name}.png`),
      fullPage: true,
    });
  } finally {
    await page.setViewportSize(VIEWPORT);
  }
}

/** The page's full height in CSS pixels, as the full-page screenshot takes it. */
const pageHeight = () =>
  page.evaluate(() => {
    const main = document.querySelector('main');
    const inner = main
      ? main.scrollHeight + main.getBoundingClientRect().top
      : 0;
    return Math.ceil(Math.max(inner, document.documentElement.scrollHeight));
  });

/** Axe's violations of each page checked, counted by impact: printed, and written to artifacts/axe.json. */
const axeSummary: Record<
  string,
  { counts: Record<string, number>; violations: string[] }
> = {};

/** Runs axe on the page as it is now; returns the serious and critical violations, described. */
async function axe(where: string, include?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  const results = await (include
    ? builder.include(include)
    : builder
  ).analyze();
  const counts: Record<string, number> = {
    minor: 0,
    moderate: 0,
    serious: 0,
    critical: 0,
  };
  for (const v of results.violations) {
    counts[v.impact ?? 'minor'] += v.nodes.length;
  }
  const describe = (v: (typeof results.violations)[number]) =>
    `${v.impact} ${v.id}: ${v.help} (${v.nodes
      .slice(0, 3)
      .map(n => n.target.join(' '))
      .join('; ')})`;
  axeSummary[where] = {
    counts,
    violations: results.violations.map(describe),
  };
  log(
    `axe ${where}: ${Object.entries(counts)
      .map(([impact, n]) => `${impact} ${n}`)
      .join(', ')}`,
  );
  fs.writeFileSync(
    path.join(artifactsDir, 'axe.json'),
    `${JSON.stringify(axeSummary, null, 2)}\n`,
  );
  return results.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${where}: ${describe(v)}`);
}

const appUrl = (urlPath: string) => `${stack!.portal.appUrl}${urlPath}`;

/** The Guest card of the sign-in page (`auto` only skips it once a session exists). */
const guestEnter = () => page.getByRole('button', { name: /^enter$/i });

/**
 * Navigates, signs in as Guest when the sign-in page shows, waits for
 * `ready`. Once the app is loaded, navigation stays inside it (history API,
 * as a click on a link would): reloading the development bundle for every
 * page costs seconds.
 */
async function open(
  urlPath: string,
  ready: Locator,
  options: { fresh?: boolean } = {},
) {
  if (
    !options.fresh &&
    appLoaded &&
    page.url().startsWith(stack!.portal.appUrl)
  ) {
    await page.evaluate(to => {
      window.history.pushState({}, '', to);
      window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
    }, urlPath);
  } else {
    await page.goto(appUrl(urlPath), { waitUntil: 'domcontentloaded' });
  }
  const first = ready.or(guestEnter()).first();
  await first.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  if (await guestEnter().isVisible()) {
    await guestEnter().click();
  }
  await ready.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  appLoaded = true;
}

/** The report the backend gives this test's guest user: what the tab must show. */
async function backendReport(e: ExpectedEntity): Promise<TriageReport> {
  const res = await fetch(
    `${stack!.portal.backendUrl}/api/serving-health/entities/${e.namespace}/${
      e.kind
    }/${e.name}/report`,
    {
      headers: { Authorization: `Bearer ${stack!.token}` },
      signal: AbortSignal.timeout(30_000),
    },
  );
  if (!res.ok) throw new Error(`report of ${e.entityRef}: HTTP ${res.status}`);
  return (await res.json()) as TriageReport;
}

const entityPath = (e: ExpectedEntity) =>
  `/catalog/${e.namespace}/${e.kind.toLocaleLowerCase('en-US')}/${e.name}`;

/** The entity's annotations as the catalog holds them. */
async function catalogAnnotations(
  e: ExpectedEntity,
): Promise<Record<string, string>> {
  const res = await fetch(
    `${stack!.portal.backendUrl}/api/catalog/entities/by-name/${e.kind}/${
      e.namespace
    }/${e.name}`,
    {
      headers: { Authorization: `Bearer ${stack!.token}` },
      signal: AbortSignal.timeout(30_000),
    },
  );
  if (!res.ok) throw new Error(`entity ${e.entityRef}: HTTP ${res.status}`);
  const entity = (await res.json()) as {
    metadata: { annotations?: Record<string, string> };
  };
  return entity.metadata.annotations ?? {};
}

/** A link to the Kubernetes tab exactly when the Kubernetes plugin's annotations let it find the entity's objects. */
async function expectKubernetesLink(e: ExpectedEntity) {
  const annotations = await catalogAnnotations(e);
  const hasTab =
    !!annotations['backstage.io/kubernetes-id'] ||
    !!annotations['backstage.io/kubernetes-label-selector'];
  const link = page.getByTestId('serving-health-kubernetes-link');
  expect({
    entity: e.name,
    link: (await link.count()) > 0 ? await link.getAttribute('href') : null,
  }).toEqual({
    entity: e.name,
    link: hasTab ? `${entityPath(e)}/kubernetes` : null,
  });
}

/** Failing, erring or warning stages are open; passed and skipped ones start closed. */
async function expectStagesFolded() {
  const folded = await page
    .locator(STAGES.map(s => `[data-testid="stage-${s}"]`).join(','))
    .evaluateAll(els =>
      els.map(el => ({
        stage: el.getAttribute('data-testid'),
        status: el.getAttribute('data-status'),
        expanded: el
          .querySelector('[aria-expanded]')
          ?.getAttribute('aria-expanded'),
      })),
    );
  expect(folded).toEqual(
    folded.map(f => ({
      ...f,
      expanded: ['fail', 'error', 'warn'].includes(f.status ?? '')
        ? 'true'
        : 'false',
    })),
  );
}

async function attrs(locator: Locator, name: string): Promise<string[]> {
  return locator.evaluateAll(
    (els, attr) => els.map(el => el.getAttribute(attr) ?? ''),
    name,
  );
}

/**
 * Opens an entity's Serving Health tab and waits for that entity's report
 * (not the loading state, not another entity's report). `fresh` loads the
 * page from scratch, so the tab mounts for this entity alone.
 */
async function openTab(e: ExpectedEntity, options: { fresh?: boolean } = {}) {
  const report = page.getByTestId('serving-health-report');
  const error = page.getByTestId('serving-health-error');
  await open(`${entityPath(e)}/serving-health`, report.or(error), options);
  if (await error.isVisible()) {
    throw new Error(
      `the Serving Health tab of ${
        e.entityRef
      } shows an error: ${await error.innerText()}`,
    );
  }
  await report
    .getByText(`Triage of ${e.entityRef}`, { exact: true })
    .waitFor({ state: 'visible' });
  await page.getByTestId('serving-health-overall').waitFor();
}

beforeAll(async () => {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  for (const f of fs.readdirSync(screenshotsDir)) {
    if (f.endsWith('.png')) {
      fs.rmSync(path.join(screenshotsDir, f));
    }
  }
  const [started, launched] = await Promise.allSettled([
    startStack(expected, { budgetMs: STACK_BUDGET_MS }),
    launchChromium(),
  ]);
  if (started.status === 'fulfilled') {
    stack = started.value;
    clusterTokens = stack.demo.clusters.flatMap(c => Object.values(c.tokens));
  }
  if (launched.status === 'fulfilled') {
    browser = launched.value;
  }
  if (started.status === 'rejected') {
    throw started.reason;
  }
  if (launched.status === 'rejected') {
    throw launched.reason;
  }
  context = await browser!.newContext({
    viewport: VIEWPORT,
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  // The dev server tells the page to reload whenever anyone edits a source
  // file (the work tree may be shared); answer its live-reload socket
  // ourselves so pages change only when a test navigates.
  await context.routeWebSocket(/\/ws$/, () => {});
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(UI_TIMEOUT_MS);
  page = await context.newPage();
  page.on('console', msg => {
    // React's development warnings (defaultProps, findDOMNode) are noise
    // here; failed requests are logged below with their address.
    const text = msg.text();
    if (
      msg.type() === 'error' &&
      !text.startsWith('Warning:') &&
      !text.startsWith('Failed to load resource')
    ) {
      consoleErrors.push(text.slice(0, 500));
    }
  });
  page.on('response', res => {
    // The guest user has no catalog entity: its lookup is always a 404.
    if (res.status() >= 400 && !/\/entities\/by-name\/user\//.test(res.url())) {
      consoleErrors.push(
        `HTTP ${res.status()} ${res.request().method()} ${res.url()}`,
      );
    }
    // Every answer of the backend the browser sees is searched for the clusters' tokens.
    if (res.url().includes('/api/')) {
      res
        .body()
        .then(body => {
          const text = body.toString('utf8');
          if (clusterTokens.some(token => text.includes(token))) {
            tokenLeaks.push(res.url());
          }
        })
        .catch(() => {
          // Bodies of redirects and aborted requests cannot be read; they carry no payload.
        });
    }
  });
  page.on('pageerror', err => consoleErrors.push(`pageerror: ${err.message}`));
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await stack?.stop();
  if (stack) {
    const t = stack.timings;
    log(
      `timings: clusters ${t.clustersMs} ms, backend ${t.backendMs} ms, catalog ${t.catalogMs} ms, ` +
        `frontend ${t.frontendMs} ms (in parallel), stack ${
          t.totalMs
        } ms; suite ${Date.now() - suiteStart} ms`,
    );
  }
}, 60_000);

describe('Serving Health in the portal', () => {
  it('expects what the scenarios expect', () => {
    expect(failing.length).toBeGreaterThan(0);
    expect(healthy.length).toBeGreaterThan(0);
  });

  it(
    'signs in as Guest',
    () =>
      diagnose('sign-in', async () => {
        await page.goto(appUrl('/catalog'), { waitUntil: 'domcontentloaded' });
        await guestEnter().waitFor({ state: 'visible' });
        await screenshot('sign-in');
        await guestEnter().click();
        await page
          .getByRole('link', { name: 'Serving Health' })
          .first()
          .waitFor({ state: 'visible' });
        expect(await guestEnter().count()).toBe(0);
        appLoaded = true;
      }),
    TEST_TIMEOUT_MS,
  );

  describe.each(withModes.map(e => [e.scenario, e.name, e] as const))(
    'scenario %s: %s',
    (scenario, _name, entity) => {
      it(
        `shows ${entity.failureModes.join(' + ')} and the failing stage`,
        () =>
          diagnose(`tab-${scenario}`, async () => {
            await openTab(entity, { fresh: true });
            const report = await backendReport(entity);

            const overall = page.getByTestId('serving-health-overall');
            expect(await overall.getAttribute('data-status')).toBe(
              entity.overall,
            );
            expect(await overall.innerText()).toMatch(
              new RegExp(entity.overall, 'i'),
            );

            // Exactly the scenario's failure modes, each in plain words.
            const modes = page.locator('[data-testid^="failure-mode-"]');
            expect((await attrs(modes, 'data-failure-mode')).sort()).toEqual(
              entity.failureModes,
            );
            for (const fm of entity.failureModes) {
              const m = page.getByTestId(`failure-mode-${fm}`);
              expect(await m.isVisible()).toBe(true);
              expect(await m.innerText()).toContain(
                FAILURE_MODES[fm as FailureModeId].title,
              );
            }

            // The six stages in order.
            const stages = page.locator(
              STAGES.map(s => `[data-testid="stage-${s}"]`).join(','),
            );
            expect(await attrs(stages, 'data-testid')).toEqual(
              STAGES.map(s => `stage-${s}`),
            );

            // The failing stage: named at the top, marked on its section,
            // the first stage with a failing check.
            const failingStage = page.getByTestId(
              'serving-health-failing-stage',
            );
            const stage = await failingStage.getAttribute('data-stage');
            expect(stage).toBe(expectedStage(entity, stage));
            expect(STAGES).toContain(stage);
            expect(await failingStage.innerText()).toMatch(/failing stage/i);
            const stageStatuses = await attrs(stages, 'data-status');
            // The first failing stage; a degraded report's is its first warning one.
            const worst = ['fail', 'error', 'warn'].find(s =>
              stageStatuses.includes(s),
            )!;
            expect(STAGES[stageStatuses.indexOf(worst)]).toBe(stage);
            const section = page.getByTestId(`stage-${stage}`);
            expect(await section.getAttribute('data-failing-stage')).toBe(
              'true',
            );
            expect(
              await page.locator('[data-failing-stage="true"]').count(),
            ).toBe(1);

            // As the tab opens, before any evidence is shown.
            log(`tab height ${scenario} (as opened): ${await pageHeight()} px`);

            // Each failure mode's check fails (or warns, for a degraded report), is open, and shows the
            // failure mode, why, the evidence and the fix.
            for (const fm of entity.failureModes) {
              const check = page
                .locator(
                  `[data-testid^="check-"][data-failure-mode="${fm}"]:is([data-status="fail"], [data-status="warn"])`,
                )
                .first();
              await check.waitFor({ state: 'visible' });
              const id = (await check.getAttribute('data-testid'))!;
              const summaryButton = check.locator('[aria-expanded]').first();
              expect(await summaryButton.getAttribute('aria-expanded')).toBe(
                'true',
              );
              for (const part of [
                'failure-mode',
                'why',
                'evidence',
                'remediation',
              ]) {
                const block = page.locator(`[data-testid="${id}-${part}"]`);
                expect({ part, visible: await block.isVisible() }).toEqual({
                  part,
                  visible: true,
                });
              }
              expect(
                await page
                  .locator(`[data-testid="${id}-failure-mode"]`)
                  .getAttribute('data-failure-mode'),
              ).toBe(fm);
              // What the backend's report holds for this check is what the user sees: its first
              // evidence label and every fix command, word for word.
              const result = report.checks.find(
                c => c.id === id.replace(/^check-/, ''),
              )!;
              expect(result).toBeDefined();
              // Evidence is one click away (behind a toggle, which the finding's link also opens).
              const toggle = page.getByTestId(`${id}-evidence-toggle`);
              if ((await toggle.getAttribute('aria-expanded')) !== 'true') {
                await toggle.click();
              }
              const evidence = check.getByTestId('evidence');
              expect(await evidence.first().innerText()).toContain(
                result.evidence[0].label,
              );
              const commands = (result.remediation?.steps ?? [])
                .map(s => s.command)
                .filter((c): c is string => !!c);
              expect(commands.length).toBeGreaterThan(0);
              const shown = await check
                .getByTestId('remediation-command')
                .allInnerTexts();
              for (const command of commands) {
                expect(shown.join('\n')).toContain(command);
              }
            }

            // The finding leads: each failure mode's sentence is its failing check's own summary (the real
            // object names), with that check's fix commands, each with a copy button, and a link to its evidence.
            for (const summary of report.failureModes) {
              const finding = page.getByTestId(`finding-${summary.id}`);
              // The browser collapses white space (Argo CD's messages carry line breaks); so does the comparison.
              const squash = (x: string) => x.replace(/\s+/g, ' ').trim();
              const text = squash(await finding.innerText());
              const source = report.checks.find(
                c =>
                  summary.seenBy.includes(c.id) &&
                  ['fail', 'error', 'warn'].includes(c.status) &&
                  squash(c.summary) === text,
              );
              expect({ mode: summary.id, fromCheck: !!source }).toEqual({
                mode: summary.id,
                fromCheck: true,
              });
              const mode = page.getByTestId(`failure-mode-${summary.id}`);
              const shownCommands = await mode
                .getByTestId('finding-command')
                .allInnerTexts();
              expect(shownCommands).toEqual(
                (source!.remediation?.steps ?? [])
                  .map(st => st.command)
                  .filter((c): c is string => !!c),
              );
              expect(
                await mode
                  .getByRole('button', { name: /^Copy command:/ })
                  .count(),
              ).toBe(shownCommands.length);
              const href = await page
                .getByTestId(`finding-${summary.id}-evidence-link`)
                .getAttribute('href');
              const target = page.locator(`[id="${href!.slice(1)}"]`);
              expect(await target.count()).toBe(1);
              await page
                .getByTestId(`finding-${summary.id}-evidence-link`)
                .click();
              // A link to evidence opens it; a check without evidence is linked to the check itself.
              const toEvidence = href!.endsWith('-evidence');
              await (toEvidence
                ? target.locator('[data-testid="evidence"]').first()
                : target
              ).waitFor();
              expect({
                href,
                open: toEvidence
                  ? await target.getAttribute('data-open')
                  : 'true',
              }).toEqual({ href, open: 'true' });
            }
            // Above the stages, in the first screen.
            await scrollToTop();
            const box = await page
              .getByTestId(`finding-${report.failureModes[0].id}`)
              .boundingBox();
            expect(box!.y).toBeGreaterThanOrEqual(0);
            expect(box!.y + box!.height).toBeLessThan(VIEWPORT.height);
            await expectStagesFolded();
            await expectKubernetesLink(entity);

            log(
              `tab height ${scenario} (evidence of each finding open): ${await pageHeight()} px`,
            );
            await screenshot(`tab-${scenario}`, { top: true });
          }),
        TEST_TIMEOUT_MS,
      );
    },
  );

  describe.each(healthy.map(e => [e.scenario, e.name, e] as const))(
    'scenario %s: %s',
    (scenario, name, entity) => {
      it(
        'shows Healthy with no failure mode',
        () =>
          diagnose(`tab-${scenario}-${name}`, async () => {
            await openTab(entity, { fresh: true });
            const overall = page.getByTestId('serving-health-overall');
            expect(await overall.getAttribute('data-status')).toBe('healthy');
            expect(await overall.innerText()).toMatch(/healthy/i);
            expect(
              await page.locator('[data-testid^="failure-mode-"]').count(),
            ).toBe(0);
            expect(
              await page.getByTestId('serving-health-failing-stage').count(),
            ).toBe(0);
            const stages = page.locator(
              STAGES.map(s => `[data-testid="stage-${s}"]`).join(','),
            );
            expect(await attrs(stages, 'data-testid')).toEqual(
              STAGES.map(s => `stage-${s}`),
            );
            const statuses = await attrs(stages, 'data-status');
            expect(statuses.filter(s => s === 'fail' || s === 'error')).toEqual(
              [],
            );
            expect(
              await page
                .locator('[data-testid^="check-"][data-status="fail"]')
                .count(),
            ).toBe(0);
            await expectStagesFolded();
            await expectKubernetesLink(entity);
            log(`tab height ${scenario}-${name}: ${await pageHeight()} px`);
            await screenshot(`tab-${scenario}-${name}`, { top: true });
          }),
        TEST_TIMEOUT_MS,
      );
    },
  );

  it(
    "shows the card on a failing entity's overview",
    () =>
      diagnose('overview-card', async () => {
        const entity = [...failingWithModes].sort(
          (a, b) => b.failureModes.length - a.failureModes.length,
        )[0];
        const card = page.getByTestId('serving-health-card');
        await open(entityPath(entity), card, { fresh: true });
        const overall = page.getByTestId('serving-health-card-overall');
        await overall.waitFor();
        expect(await overall.getAttribute('data-status')).toBe('failing');
        const cardStage = await page
          .getByTestId('serving-health-card-failing-stage')
          .getAttribute('data-stage');
        expect(cardStage).toBe(expectedStage(entity, cardStage));
        for (const fm of entity.failureModes) {
          expect(
            await page
              .getByTestId(`serving-health-card-failure-mode-${fm}`)
              .isVisible(),
          ).toBe(true);
        }
        await screenshot(`overview-${entity.scenario}`);
      }),
    TEST_TIMEOUT_MS,
  );

  describe('fleet page', () => {
    const rows = () => page.locator('[data-testid^="fleet-row-"]');
    const rowNames = async () =>
      (await attrs(rows(), 'data-testid'))
        .map(id => id.replace(/^fleet-row-/, ''))
        .sort();
    const waitForRows = async (names: string[], what: string) => {
      const want = [...names].sort();
      const start = Date.now();
      let got: string[] = [];
      while (Date.now() - start < UI_TIMEOUT_MS) {
        got = await rowNames();
        if (JSON.stringify(got) === JSON.stringify(want)) {
          return;
        }
        await page.waitForTimeout(200);
      }
      throw new Error(
        `${what}: expected rows [${want.join(', ')}], got [${got.join(', ')}]`,
      );
    };

    it(
      'lists every demo entity with its status, failing stage and failure modes',
      () =>
        diagnose('fleet', async () => {
          await open('/serving-health', rows());
          await waitForRows(
            expected.map(e => e.name),
            'fleet page without filters',
          );
          for (const e of expected) {
            const row = page.getByTestId(`fleet-row-${e.name}`);
            const status = e.overall;
            const chips = (
              await attrs(
                row.locator('[data-failure-mode]'),
                'data-failure-mode',
              )
            ).sort();
            const stage = await attrs(
              row.locator('[data-stage]'),
              'data-stage',
            );
            expect({
              entity: e.name,
              status: await row.getAttribute('data-status'),
              overall: await page
                .getByTestId(`fleet-overall-${e.name}`)
                .getAttribute('data-status'),
              failureModes: chips,
              stages: stage.length,
              stage: stage[0],
              error: await page.getByTestId(`fleet-error-${e.name}`).count(),
            }).toEqual({
              entity: e.name,
              status,
              overall: status,
              failureModes: e.failureModes,
              stages: e.overall === 'healthy' ? 0 : 1,
              stage: expectedStage(e, stage[0]),
              error: 0,
            });
            expect(
              await page
                .getByTestId(`fleet-link-${e.name}`)
                .getAttribute('href'),
            ).toMatch(new RegExp(`${entityPath(e)}/serving-health$`));
          }
          expect(
            Number(
              await page
                .getByTestId('fleet-count-failing')
                .getAttribute('data-count'),
            ),
          ).toBe(failing.length);
          expect(
            Number(
              await page
                .getByTestId('fleet-count-healthy')
                .getAttribute('data-count'),
            ),
          ).toBe(healthy.length);
          await screenshot('fleet', { top: true });
        }),
      TEST_TIMEOUT_MS,
    );

    it(
      'filters by failure mode and by status',
      () =>
        diagnose('fleet-filter', async () => {
          await open('/serving-health', rows());
          const fmFilter = page.getByTestId('fleet-filter-failure-mode');
          const statusFilter = page.getByTestId('fleet-filter-status');
          for (const fm of allFailureModes) {
            await fmFilter.selectOption(fm);
            await waitForRows(
              withModes
                .filter(e => e.failureModes.includes(fm))
                .map(e => e.name),
              `filter failure mode ${fm}`,
            );
            expect(new URL(page.url()).searchParams.get('failureMode')).toBe(
              fm,
            );
            if (fm === 'webhook-no-endpoints') {
              await screenshot(`fleet-filter-${fm}`);
            }
          }
          await fmFilter.selectOption('');
          await statusFilter.selectOption('healthy');
          await waitForRows(
            healthy.map(e => e.name),
            'filter status healthy',
          );
          await statusFilter.selectOption('failing');
          await waitForRows(
            failing.map(e => e.name),
            'filter status failing',
          );
          await statusFilter.selectOption('');
          await waitForRows(
            expected.map(e => e.name),
            'filters cleared',
          );

          // The filters live in the URL: a shared link opens filtered.
          const fm = allFailureModes[0];
          await open(`/serving-health?failureMode=${fm}`, rows());
          await waitForRows(
            withModes.filter(e => e.failureModes.includes(fm)).map(e => e.name),
            `deep link ?failureMode=${fm}`,
          );
          expect(await fmFilter.inputValue()).toBe(fm);
        }),
      TEST_TIMEOUT_MS,
    );

    it(
      'groups problems by cause per cluster and lists the endpoints of a cause',
      () =>
        diagnose('fleet-problems', async () => {
          // Which cluster each entity is on is the backend's to say; what breaks it is the scenario's.
          const res = await fetch(
            `${stack!.portal.backendUrl}/api/serving-health/fleet`,
            {
              headers: { Authorization: `Bearer ${stack!.token}` },
              signal: AbortSignal.timeout(60_000),
            },
          );
          expect(res.status).toBe(200);
          const fleet = (await res.json()) as FleetSummary;
          const byRef = new Map(fleet.entries.map(e => [e.entityRef, e]));
          const want = new Map<string, string[]>();
          for (const e of withModes) {
            const entry = byRef.get(e.entityRef);
            expect([e.entityRef, !!entry?.owner]).toEqual([e.entityRef, true]);
            // The grouped view counts failing and degraded endpoints.
            if (
              !entry?.cluster ||
              (e.overall !== 'failing' && e.overall !== 'degraded')
            ) {
              continue;
            }
            for (const fm of e.failureModes) {
              const key = `fleet-problem-${entry.cluster}-${fm}-${e.overall}`;
              want.set(key, [...(want.get(key) ?? []), e.name]);
            }
          }

          await open('/serving-health', rows());
          const links = page.locator(
            '[data-testid^="fleet-problem-"][data-count]',
          );
          await links.first().waitFor();
          const counts = await attrs(links, 'data-count');
          expect(
            Object.fromEntries(
              (await attrs(links, 'data-testid')).map((id, i) => [
                id,
                Number(counts[i]),
              ]),
            ),
          ).toEqual(
            Object.fromEntries(
              [...want].map(([id, names]) => [id, names.length]),
            ),
          );
          await screenshot('fleet-problems', { top: true });

          const [busiest, names] = [...want].sort(
            (a, b) => b[1].length - a[1].length,
          )[0];
          await page.getByTestId(busiest).click();
          await waitForRows(names, `problem link ${busiest}`);
          const url = new URL(page.url());
          expect(url.searchParams.get('cluster')).toBeTruthy();
          expect(url.searchParams.get('failureMode')).toBeTruthy();
        }),
      TEST_TIMEOUT_MS,
    );

    it(
      "links each row to the entity's Serving Health tab",
      () =>
        diagnose('fleet-link', async () => {
          const entity = failingWithModes[0];
          await open('/serving-health', rows());
          await page.getByTestId(`fleet-link-${entity.name}`).click();
          await page.waitForURL(`**${entityPath(entity)}/serving-health`);
          await page.getByTestId('serving-health-overall').waitFor();
          for (const fm of entity.failureModes) {
            await page.getByTestId(`failure-mode-${fm}`).waitFor();
          }

          // Re-run asks the backend for a fresh report; the report stays.
          const time = page.getByTestId('serving-health-snapshot-time');
          const before = Date.parse((await time.getAttribute('datetime'))!);
          const refreshed = page.waitForResponse(
            r =>
              r.url().includes(`/entities/`) &&
              r.url().includes(`/${entity.name}/report`) &&
              r.url().includes('refresh=true'),
          );
          await page.getByTestId('serving-health-rerun').click();
          expect((await refreshed).status()).toBe(200);
          await page.getByTestId('serving-health-refreshing').waitFor({
            state: 'detached',
          });
          const after = Date.parse((await time.getAttribute('datetime'))!);
          expect(after).toBeGreaterThanOrEqual(before);
          for (const fm of entity.failureModes) {
            await page.getByTestId(`failure-mode-${fm}`).waitFor();
          }
        }),
      TEST_TIMEOUT_MS,
    );
  });

  /**
   * From one entity's tab to another's without leaving the app (a relation
   * link, the browser's back and forward buttons): the tab must show the new
   * entity's report only, with its failing checks open, as on a fresh load.
   */
  it(
    "shows the new entity's own report when switching entities inside the app",
    () =>
      diagnose('switch-entity', async () => {
        const a = failingWithModes[0];
        const b =
          failingWithModes.find(
            e =>
              e.name !== a.name &&
              e.failureModes.some(fm => !a.failureModes.includes(fm)),
          ) ?? failingWithModes[failingWithModes.length - 1];
        await openTab(a, { fresh: true });
        const bPath = `${entityPath(b)}/serving-health`;
        // Record, from inside the page, whether A's report is ever shown
        // under B's header. (Until B's entity has loaded, Backstage keeps A's
        // whole page, header included: that is the catalog's behaviour.)
        await page.evaluate(
          ({ aRef, bName, path: to }) => {
            const w = window as unknown as { staleReport?: boolean };
            w.staleReport = false;
            const look = () => {
              const report = document.querySelector(
                '[data-testid="serving-health-report"]',
              );
              const header = document.querySelector('header h1, h1');
              if (
                header?.textContent?.includes(bName) &&
                report?.textContent?.includes(`Triage of ${aRef}`)
              ) {
                w.staleReport = true;
              }
            };
            new MutationObserver(look).observe(document.body, {
              subtree: true,
              childList: true,
              characterData: true,
            });
            window.history.pushState({}, '', to);
            window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
            look();
          },
          { aRef: a.entityRef, bName: b.name, path: bPath },
        );
        await page
          .getByTestId('serving-health-report')
          .getByText(`Triage of ${b.entityRef}`, { exact: true })
          .waitFor({ state: 'visible' });
        const failingChecks = page.locator(
          '[data-testid^="check-"][data-status="fail"]',
        );
        const ids = await attrs(failingChecks, 'data-testid');
        const expanded = await failingChecks.evaluateAll(els =>
          els.map(
            el =>
              el
                .querySelector('[aria-expanded]')
                ?.getAttribute('aria-expanded') ?? 'missing',
          ),
        );
        expect({
          [`${a.name}'s report shown under ${b.name}'s header`]:
            await page.evaluate(
              () =>
                (window as unknown as { staleReport?: boolean }).staleReport,
            ),
          [`${b.name}'s failing checks that are closed`]: ids.filter(
            (_, i) => expanded[i] !== 'true',
          ),
        }).toEqual({
          [`${a.name}'s report shown under ${b.name}'s header`]: false,
          [`${b.name}'s failing checks that are closed`]: [],
        });
      }),
    TEST_TIMEOUT_MS,
  );

  /** Axe on every page the plugin draws or joins: no serious or critical violation. */
  it(
    'has no serious or critical accessibility violations',
    () =>
      diagnose('axe', async () => {
        const found: string[] = [];
        // The tab and the card are checked as this plugin draws them; the rest of the entity page is Backstage's.
        await openTab(failingWithModes[0]);
        found.push(
          ...(await axe(
            `tab of ${failingWithModes[0].name} (failing)`,
            '[data-testid="serving-health-report"]',
          )),
        );
        await openTab(healthy[0]);
        found.push(
          ...(await axe(
            `tab of ${healthy[0].name} (healthy)`,
            '[data-testid="serving-health-report"]',
          )),
        );
        await open(
          entityPath(failingWithModes[0]),
          page.getByTestId('serving-health-card-overall'),
        );
        found.push(
          ...(await axe(
            `overview card of ${failingWithModes[0].name}`,
            '[data-testid="serving-health-card"]',
          )),
        );
        await open(
          '/serving-health',
          page.locator('[data-testid^="fleet-row-"]'),
        );
        // The pages' content, not the demo app's sidebar: its notifications item (an upstream component)
        // shows an unread count outside its accessible name (label-content-name-mismatch).
        found.push(...(await axe('fleet page', 'main')));
        await open(
          '/create/templates/default/kserve-model-endpoint',
          page.locator('form'),
        );
        found.push(
          ...(await axe('template form kserve-model-endpoint', 'main')),
        );
        await screenshot('template-form');
        expect(found).toEqual([]);
      }),
    TEST_TIMEOUT_MS * 2,
  );

  /**
   * What a user notices before reading anything: the page fits a 1440 px
   * window, text is in the theme's font, and no label sits on a value.
   */
  it(
    'lays out the fleet page and the tab readably at 1440 px',
    () =>
      diagnose('layout', async () => {
        const problems: string[] = [];
        const inspect = async (where: string) => {
          const found = await page.evaluate(() => {
            const out: string[] = [];
            const doc = document.documentElement;
            if (doc.scrollWidth > doc.clientWidth + 1) {
              out.push(
                `the page is ${doc.scrollWidth} px wide in a ${doc.clientWidth} px window (horizontal scrolling)`,
              );
            }
            const font = getComputedStyle(document.body).fontFamily;
            if (/^("?times new roman"?|serif)$/i.test(font.trim())) {
              out.push(
                `body text falls back to the browser's default font (${font}): no global CSS baseline`,
              );
            }
            for (const label of Array.from(
              document.querySelectorAll('main label'),
            )) {
              const control =
                label.parentElement?.querySelector('select, input');
              if (!control) {
                continue;
              }
              const l = label.getBoundingClientRect();
              const c = control.getBoundingClientRect();
              const style = getComputedStyle(control);
              const top = c.top + parseFloat(style.paddingTop);
              const bottom = c.bottom - parseFloat(style.paddingBottom);
              const hasValue =
                control instanceof HTMLSelectElement
                  ? (control.selectedOptions[0]?.text ?? '') !== ''
                  : (control as HTMLInputElement).value !== '';
              if (hasValue && l.bottom > top + 1 && l.top < bottom - 1) {
                out.push(
                  `the label "${label.textContent}" is drawn over the value of its field`,
                );
              }
            }
            return out;
          });
          problems.push(...found.map(p => `${where}: ${p}`));
        };
        await open(
          '/serving-health',
          page.locator('[data-testid^="fleet-row-"]'),
        );
        await inspect('fleet page');
        await openTab(failingWithModes[0]);
        await inspect(`Serving Health tab of ${failingWithModes[0].name}`);
        expect(problems).toEqual([]);
      }),
    TEST_TIMEOUT_MS,
  );
});
