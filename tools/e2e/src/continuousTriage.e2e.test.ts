import fs from 'node:fs';
import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import {
  DemoClusters,
  buildApiServer,
  startDemoClusters,
  takeKserveWebhookOffline,
} from '@internal/testenv';
import {
  FleetHistory,
  HistoryTransition,
} from '@serving-health/plugin-serving-health-common';
import { launchChromium } from './browser';
import { artifactsDir, createPortal, Portal, waitFor } from './portal';

/**
 * Continuous triage in the demo portal (real backend, real database, real Chromium, one real testenv): a change
 * applied to the running cluster becomes a stored transition, a notification to the owner's team (the guest user
 * is on it, demo/org.yaml) and an update of the open Serving Health tab, which never reloads or polls.
 * Run: yarn workspace @internal/e2e test:e2e -t 'continuous'   (screenshots: artifacts/screenshots/continuous-*)
 */
jest.setTimeout(420_000);

const workDir = path.join(artifactsDir, 'e2e', 'continuous-triage');
const screenshotsDir = path.join(artifactsDir, 'screenshots');
const ENTITY = 'component:default/fraud-detector';
const TAB = '/catalog/default/component/fraud-detector/serving-health';
const UI_TIMEOUT_MS = 90_000;
const log = (line: string) => process.stderr.write(`[e2e] ${line}\n`);

let portal: Portal | undefined;
let demo: DemoClusters | undefined;
let browser: Browser | undefined;
let page: Page;
let token: string;

