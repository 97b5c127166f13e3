// Backstage search finds OpenStack sites: the search module indexes each site (its name, GOCDB
// name, readiness, failing checks) from the OpenStack backend, and the portal's search page shows
// the site with a link to its catalog page. The index is built 30 s after the backend starts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openAsGuest, pageForSuite, screenshot } from './browser.ts';

describe('search', () => {
  const page = pageForSuite({ width: 1440, height: 1000 });

  it('finds site-a by name, linked to its catalog page', async () => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      await openAsGuest(page(), '/search?query=site-a');
      const link = page()
        .locator('a[href*="/catalog/default/resource/site-a"]')
        .first();
      const found = await link
        .waitFor({ timeout: 10_000 })
        .then(() => true)
        .catch(() => false);
      if (found) {
        await screenshot(page(), 'search-site-a');
        // The document says what the site is: its GOCDB name and where it stands.
        const text = (await page().locator('body').textContent()) ?? '';
        assert.match(text, /GOCDB name SANDBOX-SITE-A/);
        assert.match(text, /RegionOne\. (not scanned yet|egi-fedcloud)/);
        return;
      }
      if (Date.now() > deadline) {
        await screenshot(page(), 'search-site-a-missing');
        assert.fail('no search result links to site-a within 120 s');
      }
      // The first index is built 30 s after the backend started: ask again.
      await page().waitForTimeout(5_000);
    }
  });
});
