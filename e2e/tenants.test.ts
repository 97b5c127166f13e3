// Tenants against the real app, backend and sandbox: request a tenant on site-a for the guest's
// workspace, approve it if it waits, replicate it now, and find the project in site-a's
// Keystone. Then an accessibility scan of the tenants page and the tenant page.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describeViolations, seriousViolations } from './axe.ts';
import {
  BACKEND_URL,
  openAsGuest,
  pageForSuite,
  screenshot,
} from './browser.ts';
import { adminToken, keystone } from './keystone.ts';

const WORKSPACE = 'group:default/platform-team';
const project = `e2e-${randomBytes(3).toString('hex')}`;
// The standard landing zone's pattern {workspace}.{project}, with the group's name.
const projectName = `platform-team.${project}`;
// Nobody with this id has logged in to site-a: replication skips them with a remark.
const absentMember = `${randomBytes(16).toString('hex')}@egi.eu`;

describe('tenants', () => {
  const page = pageForSuite({ width: 1440, height: 1100 });
  let tenantPath: string | undefined;

  // The sandbox is shared: what this test made in Keystone goes again. First the tenant's own
  // deletion (so no later replication of the portal makes it again), then Keystone's leftovers.
  after(async () => {
    const tenantId = tenantPath?.split('/').pop();
    if (tenantId) {
      // Best effort: Keystone's leftovers are removed below whatever the API answers.
      try {
        const guest = await fetch(`${BACKEND_URL}/api/auth/guest/refresh`, {
          headers: { 'X-Requested-With': 'XMLHttpRequest' },
        });
        const identity = (await guest.json()) as {
          backstageIdentity?: { token?: string };
        };
        const headers = {
          Authorization: `Bearer ${identity.backstageIdentity?.token}`,
          'Content-Type': 'application/json',
        };
        const api = `${BACKEND_URL}/api/openstack/tenants/${tenantId}`;
        await fetch(api, { method: 'DELETE', headers });
        await fetch(`${api}/approval`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ decision: 'approve' }),
        });
      } catch (error) {
        console.warn(
          `could not delete tenant ${tenantId} through the API: ${error}`,
        );
      }
    }
    const token = await adminToken();
    const projects = await (
      await keystone(token, `/projects?name=${encodeURIComponent(projectName)}`)
    ).json();
    for (const p of projects.projects ?? []) {
      await keystone(token, `/projects/${p.id}`, {
        method: 'PATCH',
        body: JSON.stringify({ project: { enabled: false } }),
      });
      await keystone(token, `/projects/${p.id}`, { method: 'DELETE' });
    }
    const groups = await (await keystone(token, '/groups')).json();
    for (const g of groups.groups ?? []) {
      if (g.name.startsWith(`${projectName}-`))
        await keystone(token, `/groups/${g.id}`, { method: 'DELETE' });
    }
  });

  it('requests a tenant on site-a, replicates it and finds the project in Keystone', async () => {
    await openAsGuest(
      page(),
      `/openstack/tenants?workspace=${encodeURIComponent(WORKSPACE)}`,
    );
    await page()
      .getByRole('heading', { name: 'OpenStack tenants' })
      .waitFor({ timeout: 60_000 });
    await page()
      .getByRole('button', { name: 'Request a tenant' })
      .first()
      .click();

    const form = page().getByRole('form', { name: 'Request a tenant' });
    await form.getByLabel('Site').waitFor({ timeout: 30_000 });
    await form.getByLabel('Site').selectOption('resource:default/site-a');
    await form.getByLabel('Project id').fill(project);
    // The first landing zone the backend offers (app-config.yaml: standard).
    await form.getByLabel('Landing zone').selectOption({ index: 1 });
    await form.getByRole('button', { name: 'Add member' }).click();
    await form.getByLabel('Member 1 external user id').fill(absentMember);
    await screenshot(page(), 'tenant-request-form');
    await form.getByRole('button', { name: 'Request tenant' }).click();

    await page()
      .getByRole('heading', { name: projectName })
      .waitFor({ timeout: 30_000 });
    tenantPath = new URL(page().url()).pathname;
    assert.match(tenantPath, /^\/openstack\/tenants\/[0-9a-f-]{36}$/);

    if (await page().getByText('Requires approval').first().isVisible()) {
      await openAsGuest(page(), '/openstack/tenants');
      await page()
        .getByRole('button', {
          name: `Approve the request of ${projectName} on site-a`,
        })
        .click({ timeout: 30_000 });
      await page()
        .getByText('Nothing waits for approval.')
        .or(page().getByRole('alert'))
        .first()
        .waitFor({ timeout: 30_000 });
      await openAsGuest(page(), tenantPath);
      await page()
        .getByRole('heading', { name: projectName })
        .waitFor({ timeout: 30_000 });
    }

    await page().getByRole('button', { name: 'Replicate now' }).click();
    await page()
      .getByText(/^Replication run (successful|failed)/)
      .waitFor({ timeout: 120_000 });
    // The tenant's own outcome: its status and its last replication's remarks.
    await page()
      .getByRole('cell', { name: 'Successful' })
      .waitFor({ timeout: 30_000 });
    await page()
      .getByText(absentMember, { exact: false })
      .filter({ hasText: /has no account on the site yet/ })
      .first()
      .waitFor({ timeout: 10_000 });
    await screenshot(page(), 'tenant-replicated');

    // The project exists in site-a's Keystone, with the landing zone's tag.
    const token = await adminToken();
    const found = await (
      await keystone(token, `/projects?name=${encodeURIComponent(projectName)}`)
    ).json();
    assert.equal(found.projects.length, 1, `no project ${projectName}`);
    assert.ok(
      found.projects[0].tags.includes('fedstack'),
      `tags: ${found.projects[0].tags}`,
    );
    const groups = await (
      await keystone(
        token,
        `/groups?name=${encodeURIComponent(`${projectName}-admin`)}`,
      )
    ).json();
    assert.equal(groups.groups.length, 1, 'no admin group of the project');
  });

  it('has no serious accessibility violation on the tenants page', async () => {
    await openAsGuest(
      page(),
      `/openstack/tenants?workspace=${encodeURIComponent(WORKSPACE)}`,
    );
    await page()
      .getByRole('link', { name: project })
      .waitFor({ timeout: 60_000 });
    await screenshot(page(), 'tenants-page');
    const violations = await seriousViolations(page());
    assert.deepEqual(violations, [], describeViolations(violations));
  });

  it('has no serious accessibility violation on the tenant page', async () => {
    assert.ok(tenantPath, 'the request test made no tenant');
    await openAsGuest(page(), tenantPath);
    await page()
      .getByRole('heading', { name: projectName })
      .waitFor({ timeout: 60_000 });
    await page().getByText('Remarks').first().waitFor({ timeout: 30_000 });
    const violations = await seriousViolations(page());
    assert.deepEqual(violations, [], describeViolations(violations));
  });
});