async function api<T>(urlPath: string): Promise<T> {
  const res = await fetch(`${portal!.backendUrl}${urlPath}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(`${urlPath}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const transitionOf = async (kind: HistoryTransition['kind']) =>
  (
    await api<FleetHistory>('/api/serving-health/fleet/history')
  ).transitions.find(t => t.entityRef === ENTITY && t.kind === kind);

const shot = (name: string) =>
  page.screenshot({
    path: path.join(screenshotsDir, `continuous-${name}.png`),
    fullPage: true,
  });

beforeAll(async () => {
  await buildApiServer({ log });
  fs.mkdirSync(screenshotsDir, { recursive: true });
  portal = await createPortal({ workDir });
  demo = await startDemoClusters({
    scenarios: ['healthy'],
    appConfigPath: path.join(workDir, 'app-config.demo.yaml'),
    log,
  });
  portal.startBackend([demo.appConfigPath]);
  await portal.waitReady(300_000);
  const res = await fetch(`${portal.backendUrl}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  token = (await res.json()).backstageIdentity.token;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
  await demo?.stop();
});

describe('continuous triage', () => {
  it('a cluster change shows up in the history, a notification and the open tab', async () => {
    // The scheduled fleet triage has seen the entity healthy.
    await waitFor(
      'the first fleet triage',
      120_000,
      async () => Boolean(await transitionOf('changed')),
      () => `\n${portal!.logTail()}`,
    );

    // What the signals websocket carries, to tell a lost signal from a tab that ignored one.
    const frames: string[] = [];
    page.on('websocket', ws => {
      frames.push(`open ${ws.url()}`);
      ws.on('framereceived', f => frames.push(String(f.payload)));
      ws.on('framesent', f => frames.push(`sent ${f.payload}`));
      ws.on('close', () => frames.push('closed'));
    });
    await page.goto(`${portal!.appUrl}${TAB}`, {
      waitUntil: 'domcontentloaded',
    });
    const overall = page.getByTestId('serving-health-overall');
    const enter = page.getByRole('button', { name: /^enter$/i });
    await overall.or(enter).first().waitFor({ timeout: UI_TIMEOUT_MS });
    if (await enter.isVisible()) await enter.click();
    await overall.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await overall.getAttribute('data-status')).toBe('healthy');
    await page
      .getByTestId('serving-health-since')
      .waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('1-tab-healthy');
    // Anything the tab does from here on comes from a signal, not from a reload.
    const navigations: string[] = [];
    page.on('framenavigated', f => {
      if (f === page.mainFrame()) navigations.push(f.url());
    });
    const reportRequests: number[] = [];
    page.on('request', r => {
      if (r.url().endsWith('/fraud-detector/report'))
        reportRequests.push(Date.now());
    });

    // Signals are not replayed: the tab must be subscribed before the change (a reconnect on a loaded machine
    // can take seconds).
    await waitFor(
      'the tab subscribed to its signals channel',
      60_000,
      async () =>
        [
          `serving-health:report:${ENTITY}`,
          `serving-health:cluster:${demo!.clusters[0].name}`,
        ].every(channel =>
          frames.some(
            f =>
              f.startsWith('sent ') &&
              f.includes('"subscribe"') &&
              f.includes(channel),
          ),
        ),
    );
    // The change: KServe's webhook Service loses its only ready endpoint.
    const changedAt = Date.now();
    const change = await takeKserveWebhookOffline(
      demo!.clusters[0].access('admin'),
    );

    // The watched cluster's change signal reaches the open tab first; the scheduled run records it after.
    await page
      .locator('[data-testid="serving-health-overall"][data-status="failing"]')
      .waitFor({ timeout: UI_TIMEOUT_MS })
      .catch(async e => {
        await shot('FAILED-tab-not-updated');
        throw new Error(
          `${e.message}\nsignals websocket: ${JSON.stringify(frames)}`,
        );
      });
    const tabMs = Date.now() - changedAt;
    let failing: HistoryTransition | undefined;
    await waitFor(
      'the stored transition',
      120_000,
      async () => Boolean((failing = await transitionOf('started-failing'))),
      () => `\n${portal!.logTail()}`,
    );
    const storedMs = Date.parse(failing!.at) - changedAt;
    expect(failing).toMatchObject({
      from: 'healthy',
      to: 'failing',
      added: ['webhook-no-endpoints'],
    });

    // The history follows the recorded transition's own signal.
    await page
      .getByTestId('serving-health-since')
      .filter({ hasText: /^Failing since / })
      .waitFor({ timeout: UI_TIMEOUT_MS });
    await page
      .getByTestId('failure-mode-webhook-no-endpoints')
      .waitFor({ timeout: UI_TIMEOUT_MS });
    expect(navigations).toEqual([]);
    // Re-read once per signal, not on a timer.
    const signalsReceived = frames.filter(
      f =>
        !f.startsWith('sent ') &&
        (f.includes(`serving-health:report:${ENTITY}`) ||
          f.includes(`serving-health:cluster:${demo!.clusters[0].name}`)),
    ).length;
    expect(reportRequests.length).toBeLessThanOrEqual(signalsReceived);
    await shot('2-tab-failing-live');

    let notifications: Array<{ payload: any; created: string }> = [];
    await waitFor("the owner team's notification", 60_000, async () => {
      ({ notifications } = await api<{ notifications: typeof notifications }>(
        '/api/notifications/notifications',
      ));
      return notifications.length > 0;
    });
    expect(notifications).toHaveLength(1);
    expect(notifications[0].payload).toMatchObject({
      title: expect.stringContaining('KServe webhook has no ready endpoints'),
      link: TAB,
      severity: 'high',
    });
    const notifiedMs = Date.parse(notifications[0].created) - changedAt;
    log(
      `cluster change -> stored transition ${storedMs} ms, notification ${notifiedMs} ms, open tab updated ${tabMs} ms`,
    );
    await page.evaluate(() => {
      window.history.pushState({}, '', '/notifications');
      window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
    });
    await page
      .locator('table')
      .getByText(/fraud-detector is failing/)
      .first()
      .waitFor({ timeout: UI_TIMEOUT_MS });
    await shot('3-notification');

    // The fleet page: the dead webhook once for its cluster, and how long each endpoint has been failing.
    await page.evaluate(() => {
      window.history.pushState({}, '', '/serving-health');
      window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
    });
    const inState = page.getByTestId(`fleet-state-${ENTITY}`);
    await inState.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await inState.getAttribute('data-since')).toBe(failing!.at);
    await expect(
      page
        .getByTestId('fleet-problem-healthy-webhook-no-endpoints-failing')
        .getAttribute('data-count'),
    ).resolves.toBe('2');
    await shot('4-fleet-time-in-state');

    // Back: the endpoint returns; the history strip shows failing then healthy.
    await change.restore();
    await page.evaluate(to => {
      window.history.pushState({}, '', to);
      window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
    }, TAB);
    await page
      .locator('[data-testid="serving-health-overall"][data-status="healthy"]')
      .waitFor({ timeout: UI_TIMEOUT_MS });
    // With watched snapshots the open tab can show the recovery before the next scheduled run records it.
    await waitFor(
      'the recovery in the fleet history',
      60_000,
      async () => Boolean(await transitionOf('recovered')),
      () => `\n${portal!.logTail()}`,
    );
    const recovered = await transitionOf('recovered');
    expect(recovered?.cleared).toEqual(['webhook-no-endpoints']);
    // The recorded transition reaches the open tab by its signal.
    const strip = page.getByTestId('serving-health-history-strip');
    const statuses = () =>
      strip
        .locator('[role="listitem"]')
        .evaluateAll(items => items.map(i => i.getAttribute('data-status')));
    await waitFor(
      'the history strip to show the recovery',
      UI_TIMEOUT_MS,
      async () => (await statuses()).length === 3,
    );
    expect(await statuses()).toEqual(['healthy', 'failing', 'healthy']);
    await shot('5-tab-recovered-history');
  });
});
