import { OpenStackSession } from '@fedstack/plugin-openstack-node';
import { SANDBOX_SITES } from './sandbox';

/**
 * The sandbox's site-a as its admin sees it, for what a live test sets up in Keystone and takes
 * away again. Test-only.
 */

/** A session of site-a's admin, scoped to the admin project. Close it when done. */
export function sandboxAdmin(): OpenStackSession {
  return new OpenStackSession({
    keystoneUrl: SANDBOX_SITES['site-a'].keystoneUrl,
    region: SANDBOX_SITES['site-a'].region,
    credential: {
      type: 'password',
      username: 'admin',
      password: process.env.FEDSTACK_SANDBOX_ADMIN_PASSWORD ?? 'admin-secret',
      scope: { project: { name: 'admin', domain: { id: 'default' } } },
    },
  });
}

/** The data of a client call, or a throw with its error. */
export async function must<T>(
  result: Promise<
    { ok: true; data: T } | { ok: false; error: { message: string } }
  >,
): Promise<T> {
  const done = await result;
  if (!done.ok) throw new Error(done.error.message);
  return done.data;
}

/**
 * Deletes what replication made for a test's workspace: the groups, projects and domains whose
 * names start with `prefix` (the workspace's name), so the site is left as it was found.
 */
export async function removeWorkspaceFromKeystone(
  admin: OpenStackSession,
  prefix: string,
): Promise<void> {
  const [projects, groups, domains] = await Promise.all([
    must(admin.identity.projects()),
    must(admin.identity.groups()),
    must(admin.identity.domains()),
  ]);
  for (const group of groups.filter(g => g.name.startsWith(prefix)))
    await admin.identity.deleteGroup(group.id);
  for (const project of projects.filter(p => p.name.startsWith(prefix)))
    await admin.identity.deleteProject(project.id);
  for (const domain of domains.filter(d => d.name.startsWith(prefix))) {
    await admin.identity.updateDomain(domain.id, { enabled: false });
    await admin.identity.deleteDomain(domain.id);
  }
}
