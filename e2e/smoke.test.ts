// Browser smoke test: the real app and backend, Debian's Chromium, the OpenStack plugin's pages.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BACKEND_URL,
  openAsGuest,
  pageForSuite,
  screenshot,
} from './browser.ts';

describe('OpenStack plugin in the running portal', () => {
  const page = pageForSuite();

  it('serves the fleet page with the example sites', async () => {
    await openAsGuest(page(), '/openstack');
    const heading = page().getByRole('heading', { name: 'OpenStack fleet' });
    await heading.waitFor({ timeout: 60_000 });
    assert.equal(await heading.textContent(), 'OpenStack fleet');
    // Both sandbox sites come from catalog-info.yaml through the real catalog backend.
    await page().getByText('http://127.0.0.1:5000/v3').waitFor();
    await page().getByText('http://127.0.0.2:5000/v3').waitFor();
    await screenshot(page(), 'fleet');
  });

  it('lands on the fleet page at / (where sign-in returns), not on "page not found"', async () => {
    await openAsGuest(page(), '/');
    await page()
      .getByRole('heading', { name: 'OpenStack fleet' })
      .waitFor({ timeout: 60_000 });
    assert.equal(new URL(page().url()).pathname, '/openstack');
  });

  it('opens the catalog on Resources, where the sites are', async () => {
    await openAsGuest(page(), '/catalog');
    await page()
      .getByRole('link', { name: /sandbox site a/i })
      .first()
      .waitFor({ timeout: 60_000 });
  });

  it('lights one sidebar item on the tenant pages, not the fleet beside them', async () => {
    await openAsGuest(page(), '/openstack/tenants');
    const nav = page().getByRole('navigation', { name: 'sidebar nav' });
    await nav
      .getByRole('link', { name: 'Tenants' })
      .waitFor({ timeout: 60_000 });
    const current = nav.locator('a[aria-current="page"]');
    assert.equal(await current.count(), 1);
    assert.match((await current.textContent()) ?? '', /Tenants/);
  });

  it("answers Backstage's own refusals without a stack trace, even in development", async () => {
    // No token: the 401 comes from Backstage's auth middleware, before the plugin's router.
    const unauthorized = await fetch(`${BACKEND_URL}/api/openstack/sites`);
    assert.equal(unauthorized.status, 401);
    const body = await unauthorized.text();
    assert.doesNotMatch(body, /"stack"|node_modules|\/work\//);
    const missing = await fetch(`${BACKEND_URL}/api/no-such-plugin/x`);
    assert.equal(missing.status, 404);
    assert.doesNotMatch(await missing.text(), /"stack"|node_modules/);
  });

  it('shows the OpenStack tab on a site entity page', async () => {
    await openAsGuest(page(), '/catalog/default/resource/site-a/openstack');
    await page()
      .getByText('OpenStack site')
      .first()
      .waitFor({ timeout: 60_000 });
    // Exact: the scorecard's check messages name the GOCDB site too.
    await page().getByText('SANDBOX-SITE-A', { exact: true }).first().waitFor();
    await screenshot(page(), 'site-a');
  });
});
