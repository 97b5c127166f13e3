// Sign-in with the sandbox's Check-in stand-in (app-config.sandbox.yaml): the portal's "EGI
// Check-in" button opens the provider's login page (authorization code flow with PKCE), and the
// portal then knows the person as user:default/<id of their subject>, with the groups their VO
// entitlements map to. site-a belongs to platform-team: its member scans it; a member of
// another VO only is refused, in the page and by the backend, and no scan starts. A tenant of
// platform-team's (requested through the REST API, left waiting for approval: nothing is
// replicated) is in the catalog for the platform-team member and not for the other VO's member.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { APP_URL, BACKEND_URL, launchBrowser, screenshot } from './browser.ts';
import {
  checkinAccount,
  checkinKeyPin,
  openCheckinLogin,
  submitCheckinLogin,
} from './checkin.ts';

const account = checkinAccount;
// Chromium trusts the provider's self-signed certificate, and only it (its key's SHA-256).
const providerKeyPin = checkinKeyPin();

const SITE_A = '/catalog/default/resource/site-a/openstack';
const SCANS = `${BACKEND_URL}/api/openstack/sites/default/site-a/scans`;

/** Signs in through the provider's login page, in the popup the sign-in page opens. */
async function signIn(page: Page, username: string, password: string) {
  const popup = await openCheckinLogin(page, SITE_A);
  assert.match(popup.url(), /^https:\/\/127\.0\.0\.1:8443\/authorize\?/);
  if (password !== account(username).password) {
    // A wrong password: the form again, with the provider's message.
    await popup.getByLabel('Username').fill(username);
    await popup.getByLabel('Password').fill(password);
    await popup.getByRole('button', { name: 'Sign in' }).click();
    await popup
      .getByRole('alert')
      .filter({ hasText: 'Invalid username or password.' })
      .waitFor({ timeout: 10_000 });
    password = account(username).password;
  }
  await submitCheckinLogin(page, popup, username, password);
}

/** The signed-in identity and its Backstage token, as the app gets them (the refresh cookie). */
async function identityOf(page: Page) {
  return page.evaluate(async backend => {
    const res = await fetch(
      `${backend}/api/auth/oidc/refresh?env=development`,
      {
        credentials: 'include',
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      },
    );
    const body = await res.json();
    return {
      token: body.backstageIdentity.token as string,
      identity: body.backstageIdentity.identity as {
        userEntityRef: string;
        ownershipEntityRefs: string[];
      },
      profile: body.profile as { displayName?: string; email?: string },
    };
  }, BACKEND_URL);
}

const latestScanId = async (token: string) => {
  const res = await fetch(`${SCANS}?limit=1`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { items: Array<{ id: string }> }).items[0]?.id;
};

const userRef = (sub: string) =>
  `user:default/${sub.slice(0, sub.indexOf('@'))}`;

const TENANTS = `${BACKEND_URL}/api/openstack/tenants`;
const entityOf = (token: string, name: string) =>
  fetch(
    `${BACKEND_URL}/api/catalog/entities/by-name/resource/default/${name}`,
    {
      headers: { authorization: `Bearer ${token}` },
    },
  );

/**
 * Requests a tenant of platform-team on site-a in the landing zone every request of which waits
 * for approval, and has the catalog import it now (its tenant provider runs every 5 minutes).
 */
