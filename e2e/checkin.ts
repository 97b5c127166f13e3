// Sign-in through the sandbox's Check-in stand-in (sandbox/README.md "Portal sign-in"), for the
// browser tests that sign in as a person rather than as the guest.
import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { APP_URL } from './browser.ts';

export interface CheckinAccount {
  username: string;
  password: string;
  sub: string;
  name: string;
}

const require = createRequire(import.meta.url);
const { oidcAccounts } = require('../sandbox/lib/federation.js') as {
  oidcAccounts: (env: NodeJS.ProcessEnv) => CheckinAccount[];
};

/** One of the stand-in's test accounts (ops-tester, site-operator, vo-member, …). */
export function checkinAccount(username: string): CheckinAccount {
  const account = oidcAccounts(process.env).find(a => a.username === username);
  if (!account) throw new Error(`The Check-in stand-in has no ${username}`);
  return account;
}

/**
 * Chromium trusts the provider's self-signed certificate, and only it: the SHA-256 of its public
 * key, for `--ignore-certificate-errors-spki-list`.
 */
export function checkinKeyPin(): string {
  const sandboxDir =
    process.env.FEDSTACK_SANDBOX_DIR ??
    resolve(import.meta.dirname, '..', '.sandbox');
  const spki = createPublicKey(
    readFileSync(join(sandboxDir, 'oidc', 'tls.crt')),
  ).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/** Opens `path`, presses the sign-in page's "Sign In" and returns the login page's popup. */
export async function openCheckinLogin(
  page: Page,
  path: string,
  appUrl = APP_URL,
): Promise<Page> {
  await page.goto(`${appUrl}${path}`);
  await page.getByText('EGI Check-in').first().waitFor({ timeout: 60_000 });
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Sign In' }).click();
  const popup = await popupOpened;
  await popup.getByLabel('Username').waitFor({ timeout: 60_000 });
  return popup;
}

/** Fills the login form and waits until the portal shows signed in. */
export async function submitCheckinLogin(
  page: Page,
  popup: Page,
  username: string,
  password = checkinAccount(username).password,
): Promise<void> {
  await popup.getByLabel('Username').fill(username);
  await popup.getByLabel('Password').fill(password);
  await popup.getByRole('button', { name: 'Sign in' }).click();
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .waitFor({ state: 'attached', timeout: 60_000 });
}

/** Signs in as `username` on `path`'s sign-in page. */
export async function signInWithCheckin(
  page: Page,
  username: string,
  path: string,
): Promise<void> {
  await submitCheckinLogin(page, await openCheckinLogin(page, path), username);
}
