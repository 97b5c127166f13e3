import { OpenStackSession } from '../client/session';

/** The data of a client call, or a throw with its error. Test-only. */
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
 * names start with `prefix` (the workspace's name), so the site is left as it was found. Test-only.
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
