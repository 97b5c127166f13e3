// Every page of the plugin in the running portal (real backend, sandbox sites) at a desktop's
// 1440×900 and a phone's 390×844: nothing sticks out sideways beyond what is meant to scroll, no
// text is cut, the names that matter keep their words whole, and axe-core finds no serious or
// critical violation. Each page is saved as a screenshot in artifacts/e2e; with
// FEDSTACK_UPDATE_SCREENSHOTS=1 the README's screenshots (docs/screenshots) are taken again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describeViolations, seriousViolations } from './axe.ts';
import { BACKEND_URL, pageForSuite, screenshot } from './browser.ts';
import {
  brokenWords,
  cutTexts,
  DESKTOP,
  horizontalOverflow,
  openAsGuestAtAnySize,
  outOfView,
  PHONE,
} from './layout.ts';

const WORKSPACE = 'group:default/platform-team';
/**
 * The fleet's rows on a phone: a score, a readiness, a blocking check and "+N more" a profile
 * (sandbox site B's row: 248 px with every blocking check listed, 128 px with the first and
 * "+N more").
 */
const PHONE_ROW_HEIGHT = 160;
const DOCS_DIR = resolve(import.meta.dirname, '..', 'docs', 'screenshots');
const updateDocs = process.env.FEDSTACK_UPDATE_SCREENSHOTS === '1';

/** Waits for the backend (the development portal restarts it when its sources change). */
async function backendUp(): Promise<void> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const ok = await fetch(`${BACKEND_URL}/api/openstack/health`)
      .then(response => response.ok)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error('the backend does not answer');
    await new Promise(done => setTimeout(done, 2000));
  }
}

