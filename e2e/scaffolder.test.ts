// The OpenStack tenant template against the real app, backend and sandbox: the demo's guest opens
// Create…, runs examples/templates/openstack-tenant for site-a with a member, and the tenant the
// openstack:tenant:request action requested (through the backend, as the guest) is replicated
// into site-a's Keystone: the project, its groups, the member in the admin group.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  BACKEND_URL,
  openAsGuest,
  pageForSuite,
  screenshot,
} from './browser.ts';
import { adminToken, keystone } from './keystone.ts';

const project = `tpl-${randomBytes(3).toString('hex')}`;
// The standard landing zone's pattern {workspace}.{project}, with the group's name.
const projectName = `platform-team.${project}`;
// A federated user the sandbox seeds in site-a's Keystone (FEDERATED_USERS, sandbox/lib/site.js):
// replication finds them by name and puts them in the project's admin group.
const member = `${createHash('md5')
  .update('fedstack-alice')
  .digest('hex')}@egi.eu`;

async function keystoneList<T>(token: string, path: string, key: string) {
  const response = await keystone(token, path);
  assert.equal(response.status, 200, `GET ${path}: ${response.status}`);
  return ((await response.json()) as Record<string, T[]>)[key];
}

describe('the OpenStack tenant template (Create…)', () => {
  const page = pageForSuite({ width: 1440, height: 1100 });
  let tenantId: string | undefined;

  // The sandbox is shared: the tenant's deletion through the API (so that no later replication
  // of the portal makes it again), then whatever it left in Keystone.
  after(async () => {
    if (tenantId) {
      try {
        const guest = await fetch(`${BACKEND_URL}/api/auth/guest/refresh`, {
          headers: { 'X-Requested-With': 'XMLHttpRequest' },
        });
        const identity = (await guest.json()) as {
          backstageIdentity?: { token?: string };
        };
        await fetch(`${BACKEND_URL}/api/openstack/tenants/${tenantId}`, {
          method: 'DELETE',
          headers: {
            Authorization: `Bearer ${identity.backstageIdentity?.token}`,
          },
        });
      } catch (error) {
        console.warn(`could not delete tenant ${tenantId}: ${error}`);
      }
    }
    const token = await adminToken();
    const projects = await keystoneList<{ id: string }>(
      token,
      `/projects?name=${encodeURIComponent(projectName)}`,
      'projects',
    );
    for (const p of projects) {
      await keystone(token, `/projects/${p.id}`, {
        method: 'PATCH',
        body: JSON.stringify({ project: { enabled: false } }),
      });
      await keystone(token, `/projects/${p.id}`, { method: 'DELETE' });
    }
    const groups = await keystoneList<{ id: string; name: string }>(
      token,
      '/groups',
      'groups',
    );
    for (const g of groups.filter(g => g.name.startsWith(`${projectName}-`)))
      await keystone(token, `/groups/${g.id}`, { method: 'DELETE' });
  });

  it('requests a tenant on site-a from the template, and Keystone gets it', async () => {
    await openAsGuest(page(), '/create');
    await page()
      .getByText('OpenStack tenant')
      .first()
      .waitFor({ timeout: 60_000 });
    // The demo's only template: its card's Choose.
    await page().getByRole('button', { name: 'Choose' }).first().click();

    // First page: where. The workspace (the guest's groups) and site pickers read the catalog.
    await pick(page(), 'Workspace', /^platform-team$/);
    await pick(page(), 'Site', /^Sandbox site A$/);
    await page().getByLabel('Project id').fill(project);
    await screenshot(page(), 'template-where');
    await page().getByRole('button', { name: 'Next' }).click();

    // Second page: one member as admin; the landing zone's own quotas.
    await page().getByRole('button', { name: 'Add Item' }).click();
    await page().getByLabel('External user id').fill(member);
    await page().getByLabel('Role').click();
    await page().getByRole('option', { name: 'admin' }).click();
    await screenshot(page(), 'template-members');
    await page().getByRole('button', { name: 'Review' }).click();
    await page().getByRole('button', { name: 'Create' }).click();

    // The task's output: the link to the tenant's page.
    const link = page().getByRole('link', { name: 'The tenant' });
    await link.waitFor({ timeout: 120_000 });
    await screenshot(page(), 'template-done');
    const href = (await link.getAttribute('href')) ?? '';
    const match = /\/openstack\/tenants\/([0-9a-f-]{36})$/.exec(href);
    assert.ok(match, `the output links to ${href}, not to a tenant`);
    tenantId = match[1];

    // Auto-approved (within the standard zone's quotas): replication follows at once.
    const token = await adminToken();
    let projects: Array<{ id: string; tags: string[] }> = [];
    for (let i = 0; i < 60 && projects.length === 0; i++) {
      projects = await keystoneList(
        token,
        `/projects?name=${encodeURIComponent(projectName)}`,
        'projects',
      );
      if (projects.length === 0) await new Promise(r => setTimeout(r, 2000));
    }
    assert.equal(
      projects.length,
      1,
      `no project ${projectName} in site-a's Keystone`,
    );
    assert.ok(
      projects[0].tags.includes('fedstack'),
      `tags: ${projects[0].tags}`,
    );

    let admins: Array<{ name: string }> = [];
    for (let i = 0; i < 30 && admins.length === 0; i++) {
      const [group] = await keystoneList<{ id: string }>(
        token,
        `/groups?name=${encodeURIComponent(`${projectName}-admin`)}`,
        'groups',
      );
      if (group)
        admins = await keystoneList(
          token,
          `/groups/${group.id}/users`,
          'users',
        );
      if (admins.length === 0) await new Promise(r => setTimeout(r, 2000));
    }
    assert.deepEqual(
      admins.map(u => u.name),
      [member],
      `the admin group of ${projectName} holds the template's member`,
    );

    // The tenant page the link opens shows the tenant, requested by the guest.
    await page().goto(new URL(href, page().url()).toString());
    await page()
      .getByRole('heading', { name: projectName })
      .waitFor({ timeout: 30_000 });
  });
});

/** Picks an option of a scaffolder picker (an autocomplete) by its label. */
async function pick(
  page: ReturnType<ReturnType<typeof pageForSuite>>,
  label: string,
  option: RegExp,
) {
  const field = page.getByLabel(label).first();
  await field.click();
  await page
    .getByRole('option', { name: option })
    .first()
    .click({ timeout: 30_000 });
}
