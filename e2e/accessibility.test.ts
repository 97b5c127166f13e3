// An accessibility scan (axe-core) of each of the plugin's pages in the running portal: no
// serious or critical violation in what the plugin renders.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeViolations, seriousViolations } from './axe.ts';
import { openAsGuest, pageForSuite } from './browser.ts';

describe('accessibility of the OpenStack pages', () => {
  const page = pageForSuite();

  it('fleet page', async () => {
    await openAsGuest(page(), '/openstack');
    await page()
      .getByRole('heading', { name: 'OpenStack fleet' })
      .waitFor({ timeout: 60_000 });
    await page()
      .getByText('Sandbox site A')
      .first()
      .waitFor({ timeout: 30_000 });
    const violations = await seriousViolations(page());
    assert.deepEqual(violations, [], describeViolations(violations));
  });

  it('site scorecard', async () => {
    await openAsGuest(page(), '/catalog/default/resource/site-a/openstack');
    await page().getByText('Readiness').first().waitFor({ timeout: 60_000 });
    const violations = await seriousViolations(page());
    assert.deepEqual(violations, [], describeViolations(violations));
  });

  it('site console', async () => {
    await openAsGuest(
      page(),
      '/catalog/default/resource/site-a/openstack-console',
    );
    await page()
      .getByRole('log', { name: 'Console output' })
      .waitFor({ state: 'attached', timeout: 60_000 });
    const violations = await seriousViolations(page());
    assert.deepEqual(violations, [], describeViolations(violations));
  });
});