async function guestHeaders(): Promise<Record<string, string>> {
  await backendUp();
  // A portal just started may sign the guest in before the catalog has read its user: without
  // its groups (the workspace's) until then.
  const deadline = Date.now() + 120_000;
  let identity: {
    backstageIdentity?: {
      token?: string;
      identity?: { ownershipEntityRefs?: string[] };
    };
  };
  for (;;) {
    const response = await fetch(`${BACKEND_URL}/api/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    identity = await response.json();
    const groups =
      identity.backstageIdentity?.identity?.ownershipEntityRefs ?? [];
    if (groups.includes(WORKSPACE) || Date.now() > deadline) break;
    await new Promise(done => setTimeout(done, 2000));
  }
  return {
    Authorization: `Bearer ${identity.backstageIdentity?.token}`,
    'Content-Type': 'application/json',
  };
}

// A tenant of the dedicated landing zone waits for an approver: it shows in the approvals and has
// a page, and nothing of it reaches Keystone (deleting it while it waits only marks it deleted).
let tenantId: string | undefined;
const project = `layout-${randomBytes(3).toString('hex')}`;

interface Screen {
  name: string;
  path: () => string;
  /** Waits until the page shows what it is about. */
  ready: (page: Page) => Promise<void>;
  /** Texts whose words must stay whole (not broken across lines). */
  whole?: (page: Page) => Locator;
  /** What must be wholly in sight without scrolling sideways, even on a phone. */
  inView?: (page: Page) => Locator;
  /** Further checks of the page: what they find wrong. */
  check?: (page: Page) => Promise<string[]>;
  /** Not among the README's screenshots. */
  notInReadme?: boolean;
  /**
   * Scrolls to what the README's screenshot at this size shows (its first screen when not
   * given); the page is scrolled back before it is checked.
   */
  docsView?: (page: Page, size: 'desktop' | 'phone') => Promise<void>;
}

const tenantsPath = `/openstack/tenants?workspace=${encodeURIComponent(
  WORKSPACE,
)}`;

const screens: Screen[] = [
  {
    name: 'fleet',
    path: () => '/openstack',
    ready: async page => {
      await page
        .getByRole('heading', { name: 'OpenStack fleet' })
        .waitFor({ timeout: 60_000 });
      await page
        .getByRole('link', { name: 'Sandbox site B' })
        .waitFor({ timeout: 60_000 });
    },
    whole: page => page.locator('main table tbody tr td:first-child'),
    // On a phone: the table at the top, scrolled sideways to the first profile of the site with
    // "+N more" blocking checks, the site's name still in sight.
    docsView: async (page, size) => {
      if (size !== 'phone') return;
      await page
        .locator('main table summary')
        .first()
        .waitFor({ timeout: 60_000 });
      await page
        .locator('main table')
        .first()
        .evaluate(table => {
          const row = Array.from(table.querySelectorAll('tbody tr')).find(tr =>
            tr.querySelector('summary'),
          )!;
          const name = row.querySelector('td')!.getBoundingClientRect();
          const profile = row
            .querySelector('summary')!
            .closest('td')!
            .getBoundingClientRect();
          table.parentElement!.scrollLeft += profile.left - name.right;
          const head = table.querySelector('thead') ?? row;
          window.scrollBy(0, head.getBoundingClientRect().top - 8);
        });
    },
    // The site's name, and the table's pages, whatever the columns' width.
    inView: page =>
      page.getByRole('link', { name: /^Sandbox site [AB]$/ }).or(
        page.getByRole('button', {
          name: /^(First|Last|Next|Previous) Page$/,
        }),
      ),
    // Scrolled to the table's last column, the site's name is still there to read.
    check: async page => {
      await page
        .locator('main table')
        .first()
        .evaluate(table => {
          table.parentElement!.scrollLeft = table.parentElement!.scrollWidth;
        });
      const unread = await page
        .getByRole('link', { name: /^Sandbox site [AB]$/ })
        .evaluateAll(links =>
          links
            .filter(link => {
              // Brought into the viewport up or down only (scrollIntoView would scroll the table
              // sideways back to it).
              const before = link.getBoundingClientRect();
              window.scrollBy(0, before.top - window.innerHeight / 2);
              const box = link.getBoundingClientRect();
              const top = document.elementFromPoint(
                box.left + box.width / 2,
                box.top + box.height / 2,
              );
              // Out of the viewport, or under the columns scrolled beneath it.
              return (
                box.left < 0 ||
                box.right > window.innerWidth ||
                !link.contains(top)
              );
            })
            .map(link => link.textContent ?? ''),
        );
      await page
        .locator('main table')
        .first()
        .evaluate(table => {
          table.parentElement!.scrollLeft = 0;
          window.scrollTo(0, 0);
        });
      // On a phone a site's row stays a few lines high: a not-ready site's blocking checks do not
      // stack up in its profile's narrow column (its first and how many more, opened on demand).
      const tall = await page.locator('main table tbody tr').evaluateAll(
        (rows, most) =>
          window.innerWidth >= 600
            ? []
            : rows
                .map(row => ({
                  name: row.querySelector('td')?.textContent ?? '',
                  height: Math.round(row.getBoundingClientRect().height),
                }))
                .filter(row => row.height > most),
        PHONE_ROW_HEIGHT,
      );
      return [
        ...unread.map(
          name => `${name} is out of sight with the table scrolled sideways`,
        ),
        ...tall.map(
          ({ name, height }) =>
            `${name}'s row is ${height}px high on a phone (at most ${PHONE_ROW_HEIGHT}px)`,
        ),
      ];
    },
  },
  {
    name: 'scorecard',
    path: () => '/catalog/default/resource/site-b/openstack',
    ready: async page => {
      await page
        .getByText(/NOT READY/)
        .first()
        .waitFor({ timeout: 60_000 });
      // A failing check's row of the check list.
      await page
        .locator('#openstack-check-accounts-replicator-header')
        .waitFor({ timeout: 30_000 });
    },
    // The status, title and severity of each check (its message may hold long identifiers).
    whole: page =>
      page
        .locator('main [aria-controls$="-details"]')
        .locator('.MuiChip-label, p:first-of-type'),
  },
  {
    name: 'console',
    path: () => '/catalog/default/resource/site-a/openstack-console',
    ready: async page => {
      await page
        .getByRole('log', { name: 'Console output' })
        .waitFor({ state: 'attached', timeout: 60_000 });
      await page.locator('[data-testid="site-console-terminal"]').click();
      await page.keyboard.type('project list');
      await page.keyboard.press('Enter');
      await page
        .getByRole('log', { name: 'Console output' })
        .getByText(/\| ID/)
        .first()
        .waitFor({ state: 'attached', timeout: 30_000 });
    },
  },
  {
    name: 'tenants',
    path: () => tenantsPath,
    ready: async page => {
      await page
        .getByRole('heading', { name: 'OpenStack tenants' })
        .waitFor({ timeout: 60_000 });
      await page
        .getByRole('button', { name: new RegExp(`Approve .*${project}`) })
        .waitFor({ timeout: 30_000 });
    },
    whole: page => page.locator('main table'),
  },
  {
    name: 'tenant-request',
    path: () => `${tenantsPath}&request=1`,
    ready: async page => {
      await page
        .getByRole('form', { name: 'Request a tenant' })
        .getByLabel('Site')
        .waitFor({ timeout: 60_000 });
    },
    whole: page => page.getByRole('form', { name: 'Request a tenant' }),
  },
  {
    name: 'tenant',
    path: () => `/openstack/tenants/${tenantId}`,
    ready: async page => {
      await page
        .getByRole('heading', { name: new RegExp(project) })
        .first()
        .waitFor({ timeout: 60_000 });
      await page
        .getByRole('button', { name: /Reject/ })
        .first()
        .waitFor({ timeout: 30_000 });
    },
    whole: page => page.locator('main table'),
  },
  {
    name: 'site-overview',
    path: () => '/catalog/default/resource/site-b',
    ready: async page => {
      await page
        .getByText('OpenStack readiness')
        .first()
        .waitFor({ timeout: 60_000 });
      await page
        .getByText(/NOT READY/)
        .first()
        .waitFor({ timeout: 30_000 });
    },
    notInReadme: true,
  },
  {
    name: 'workspace-tenants',
    path: () => '/catalog/default/group/platform-team/tenants',
    ready: async page => {
      await page
        .getByRole('link', { name: project })
        .waitFor({ timeout: 60_000 });
    },
    whole: page => page.locator('main table'),
    notInReadme: true,
  },
];

