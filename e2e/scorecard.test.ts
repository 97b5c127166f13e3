// The scorecard against the real backend and the sandbox: scan site-b from its page, watch
// the progress, and see its failing checks with their evidence (loaded when a row is opened).
// The details naming accounts (accounts.replicator's user) are for the site's owners: the guest
// (platform-team, site-b's owner) sees the replicator's name; a member of another VO only,
// signed in with the Check-in stand-in, is told they are shown to the owners, and not the name.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { checkinKeyPin, signInWithCheckin } from './checkin.ts';
import {
  launchBrowser,
  openAsGuest,
  pageForSuite,
  screenshot,
} from './browser.ts';

const SITE_B = '/catalog/default/resource/site-b/openstack';
/** The replicator account of the sandbox's sites (credentials.env). */
const REPLICATOR = process.env.FEDSTACK_SANDBOX_REPLICATOR_USERNAME;
assert.ok(REPLICATOR, 'FEDSTACK_SANDBOX_REPLICATOR_USERNAME (credentials.env)');
const REPLICATOR_DETAIL = `"user": "${REPLICATOR}"`;
const WITHHELD_USER =
  "The details that name accounts or people (user) are shown to the site's owners (those who may scan it) only.";
const WITHHELD_EVIDENCE =
  "Request and response headers and bodies, and the details that name accounts or people, are shown to the site's owners (those who may scan it) only.";

/** accounts.replicator's row, opened: its evidence and details. */
async function openReplicatorRow(page: Page) {
  await page.locator('#openstack-check-accounts-replicator-header').click();
  return page.locator('#openstack-check-accounts-replicator-details');
}

describe('site scorecard', () => {
  const page = pageForSuite({ width: 1440, height: 1100 });

  it('scans site-b on demand and shows its failing checks', async () => {
    await openAsGuest(page(), '/catalog/default/resource/site-b/openstack');
    const scanNow = page().getByRole('button', { name: /scan now/i });
    await scanNow.waitFor({ timeout: 60_000 });
    await scanNow.click();
    // Live progress, then the results of the real scan.
    await page()
      .getByText(/checks done/i)
      .first()
      .waitFor({ timeout: 30_000 });
    await page()
      .getByText(/NOT READY/)
      .first()
      .waitFor({ timeout: 60_000 });
    const replicator = page().getByText('accounts.replicator').first();
    await replicator.waitFor({ timeout: 30_000 });
    // Waited for: the results of the scan before may show first, then this one's.
    await page()
      .getByText(/holds no admin role/)
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshot(page(), 'site-b-scorecard');

    // The site read carries evidence summaries only; an opened row loads the check's full
    // evidence, headers and bodies included for the guest, who owns the demo's sites.
    // The check's own row (its id is also named in the readiness card's blocking list).
    const row = await openReplicatorRow(page());
    const request = row.getByLabel(/^Request [A-Z]+ http/).first();
    await request.waitFor({ timeout: 30_000 });
    assert.match(await request.innerText(), /→ .+ in \d+ ms/);
    // The full details, the replicator's account name among them (the site read has them
    // without it: the name comes with the full result).
    const details = row.getByLabel('Details as JSON');
    await details
      .filter({ hasText: REPLICATOR_DETAIL })
      .waitFor({ timeout: 30_000 });
    assert.match(await details.innerText(), /"role": "member"/);
    assert.equal(
      await page()
        .getByText(/shown to the site's owners/)
        .count(),
      0,
    );
  });

  it('evaluates every check of site-a from the portal, none left out', async () => {
    await openAsGuest(page(), '/catalog/default/resource/site-a/openstack');
    const scanNow = page().getByRole('button', { name: /scan now/i });
    await scanNow.waitFor({ timeout: 60_000 });
    await scanNow.click();
    await page()
      .getByText(/Scan finished in/)
      .first()
      .waitFor({ timeout: 60_000 });
    // The checks that need sources outside the site ran: GOCDB, the information system, the
    // accounting portal and the federated login are configured in the demo.
    for (const id of [
      'registration.gocdb',
      'registration.info',
      'accounting.fresh',
      'accounting.coverage',
      'federation.login',
    ]) {
      await page().getByText(id).first().waitFor({ timeout: 10_000 });
    }
    assert.equal(
      await page()
        .getByText(/not evaluated/i)
        .count(),
      0,
    );
    assert.equal(await page().getByText('INCOMPLETE').count(), 0);
    await screenshot(page(), 'site-a-scorecard');
  });

  it('lists both sites with their readiness on the fleet page', async () => {
    await openAsGuest(page(), '/openstack');
    await page()
      .getByRole('heading', { name: 'OpenStack fleet' })
      .waitFor({ timeout: 60_000 });
    await page()
      .getByText(/NOT READY/)
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshot(page(), 'fleet-scored');
  });
});

describe('site scorecard for a reader who does not own the site', () => {
  let browser: Browser;
  before(async () => {
    // Chromium trusts the Check-in stand-in's self-signed certificate by its key alone.
    browser = await launchBrowser([
      `--ignore-certificate-errors-spki-list=${checkinKeyPin()}`,
    ]);
  });
  after(async () => {
    await browser?.close();
  });

  it("vo-member sees accounts.replicator's details without the account's name", async () => {
    const page = await browser.newPage({
      viewport: { width: 1440, height: 1100 },
    });
    // vo-member: vo.access.egi.eu only, not platform-team (site-b's owner).
    await signInWithCheckin(page, 'vo-member', SITE_B);
    await page
      .getByText(/NOT READY/)
      .first()
      .waitFor({ timeout: 60_000 });
    const row = await openReplicatorRow(page);
    // The check's result as a non-owner reads it (loaded when the row opens): its requests
    // summarized, and saying so.
    await row.getByText(WITHHELD_EVIDENCE).waitFor({ timeout: 30_000 });
    const request = row.getByLabel(/^Request [A-Z]+ http/).first();
    assert.match(await request.innerText(), /→ .+ in \d+ ms/);
    // The roles, not the account's name, and why.
    await row.getByText(WITHHELD_USER).waitFor({ timeout: 10_000 });
    const details = await row.getByLabel('Details as JSON').innerText();
    assert.match(details, /"role": "member"/);
    assert.doesNotMatch(details, /"user"/);
    assert.ok(
      !(await page.locator('main').innerText()).includes(REPLICATOR_DETAIL),
      "the replicator's account name is on the page",
    );
    await screenshot(page, 'site-b-scorecard-non-owner');
    await page.close();
  });
});
