// Launches Debian's Chromium through playwright-core: never a browser downloaded by a tool.
import { after, before } from 'node:test';
import {
  chromium,
  type Browser,
  type Locator,
  type Page,
} from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const APP_URL = process.env.FEDSTACK_APP_URL ?? 'http://localhost:3000';
export const BACKEND_URL =
  process.env.FEDSTACK_BACKEND_URL ?? 'http://localhost:7007';
export const ARTIFACTS_DIR = resolve(
  import.meta.dirname,
  '..',
  'artifacts',
  'e2e',
);

// playwright gives every launch a fresh, empty profile of its own. The fleet page benchmark
// (bench/page.mjs) launches through here too, with its own extra flags.
export async function launchBrowser(
  extraArgs: string[] = [],
): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      // The machine has no internet: background traffic would only fail, many times over.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/** Opens a path of the app, entering as guest when the sign-in page shows. */
export async function openAsGuest(page: Page, path: string): Promise<void> {
  await openAsGuestUntil(
    page,
    path,
    page.getByRole('navigation', { name: 'sidebar nav' }),
  );
}

/** Opens `path` as the guest, signing in when the sign-in page shows, until `signedIn` is there. */
export async function openAsGuestUntil(
  page: Page,
  path: string,
  signedIn: Locator,
): Promise<void> {
  await page.goto(`${APP_URL}${path}`);
  const enter = page.getByRole('button', { name: 'Enter' });
  // After the first sign-in the guest session is remembered and the app renders directly.
  await enter
    .or(signedIn)
    .first()
    .waitFor({ state: 'attached', timeout: 60_000 });
  // The sign-in page's button may be in the page before it can be clicked: click waits for it
  // (asking isVisible() at once could skip it and wait for a sign-in that never comes).
  if ((await enter.count()) > 0) {
    await enter.click({ timeout: 60_000 });
  }
  await signedIn.first().waitFor({ state: 'attached', timeout: 60_000 });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A page in a fresh browser for the tests of one suite: opened before them, closed after. */
export function pageForSuite(
  viewport = { width: 1440, height: 900 },
): () => Page {
  let browser: Browser | undefined;
  let page: Page | undefined;
  before(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport });
  });
  after(async () => {
    await browser?.close();
  });
  return () => page!;
}
