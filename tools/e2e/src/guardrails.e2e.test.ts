/**
 * The pre-merge guardrails in the real scaffolder UI: the demo portal (real backend with its database, the
 * frontend dev server) and Debian's Chromium. One testenv cluster, kyverno-enforcement: the labels field reads its
 * Kyverno policies and evaluates them in the browser. The templates' validate step runs on the rendered
 * workspace, and the admission dry run is skipped when no cluster is chosen.
 *
 * Run: yarn workspace @internal/e2e test:e2e -t guardrails   (screenshots: artifacts/screenshots/guardrails-*)
 */
import fs from 'node:fs';
import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { DemoClusters, startDemoClusters } from '@internal/testenv';
import { launchChromium } from './browser';
import { artifactsDir, createPortal, Portal } from './portal';

const READY_TIMEOUT_MS = 240_000;
const TEST_TIMEOUT_MS = 120_000;
const UI_TIMEOUT_MS = 30_000;
const VIEWPORT = { width: 1440, height: 900 };
const screenshotsDir = path.join(artifactsDir, 'screenshots');

let portal: Portal | undefined;
let demo: DemoClusters | undefined;
let browser: Browser | undefined;
let page: Page;
let token = '';

const log = (line: string) =>
  process.stderr.write(`[e2e guardrails] ${line}\n`);
const shot = (name: string) =>
  page.screenshot({
    path: path.join(screenshotsDir, `guardrails-${name}.png`),
    fullPage: true,
  });

/** On failure: a screenshot and the portal's log tail in the message. */
async function diagnose(name: string, body: () => Promise<void>) {
  try {
    await body();
  } catch (e) {
    const err = e as Error;
    await shot(`FAILED-${name}`).catch(() => {});
    err.message += `\nscreenshot: artifacts/screenshots/guardrails-FAILED-${name}.png\n${
      portal?.logTail(30) ?? ''
    }`;
    throw err;
  }
}

