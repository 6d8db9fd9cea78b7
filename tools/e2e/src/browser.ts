import fs from 'node:fs';
import { Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium (apt-get install chromium); playwright-core never
 * downloads a browser. CHROMIUM_PATH overrides the location.
 */
export function chromiumPath(): string {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
  ].filter((p): p is string => Boolean(p));
  const found = candidates.find(p => fs.existsSync(p));
  if (!found) {
    throw new Error(
      `No Chromium found (looked at ${candidates.join(
        ', ',
      )}). Install Debian's package: apt-get install -y chromium`,
    );
  }
  return found;
}

/** Headless Chromium with a fresh profile (Playwright creates a temporary user data dir per launch). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    timeout: 60_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
