// The site console against the real backend and the sandbox: run `project list` on site-a and
// see the CLI's table; type a shell command line and see it refused.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openAsGuest, pageForSuite, screenshot } from './browser.ts';

/** What the console printed so far (its transcript for screen readers mirrors the terminal). */
async function transcript(page: Page): Promise<string> {
  return (
    (await page.getByRole('log', { name: 'Console output' }).textContent()) ??
    ''
  );
}

async function waitForOutput(
  page: Page,
  pattern: RegExp,
  timeoutMs = 30_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await transcript(page);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) {
      throw new Error(`console output never matched ${pattern}:\n${text}`);
    }
    await page.waitForTimeout(250);
  }
}

async function run(page: Page, line: string): Promise<void> {
  await page.locator('[data-testid="site-console-terminal"]').click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

describe('site console', () => {
  const page = pageForSuite({ width: 1440, height: 1000 });

  it('runs project list on site-a and refuses a shell command line', async () => {
    await openAsGuest(
      page(),
      '/catalog/default/resource/site-a/openstack-console',
    );
    await page()
      .locator('.xterm-helper-textarea')
      .waitFor({ state: 'attached', timeout: 60_000 });
    await waitForOutput(page(), /Type "help" for the commands/);

    await run(page(), 'project list');
    const table = await waitForOutput(page(), /\| [0-9a-f]{32} \| ops +\|/);
    assert.match(table, /\| ID +\| Name +\|/);
    assert.match(table, /\| [0-9a-f]{32} \| admin +\|/);
    // The terminal itself shows the table too.
    await page()
      .locator('.xterm-rows')
      .getByText(/\|\s+ID\s+\|\s+Name\s+\|/)
      .first()
      .waitFor({ timeout: 10_000 });

    await run(page(), 'foo; rm -rf /');
    const refused = await waitForOutput(page(), /Refused: ";" not allowed/);
    assert.match(refused, /not a shell/);
    await screenshot(page(), 'site-a-console');
  });
});
