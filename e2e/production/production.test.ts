// The production portal (scripts/production.sh, started by scripts/test-production.sh on
// FEDSTACK_APP_URL): the built backend serves the built app on one origin, on PostgreSQL, with
// sign-in through the sandbox's Check-in stand-in only. Not under e2e/ itself: the demo's browser
// tests (e2e/*.test.ts) run against the development portal.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { APP_URL, BACKEND_URL, launchBrowser, screenshot } from '../browser.ts';
import {
  checkinAccount,
  checkinKeyPin,
  submitCheckinLogin,
} from '../checkin.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const operator = checkinAccount('site-operator');
// Chromium trusts the provider's self-signed certificate, and only it (as e2e/signin.test.ts).
const providerKeyPin = checkinKeyPin();

// The development bundle the dev server sends: the index's scripts of the production build stay
// under a quarter of it, all the scripts a session loads (sign-in, fleet, site page) under half.
const DEV_BUNDLE_BYTES = 17.8e6;
const SITE_A = '/catalog/default/resource/site-a/openstack';

/** Markers of a development build or a dev server in served JavaScript. */
const DEV_MARKERS = [
  'react-dom.development',
  'webpack-dev-server',
  'webpackHotUpdate',
  'hot-update.json',
  'react-refresh',
];

describe('the production portal', () => {
  it('refuses to start without its environment, naming each missing variable', () => {
    const run = spawnSync('bash', [join(ROOT, 'scripts', 'production.sh')], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 2, run.stderr);
    for (const name of [
      'POSTGRES_HOST',
      'POSTGRES_PORT',
      'POSTGRES_USER',
      'POSTGRES_PASSWORD',
      'AUTH_SESSION_SECRET',
      'AUTH_OIDC_METADATA_URL',
      'AUTH_OIDC_CLIENT_ID',
      'AUTH_OIDC_CLIENT_SECRET',
    ])
      assert.match(
        run.stderr,
        new RegExp(`missing environment variable ${name}:`),
      );
  });

  it('reads the configuration schema written by the build, compiling no TypeScript at start', () => {
    // scripts/test-production.sh writes the portal's output there.
    const log = readFileSync(
      join(ROOT, 'artifacts', 'production', 'portal.log'),
      'utf8',
    );
    assert.match(
      log,
      /Configuration schema read from \S+\/dist\/production\/packages\/backend\/dist\/config-schema\.json, written at build time/,
    );
  });

  it('serves the production build of the app from the backend', async () => {
    assert.equal(
      APP_URL,
      BACKEND_URL,
      'one origin: the backend serves the app',
    );
    const res = await fetch(`${APP_URL}/`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<div id="root">/);
    // The backend's app plugin serves the built index (the dev server's has no hashed scripts).
    const scripts = [...html.matchAll(/<script[^>]* src="([^"]+)"/g)].map(
      m => new URL(m[1], APP_URL),
    );
    assert.ok(scripts.length > 0, 'the index loads scripts');
    let bytes = 0;
    for (const url of scripts) {
      assert.equal(
        url.origin,
        new URL(APP_URL).origin,
        `${url} is served by the backend`,
      );
      assert.match(
        url.pathname,
        /^\/static\/[\w.-]+\.[0-9a-f]{8,}\.js$/,
        'a hashed build file',
      );
      const script = await fetch(url);
      assert.equal(script.status, 200, String(url));
      const body = await script.text();
      bytes += Buffer.byteLength(body);
      for (const marker of DEV_MARKERS)
        assert.ok(!body.includes(marker), `${url} contains ${marker}`);
    }
    console.log(
      `index scripts: ${scripts.length}, ${(bytes / 1e6).toFixed(
        2,
      )} MB (development bundle: 17.8 MB)`,
    );
    assert.ok(
      bytes < DEV_BUNDLE_BYTES / 4,
      `${bytes} bytes of initial scripts`,
    );
  });

  it('refuses guest sign-in', async () => {
    for (const query of ['', '?env=production', '?env=development']) {
      const res = await fetch(`${BACKEND_URL}/api/auth/guest/refresh${query}`, {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      });
      const body = await res.text();
      assert.notEqual(res.status, 200, body);
      assert.doesNotMatch(body, /backstageIdentity/);
    }
  });

  describe('in Chromium', () => {
    let browser: Browser;
    before(async () => {
      browser = await launchBrowser([
        `--ignore-certificate-errors-spki-list=${providerKeyPin}`,
      ]);
    });
    after(async () => {
      await browser?.close();
    });

    it("signs in on the provider's login page and shows the fleet and site-a", async () => {
      const context = await browser.newContext({
        viewport: { width: 1440, height: 1000 },
      });
      const page: Page = await context.newPage();
      // Every script the session loads, as the browser got it.
      const scripts: Promise<{ url: string; body: string }>[] = [];
      page.on('response', (response: Response) => {
        if (response.request().resourceType() === 'script')
          scripts.push(
            response
              .text()
              .then(body => ({ url: response.url(), body }))
              .catch(() => ({ url: response.url(), body: '' })),
          );
      });

      await page.goto(`${APP_URL}/openstack`);
      // The production sign-in page: Check-in only, no guest.
      await page.getByText('EGI Check-in').first().waitFor({ timeout: 60_000 });
      assert.equal(
        await page.getByRole('button', { name: 'Enter' }).count(),
        0,
      );
      assert.equal(await page.getByText('Guest', { exact: true }).count(), 0);
      const popupOpened = page.waitForEvent('popup');
      await page.getByRole('button', { name: 'Sign In' }).click();
      const popup = await popupOpened;
      await popup.getByLabel('Username').waitFor({ timeout: 30_000 });
      assert.match(popup.url(), /^https:\/\/127\.0\.0\.1:8443\/authorize\?/);
      assert.match(
        decodeURIComponent(popup.url()),
        new RegExp(`redirect_uri=${APP_URL}/api/auth/oidc/handler/frame`),
      );
      await submitCheckinLogin(page, popup, operator.username);

      // The person, from the provider's claims (env=production: the production provider config).
      const identity = await page.evaluate(async backend => {
        const res = await fetch(
          `${backend}/api/auth/oidc/refresh?env=production`,
          {
            credentials: 'include',
            headers: { 'X-Requested-With': 'XMLHttpRequest' },
          },
        );
        return (await res.json()).backstageIdentity.identity as {
          userEntityRef: string;
          ownershipEntityRefs: string[];
        };
      }, BACKEND_URL);
      const user = `user:default/${operator.sub.slice(
        0,
        operator.sub.indexOf('@'),
      )}`;
      assert.equal(identity.userEntityRef, user);
      assert.ok(
        identity.ownershipEntityRefs.includes('group:default/platform-team'),
      );

      // The fleet page, with both sandbox sites from the catalog (on PostgreSQL).
      const heading = page.getByRole('heading', { name: 'OpenStack fleet' });
      await heading.waitFor({ timeout: 60_000 });
      await page
        .getByText('http://127.0.0.1:5000/v3')
        .waitFor({ timeout: 60_000 });
      await page.getByText('http://127.0.0.2:5000/v3').waitFor();
      await screenshot(page, 'production-fleet');

      // site-a's OpenStack tab.
      await page.goto(`${APP_URL}${SITE_A}`);
      await page
        .getByText('OpenStack site')
        .first()
        .waitFor({ timeout: 60_000 });
      await page
        .getByText('SANDBOX-SITE-A', { exact: true })
        .first()
        .waitFor({ timeout: 30_000 });
      await screenshot(page, 'production-site-a');

      // Every script the browser ran came from the backend, as a production build.
      const loaded = await Promise.all(scripts);
      const origin = new URL(APP_URL).origin;
      const own = loaded.filter(s => s.url.startsWith(`${origin}/`));
      assert.ok(own.length > 0);
      let bytes = 0;
      for (const { url, body } of own) {
        bytes += Buffer.byteLength(body);
        for (const marker of DEV_MARKERS)
          assert.ok(!body.includes(marker), `${url} contains ${marker}`);
      }
      assert.deepEqual(
        loaded.filter(s => !s.url.startsWith(`${origin}/`)).map(s => s.url),
        [],
        'no script from elsewhere (no dev server)',
      );
      console.log(
        `scripts loaded by the session: ${own.length}, ${(bytes / 1e6).toFixed(
          2,
        )} MB (development bundle: 17.8 MB)`,
      );
      assert.ok(bytes < DEV_BUNDLE_BYTES / 2, `${bytes} bytes of scripts`);
      await context.close();
    });
  });
});
