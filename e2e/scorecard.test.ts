// The scorecard against the real backend and the sandbox: scan site-b from its page, watch
// the progress, and see its failing checks with their evidence.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openAsGuest, pageForSuite, screenshot } from './browser.ts';

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
    assert.ok(
      await page()
        .getByText(/holds no admin role/)
        .first()
        .isVisible(),
    );
    await screenshot(page(), 'site-b-scorecard');
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