describe("every page at a desktop's and a phone's size", () => {
  before(async () => {
    const headers = await guestHeaders();
    const created = await fetch(`${BACKEND_URL}/api/openstack/tenants`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        workspace: WORKSPACE,
        site: 'resource:default/site-a',
        project,
        landingZone: 'dedicated',
        description: 'A tenant of the page layout test, waiting for approval',
      }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    tenantId = ((await created.json()) as { id: string }).id;

    // The scorecards and the fleet show scores: each sandbox site needs a finished scan (the
    // portal's first scheduled one comes 30 s after start; a scan is asked here if none came).
    const deadline = Date.now() + 180_000;
    let asked = false;
    for (;;) {
      const response = await fetch(`${BACKEND_URL}/api/openstack/sites`, {
        headers,
      }).catch(() => undefined);
      const sites = response?.ok
        ? ((await response.json()) as {
            items: Array<{
              name: string;
              latestScan: { status: string } | null;
            }>;
          })
        : { items: [{ name: 'the backend', latestScan: null }] };
      const unscanned = sites.items.filter(
        site => site.latestScan?.status !== 'completed',
      );
      if (unscanned.length === 0) break;
      if (Date.now() > deadline)
        throw new Error(
          `no finished scan of ${unscanned.map(s => s.name).join(', ')}`,
        );
      if (!asked && response?.ok && Date.now() > deadline - 150_000) {
        asked = true;
        for (const site of unscanned)
          await fetch(
            `${BACKEND_URL}/api/openstack/sites/default/${site.name}/scans`,
            { method: 'POST', headers },
          );
      }
      await new Promise(done => setTimeout(done, 2000));
    }
  });

  after(async () => {
    if (!tenantId) return;
    const response = await fetch(
      `${BACKEND_URL}/api/openstack/tenants/${tenantId}`,
      { method: 'DELETE', headers: await guestHeaders() },
    );
    if (!response.ok)
      console.warn(`could not delete tenant ${tenantId}: ${response.status}`);
  });

  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    describe(`pages at ${viewport.width}×${viewport.height} (${size})`, () => {
      const page = pageForSuite(viewport);

      for (const screen of screens) {
        it(`${screen.name}: nothing overflows or is cut, no serious axe violation`, async () => {
          await openAsGuestAtAnySize(page(), screen.path());
          await screen.ready(page());
          await page()
            .waitForLoadState('networkidle', { timeout: 10_000 })
            .catch(() => undefined);
          // Saved first: a failing page is seen as it failed.
          await screenshot(page(), `page-${screen.name}-${size}`);
          if (updateDocs && !screen.notInReadme) {
            mkdirSync(DOCS_DIR, { recursive: true });
            await screen.docsView?.(page(), size);
            // One screen, as a reader of the README would see it: small files.
            await page().screenshot({
              path: resolve(DOCS_DIR, `${screen.name}-${size}.png`),
            });
            await page().evaluate(() => {
              for (const el of Array.from(document.querySelectorAll('*')))
                if (el.scrollLeft > 0) el.scrollLeft = 0;
              window.scrollTo(0, 0);
            });
          }

          const problems: string[] = [];
          const overflow = await horizontalOverflow(page());
          if (overflow > 0)
            problems.push(`the page scrolls sideways by ${overflow}px`);
          problems.push(...(await cutTexts(page())));
          if (screen.whole) {
            const broken = await brokenWords(screen.whole(page()));
            if (broken.length > 0)
              problems.push(`words broken across lines: ${broken.join(', ')}`);
          }
          if (screen.inView) {
            const hidden = await outOfView(screen.inView(page()));
            if (hidden.length > 0)
              problems.push(`out of sight sideways: ${hidden.join(', ')}`);
          }
          if (screen.check) problems.push(...(await screen.check(page())));
          const violations = await seriousViolations(page());
          if (violations.length > 0)
            problems.push(`axe: ${describeViolations(violations)}`);
          assert.deepEqual(problems, []);
        });
      }
    });
  }
});