/** Opens a template's form, signing in as Guest when the sign-in page shows. */
async function openTemplate(name: string) {
  await page.goto(`${portal!.appUrl}/create/templates/default/${name}`, {
    waitUntil: 'domcontentloaded',
  });
  const enter = page.getByRole('button', { name: /^enter$/i });
  const nameField = page.locator('#root_name');
  await nameField
    .or(enter)
    .first()
    .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  if (await enter.isVisible()) await enter.click();
  await nameField.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

/** The form's Next button. */
const next = () => page.getByRole('button', { name: /^next/i }).click();

/** The policy of namespace models-regulated on kyverno-enforcement that the template's labels field evaluates. */
const KYVERNO_DENIAL =
  "require-data-classification:\n  check-data-classification: 'validation error: InferenceServices must carry a data-classification label.";

/** Fills the model and ownership pages, with an extra label when given. */
async function fillModelAndOwnership(extraLabel?: {
  key: string;
  value: string;
}) {
  await page.locator('#root_name').fill('fraud-detector');
  await page
    .locator('#root_storageUri')
    .fill('s3://ml-models/fraud-detector/v1');
  await next();
  await page.locator('#root_owner').fill('team-risk');
  await page.locator('#root_costCenter').fill('cc-1042');
  if (extraLabel) {
    await page.getByLabel('label key 1').fill(extraLabel.key);
    await page.getByLabel('label value 1').fill(extraLabel.value);
  }
}

/** A text field of the repository picker (a plain text field or an autocomplete, by Backstage release). */
const pickerField = (name: RegExp) =>
  page
    .getByRole('combobox', { name })
    .or(page.getByRole('textbox', { name }))
    .first();

beforeAll(async () => {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const workDir = path.join(artifactsDir, 'e2e-guardrails');
  const [started, launched] = await Promise.allSettled([
    (async () => {
      const p = await createPortal({ workDir });
      portal = p;
      demo = await startDemoClusters({
        scenarios: ['kyverno-enforcement'],
        appConfigPath: path.join(workDir, 'app-config.demo.yaml'),
        log,
      });
      p.startBackend([demo.appConfigPath]);
      const t = await p.waitReady(READY_TIMEOUT_MS);
      log(
        `portal ready: backend ${t.backendMs} ms, frontend ${t.frontendMs} ms`,
      );
      return p;
    })(),
    launchChromium(),
  ]);
  if (launched.status === 'fulfilled') browser = launched.value;
  if (started.status === 'rejected') throw started.reason;
  if (launched.status === 'rejected') throw launched.reason;
  const res = await fetch(`${portal!.backendUrl}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  token = (await res.json()).backstageIdentity.token;
  const context = await browser!.newContext({
    viewport: VIEWPORT,
    locale: 'en-US',
  });
  // The dev server's live reload must not reload the page when someone edits a file.
  await context.routeWebSocket(/\/ws$/, () => {});
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  page = await context.newPage();
}, READY_TIMEOUT_MS + 60_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  await portal?.stop();
  await demo?.stop();
}, 60_000);

describe('guardrails in the scaffolder', () => {
  it(
    'flags costCenter inline in the labels field, with the suggested key',
    () =>
      diagnose('labels-field', async () => {
        await openTemplate('kserve-model-endpoint');
        await fillModelAndOwnership({ key: 'costCenter', value: 'cc-1042' });
        const problem =
          'label key `costCenter` is not kebab-case: use `cost-center`';
        // Under the key, as it is typed: the problem and the suggested key.
        await page.getByText(problem, { exact: true }).first().waitFor();
        const useSuggestion = page.getByRole('button', {
          name: 'Use cost-center',
        });
        await useSuggestion.waitFor();
        await shot('labels-field-costCenter');
        // The field's validation keeps the form on this page, naming the rule id.
        await next();
        await page.getByText(`label-key-style: ${problem}`).first().waitFor();
        await expect(
          page.locator('#root_costCenter').isVisible(),
        ).resolves.toBe(true);
        await shot('labels-field-blocks-next');
        await useSuggestion.click();
        expect(await page.getByLabel('label key 1').inputValue()).toBe(
          'cost-center',
        );
        await expect(useSuggestion.isVisible()).resolves.toBe(false);
        // The namespace's Kyverno policy wants data-classification: with it, the page lets the user on.
        await page.getByRole('button', { name: 'Add label' }).click();
        await page.getByLabel('label key 2').fill('data-classification');
        await page.getByLabel('label value 2').fill('internal');
        await next();
        await pickerField(/^repository/i).waitFor();
      }),
    TEST_TIMEOUT_MS,
  );

  it(
    "shows the cluster's Kyverno denial in the labels field as the label is typed, and lets the step on once fixed",
    () =>
      diagnose('labels-kyverno', async () => {
        await openTemplate('kserve-model-endpoint');
        await fillModelAndOwnership();
        const field = page.getByLabel('Kyverno verdict');
        // Fetched once from the backend, evaluated in the browser: no label yet, so the Enforce rule denies.
        await field.getByText(KYVERNO_DENIAL, { exact: false }).waitFor();
        await page.getByLabel('label key 1').fill('dataClassification');
        await page.getByLabel('label value 1').fill('confidential');
        // Kyverno's own admission message, as kubectl would print it, for the key as typed.
        await field
          .getByText(
            'resource InferenceService/models-regulated/new was blocked due to the following policies',
            { exact: false },
          )
          .waitFor();
        await field.getByText(KYVERNO_DENIAL, { exact: false }).waitFor();
        // Backstage scrolls inside <main>: bring the verdict into the screenshot.
        await field.scrollIntoViewIfNeeded();
        await shot('labels-kyverno-denied');
        // Enforce: the step does not go on.
        await next();
        await page
          .getByText(KYVERNO_DENIAL, { exact: false })
          .first()
          .waitFor();
        await expect(
          page.locator('#root_costCenter').isVisible(),
        ).resolves.toBe(true);
        // The fix the conventions suggest is also what the policy wants.
        await page
          .getByRole('button', { name: 'Use data-classification' })
          .click();
        await field.getByText(/none denies these labels/).waitFor();
        // Gone from the field as the key changes (the form's error list above keeps the last Next's errors).
        await expect(
          field.getByText(KYVERNO_DENIAL, { exact: false }).count(),
        ).resolves.toBe(0);
        await field.scrollIntoViewIfNeeded();
        await shot('labels-kyverno-fixed');
        await next();
        await pickerField(/^repository/i).waitFor();
      }),
    TEST_TIMEOUT_MS,
  );

  it(
    'stops a run of the legacy template at the validation step, before any publish step, naming the rule ids (label, Kyverno and serving rules)',
    () =>
      diagnose('legacy-run', async () => {
        // The legacy template itself renders `costCenter` and a predictor without resources: the form has nothing
        // to flag, the validate step does.
        await openTemplate('kserve-model-endpoint-legacy');
        await fillModelAndOwnership();
        await next();
        // Typed key by key, then left: the picker takes its value from input events and blur.
        for (const [field, value] of [
          [/^owner/i, 'acme'],
          [/^repository/i, 'gitops'],
        ] as const) {
          await pickerField(field).click();
          await pickerField(field).pressSequentially(value);
          await pickerField(field).press('Tab');
        }
        await shot('legacy-repository');
        await page.getByRole('button', { name: /^review/i }).click();
        await page.getByRole('button', { name: /^create/i }).click();
        await page.waitForURL(/\/create\/tasks\//, { timeout: UI_TIMEOUT_MS });
        const taskId = page.url().split('/').pop()!;

        // The task's own record: validate failed, and no step after it (publish included) ever started.
        let events: any[] = [];
        const deadline = Date.now() + 60_000;
        for (;;) {
          const res = await fetch(
            `${portal!.backendUrl}/api/scaffolder/v2/tasks/${taskId}/events`,
            { headers: { authorization: `Bearer ${token}` } },
          );
          events = await res.json();
          if (events.some(e => e.type === 'completion')) break;
          if (Date.now() > deadline)
            throw new Error(
              `task ${taskId} did not complete: ${JSON.stringify(
                events.slice(-3),
              )}`,
            );
          await new Promise(r => setTimeout(r, 500));
        }
        const stepStatus = (id: string) =>
          events
            .filter(e => e.body?.stepId === id && e.body?.status)
            .map(e => e.body.status);
        expect(stepStatus('validate')).toContain('failed');
        // The scaffolder marks the steps after a failure `skipped`: none of them ran.
        for (const step of ['lint', 'publish']) {
          expect(
            stepStatus(step).filter(status => status !== 'skipped'),
          ).toEqual([]);
        }
        const validateLog = events
          .filter(e => e.type === 'log' && e.body?.stepId === 'validate')
          .map(e => String(e.body.message))
          .join('\n');
        expect(validateLog).toMatch(/5 violation\(s\) found before merge/);
        expect(validateLog).toMatch(
          /out\/manifests \(kustomize build\):\d+: label-near-miss/,
        );
        expect(validateLog).toMatch(/kyverno:require-labels\/check-for-labels/);
        // A serving rule on the rendered InferenceService, from the template's policies/serving-rules.yaml.
        for (const missing of ['requests', 'limits']) {
          expect(validateLog).toMatch(
            new RegExp(
              `out/manifests \\(kustomize build\\):\\d+: inferenceservice-resources: predictor container \`model\` sets no resources\\.${missing} for \`cpu\`, \`memory\``,
            ),
          );
        }

        // The task page shows the failed step and the rule ids.
        await page
          .getByText('Validate labels, policies and serving rules')
          .first()
          .waitFor();
        const showLogs = page.getByRole('button', { name: /show logs/i });
        if (await showLogs.isVisible()) await showLogs.click();
        for (const rule of [
          'label-near-miss',
          'kyverno:require-labels/check-for-labels',
          'inferenceservice-resources',
        ]) {
          await page.getByText(rule).first().waitFor({ state: 'visible' });
        }
        await shot('legacy-run-stopped-at-validate');
      }),
    TEST_TIMEOUT_MS,
  );
});