async function tenantInCatalog(token: string) {
  const headers = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  };
  const res = await fetch(TENANTS, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      workspace: 'group:default/platform-team',
      site: 'resource:default/site-a',
      project: `e2e-signin-${randomBytes(3).toString('hex')}`,
      landingZone: 'dedicated',
    }),
  });
  const body = await res.text();
  assert.equal(res.status, 201, body);
  const tenant = JSON.parse(body) as { id: string; status: string };
  assert.equal(tenant.status, 'requires-approval');
  const trigger = `${BACKEND_URL}/api/catalog/.backstage/scheduler/v1/tasks/${encodeURIComponent(
    'OpenStackTenantProvider:refresh',
  )}/trigger`;
  for (let tries = 0; ; tries++) {
    // A run already under way answers 409: the next try triggers again.
    if (tries % 10 === 0) await fetch(trigger, { method: 'POST', headers });
    const entity = await entityOf(token, tenant.id);
    if (entity.status === 200)
      return {
        id: tenant.id,
        title: ((await entity.json()) as { metadata: { title: string } })
          .metadata.title,
      };
    assert.ok(tries < 60, `tenant ${tenant.id} never reached the catalog`);
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

describe('sign-in with the Check-in stand-in', () => {
  let browser: Browser;
  let operatorToken: string | undefined;
  let tenant: { id: string; title: string } | undefined;
  before(async () => {
    browser = await launchBrowser([
      `--ignore-certificate-errors-spki-list=${providerKeyPin}`,
    ]);
  });
  after(async () => {
    await browser?.close();
    // Withdrawn, the tenant leaves the catalog at the provider's next run.
    if (tenant && operatorToken)
      await fetch(`${TENANTS}/${tenant.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${operatorToken}` },
      });
  });

  it('a member of platform-team signs in on the login page and scans site-a', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
    });
    const page = await context.newPage();
    const operator = account('site-operator');
    await signIn(page, operator.username, 'not-the-password');

    const { identity, profile, token: ownToken } = await identityOf(page);
    operatorToken = ownToken;
    assert.equal(identity.userEntityRef, userRef(operator.sub));
    assert.deepEqual([...identity.ownershipEntityRefs].sort(), [
      'group:default/ops',
      'group:default/platform-team',
      userRef(operator.sub),
    ]);
    assert.equal(profile.displayName, operator.name);

    // The scorecard of the site the user's group owns: a scan runs to its end.
    const scanNow = page.getByRole('button', { name: /scan now/i });
    await scanNow.waitFor({ timeout: 60_000 });
    assert.ok(await scanNow.isEnabled(), 'the owner may scan');
    await scanNow.click();
    await page
      .getByText(/Scan finished in/)
      .first()
      .waitFor({ timeout: 90_000 });
    await screenshot(page, 'signin-owner-scanned-site-a');

    // A tenant of the user's workspace: its catalog page shows it.
    tenant = await tenantInCatalog(ownToken);
    await page.goto(`${APP_URL}/catalog/default/resource/${tenant.id}`);
    await page
      .getByRole('heading', { name: tenant.title })
      .first()
      .waitFor({ timeout: 30_000 });

    // The settings page shows the person, not the guest.
    await page.goto(`${APP_URL}/settings`);
    await page.getByText(operator.name).first().waitFor({ timeout: 30_000 });
    await context.close();
  });

  it('a member of another VO only is refused a scan of site-a', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
    });
    const page = await context.newPage();
    const member = account('vo-member');
    await signIn(page, member.username, member.password);

    const { identity, token } = await identityOf(page);
    assert.equal(identity.userEntityRef, userRef(member.sub));
    assert.deepEqual([...identity.ownershipEntityRefs].sort(), [
      'group:default/vo.access.egi.eu',
      userRef(member.sub),
    ]);
    const before = await latestScanId(token);

    // The page refuses: the button is disabled, or pressing it shows the backend's refusal.
    const scanNow = page.getByRole('button', { name: /scan now/i });
    await scanNow.waitFor({ timeout: 60_000 });
    if (await scanNow.isEnabled()) {
      await scanNow.click();
      await page
        .getByText('The scan could not start')
        .first()
        .waitFor({ timeout: 30_000 });
      await page
        .getByText(/403 Forbidden/)
        .first()
        .waitFor({ timeout: 10_000 });
    }
    assert.equal(await page.getByText(/Scan finished in/).count(), 0);
    await screenshot(page, 'signin-non-owner-refused-site-a');

    // The backend refuses the same user's token, and no scan started.
    const trigger = await fetch(SCANS, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(trigger.status, 403, await trigger.text());
    assert.equal(await latestScanId(token), before);

    // platform-team's tenant is not in the catalog for this user: its page says there is no
    // such entity, the catalog answers 404, and no list has it.
    assert.ok(tenant, 'the first test made no tenant');
    await page.goto(`${APP_URL}/catalog/default/resource/${tenant.id}`);
    await page
      .getByText(/There is no resource with the requested/i)
      .first()
      .waitFor({ timeout: 30_000 });
    await page.getByText('Entity not found').first().waitFor();
    assert.equal(await page.getByText(tenant.title).count(), 0);
    await screenshot(page, 'signin-non-member-no-tenant');
    assert.equal((await entityOf(token, tenant.id)).status, 404);
    const listed = await fetch(
      `${BACKEND_URL}/api/catalog/entities/by-query?filter=spec.type=openstack-project`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    assert.equal(listed.status, 200);
    const { items } = (await listed.json()) as {
      items: Array<{ metadata: { name: string } }>;
    };
    assert.ok(!items.some(item => item.metadata.name === tenant!.id));
    await context.close();
  });
});
