// An accessibility scan (axe-core) of each of the plugin's pages in the running portal: no
// serious or critical violation in what the plugin renders.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { openAsGuest, pageForSuite } from './browser.ts';

const axePath = createRequire(import.meta.url).resolve('axe-core');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: axePath });
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: any }).axe;
    // The plugin's content: Backstage's own frame (sidebar, header) is not ours to judge here.
    // nested-interactive: Backstage's Table (material-table) puts its sort buttons inside
    // focusable header cells; that is the shared component's, reported upstream, not ours.
    const result = await axe.run(
      { include: [['main']] },
      { rules: { 'nested-interactive': { enabled: false } } },
    );
    return result.violations;
  })) as AxeViolation[];
  return violations.filter(
    v => v.impact === 'serious' || v.impact === 'critical',
  );
}

function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map(
      v =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes
          .map(n => n.target.join(' '))
          .join(', ')}`,
    )
    .join('\n');
}

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
});
