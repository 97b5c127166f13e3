// The adopted plugins in a fresh Backstage app (made by e2e/adoption/run.sh): the app's own
// backend serves its built frontend; the OpenStack fleet page and a site's OpenStack tab render
// with the app's one copy of each shared package, and the site's scan runs through the backend.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { APP_URL, openAsGuest, pageForSuite, screenshot } from '../browser.ts';

const appDir = process.env.FEDSTACK_ADOPTION_APP_DIR;
const SITE_TAB = '/catalog/default/resource/my-site/openstack';

// Packages that must exist once in an app: two copies split React's hooks, the catalog's
// entity context and the frontend system's extension registry.
const SINGLETONS = [
  'react',
  'react-dom',
  '@backstage/core-plugin-api',
  '@backstage/frontend-plugin-api',
  '@backstage/plugin-catalog-react',
];

describe('the plugins adopted by a fresh Backstage app', () => {
  const page = pageForSuite();

  it('share one copy of each singleton with the app', () => {
    assert.ok(appDir, 'FEDSTACK_ADOPTION_APP_DIR names the created app');
    const appPackage = join(appDir, 'packages', 'app');
    const ours = readdirSync(join(appDir, 'node_modules', '@fedstack')).map(
      name => join(appDir, 'node_modules', '@fedstack', name),
    );
    for (const singleton of SINGLETONS) {
      const fromApp = createRequire(join(appPackage, 'package.json')).resolve(
        `${singleton}/package.json`,
      );
      for (const dir of ours) {
        let fromPlugin: string;
        try {
          fromPlugin = createRequire(join(dir, 'package.json')).resolve(
            `${singleton}/package.json`,
          );
        } catch {
          continue; // a backend package: it never loads frontend singletons
        }
        assert.equal(
          fromPlugin,
          fromApp,
          `${dir} resolves ${singleton} to its own copy`,
        );
      }
    }
  });

  it('show the OpenStack fleet page with the site', async () => {
    await openAsGuest(page(), '/openstack');
    await page()
      .getByRole('link', { name: /my-site/i })
      .first()
      .waitFor({ timeout: 60_000 });
    await screenshot(page(), 'adoption-fleet');
  });

  it("show the site's OpenStack tab and scan it", async () => {
    await openAsGuest(page(), SITE_TAB);
    const scanNow = page().getByRole('button', { name: /scan now/i });
    await scanNow.waitFor({ timeout: 60_000 });
    assert.equal(await scanNow.isEnabled(), true, 'the owner may scan');
    await scanNow.click();
    await page()
      .getByText(/READY|NOT READY|INCOMPLETE/)
      .first()
      .waitFor({ timeout: 180_000 });
    await screenshot(page(), 'adoption-site');
  });
});

void APP_URL;
