import { HttpError, HttpResult } from '../client/http';
import { Domain } from '../client/identity/domains';
import { Group } from '../client/identity/groups';
import { Project } from '../client/identity/projects';
import { User } from '../client/identity/users';
import { OpenStackSession } from '../client/session';
import { DesiredTenant, TENANT_MARK, groupMark } from './desired';

/**
 * What a site's Keystone holds, as far as the tenants are concerned. Read in bulk: one list each
 * of roles, domains, projects, groups, users per federated domain, and two role-assignment lists
 * (grants; and, with `effective`, the memberships of every group that holds a grant). Only groups
 * of ours without any grant (a run cut off between creating a group and granting it, or a tenant
 * being deleted) are read one by one.
 */
export interface KeystoneState {
  roleIdsByName: Map<string, string>;
  roleNamesById: Map<string, string>;
  domains: Domain[];
  projects: Project[];
  groups: Group[];
  /** Users of the federated domains, where members are looked up by external id. */
  users: User[];
  /** Group grants on projects: `projectId groupId` → role ids. */
  grants: Map<string, Set<string>>;
  /** Users' own grants on projects: `projectId userId` → role ids. */
  userGrants: Map<string, Set<string>>;
  /** Group id → member user ids, for the groups whose memberships were read. */
  memberships: Map<string, Set<string>>;
}

export type StateRead =
  | { ok: true; state: KeystoneState }
  | { ok: false; error: string };

export function grantKey(projectId: string, groupId: string): string {
  return `${projectId} ${groupId}`;
}

const MEMBERSHIP_LINK = /\/groups\/([^/]+)\/users\/([^/]+)$/;

function failed(what: string, result: { error: HttpError }): StateRead {
  return { ok: false, error: `${what}: ${result.error.message}` };
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V) {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

/**
 * The domains federated users live in: the configured ones, else those of the site's identity
 * providers.
 */
export async function userDomainIds(
  session: OpenStackSession,
  configured?: string[],
): Promise<{ ok: true; ids: string[] } | { ok: false; error: string }> {
  if (configured && configured.length > 0) return { ok: true, ids: configured };
  const providers = await session.identity.identityProviders();
  if (!providers.ok)
    return {
      ok: false,
      error: `listing identity providers: ${providers.error.message}`,
    };
  const ids = providers.data
    .map(provider => provider.domain_id)
    .filter((id): id is string => Boolean(id));
  return { ok: true, ids: [...new Set(ids)] };
}

/** The bulk read: a fixed number of Keystone calls, whatever the number of tenants. */
export async function readKeystoneState(
  session: OpenStackSession,
  desired: DesiredTenant[],
  userDomains: string[],
): Promise<StateRead> {
  const identity = session.identity;
  const [roles, domains, projects, groups, assignments, effective, ...users] =
    await Promise.all([
      identity.roles(),
      identity.domains(),
      identity.projects(),
      identity.groups(),
      identity.roleAssignments(),
      identity.roleAssignments({ effective: true }),
      ...userDomains.map(domainId => identity.users({ domain_id: domainId })),
    ]);
  if (!roles.ok) return failed('listing roles', roles);
  if (!domains.ok) return failed('listing domains', domains);
  if (!projects.ok) return failed('listing projects', projects);
  if (!groups.ok) return failed('listing groups', groups);
  if (!assignments.ok) return failed('listing role assignments', assignments);
  if (!effective.ok)
    return failed('listing effective role assignments', effective);
  const allUsers: User[] = [];
  for (const [index, result] of users.entries()) {
    if (!result.ok)
      return failed(`listing users of domain ${userDomains[index]}`, result);
    allUsers.push(...result.data);
  }

  const grants = new Map<string, Set<string>>();
  const userGrants = new Map<string, Set<string>>();
  for (const row of assignments.data) {
    const projectId = row.scope.project?.id;
    if (row.group && projectId)
      addTo(grants, grantKey(projectId, row.group.id), row.role.id);
    if (row.user && projectId)
      addTo(userGrants, grantKey(projectId, row.user.id), row.role.id);
  }
  const memberships = new Map<string, Set<string>>();
  for (const row of effective.data) {
    const link = row.links?.membership
      ? MEMBERSHIP_LINK.exec(row.links.membership)
      : null;
    if (link) {
      addTo(
        memberships,
        decodeURIComponent(link[1]),
        decodeURIComponent(link[2]),
      );
    }
  }
  // A group with a grant but no member has no effective row: it is known to be empty.
  for (const row of assignments.data) {
    if (row.group && row.scope.project && !memberships.has(row.group.id))
      memberships.set(row.group.id, new Set());
  }

  const state: KeystoneState = {
    roleIdsByName: new Map(roles.data.map(role => [role.name, role.id])),
    roleNamesById: new Map(roles.data.map(role => [role.id, role.name])),
    domains: domains.data,
    projects: projects.data,
    groups: groups.data,
    users: allUsers,
    grants,
    userGrants,
    memberships,
  };

  // Our groups whose memberships the effective list could not show.
  const unknown = ourGroups(state, desired).filter(
    group => !state.memberships.has(group.id),
  );
  const members = await Promise.all(
    unknown.map(group => identity.groupUsers(group.id)),
  );
  for (const [index, result] of members.entries()) {
    if (!result.ok)
      return failed(`listing members of group ${unknown[index].name}`, result);
    state.memberships.set(
      unknown[index].id,
      new Set(result.data.map(user => user.id)),
    );
  }
  return { ok: true, state };
}

/** The groups the tenants own: named as desired in their domain, or marked with their key. */
export function ourGroups(
  state: Pick<KeystoneState, 'groups' | 'domains'>,
  desired: DesiredTenant[],
): Group[] {
  const wanted = new Set<string>();
  const marks: string[] = [];
  for (const tenant of desired) {
    const domainId = domainIdOf(state, tenant);
    for (const group of tenant.groups)
      if (domainId) wanted.add(`${domainId} ${group.name.toLowerCase()}`);
    marks.push(groupMark(tenant.key));
  }
  return state.groups.filter(
    group =>
      wanted.has(`${group.domain_id} ${group.name.toLowerCase()}`) ||
      marks.some(mark => group.description?.startsWith(mark)),
  );
}

/** The id of a tenant's domain, when it exists. */
export function domainIdOf(
  state: Pick<KeystoneState, 'domains'>,
  tenant: DesiredTenant,
): string | undefined {
  if ('id' in tenant.domain) return tenant.domain.id;
  const name = tenant.domain.name.toLowerCase();
  return state.domains.find(domain => domain.name.toLowerCase() === name)?.id;
}

/** The project a tenant owns (marked with its key), if any. */
export function markedProject(
  projects: Project[],
  tenantKey: string,
  domainId: string | undefined,
): Project | undefined {
  return projects.find(
    project =>
      project[TENANT_MARK] === tenantKey &&
      (domainId === undefined || project.domain_id === domainId),
  );
}

/**
 * The per-resource refresh Terraform-style tools do, for comparison in the benchmark: one read
 * per project, group, grant, user and membership of each tenant. It sees only what it asks about
 * (a membership added by hand stays unseen).
 */
export async function readKeystoneStatePerResource(
  session: OpenStackSession,
  desired: DesiredTenant[],
  userDomains: string[],
): Promise<StateRead> {
  const identity = session.identity;
  const [roles, domains] = await Promise.all([
    identity.roles(),
    identity.domains(),
  ]);
  if (!roles.ok) return failed('listing roles', roles);
  if (!domains.ok) return failed('listing domains', domains);
  const state: KeystoneState = {
    roleIdsByName: new Map(roles.data.map(role => [role.name, role.id])),
    roleNamesById: new Map(roles.data.map(role => [role.id, role.name])),
    domains: domains.data,
    projects: [],
    groups: [],
    users: [],
    grants: new Map(),
    userGrants: new Map(),
    memberships: new Map(),
  };
  const seenUsers = new Set<string>();
  for (const tenant of desired) {
    const domainId = domainIdOf(state, tenant);
    if (!domainId) continue;
    const projects = await identity.projects({
      name: tenant.projectName,
      domain_id: domainId,
    });
    if (!projects.ok) return failed('reading a project', projects);
    state.projects.push(...projects.data);
    const project = projects.data[0];
    for (const account of project ? tenant.accountGrants ?? [] : []) {
      const roleId = state.roleIdsByName.get(account.openstackRole);
      if (!roleId) continue;
      const grant = await identity.checkProjectUserRole(
        project.id,
        account.userId,
        roleId,
      );
      if (grant.ok)
        addTo(state.userGrants, grantKey(project.id, account.userId), roleId);
      else if (!isNotFound(grant)) return failed('reading a grant', grant);
    }
    for (const wanted of tenant.groups) {
      const groups = await identity.groups({
        name: wanted.name,
        domain_id: domainId,
      });
      if (!groups.ok) return failed('reading a group', groups);
      state.groups.push(...groups.data);
      const group = groups.data[0];
      if (!group) continue;
      const roleId = state.roleIdsByName.get(wanted.openstackRole);
      if (project && roleId) {
        const grant = await identity.checkProjectGroupRole(
          project.id,
          group.id,
          roleId,
        );
        if (grant.ok)
          addTo(state.grants, grantKey(project.id, group.id), roleId);
        else if (!isNotFound(grant)) return failed('reading a grant', grant);
      }
      state.memberships.set(group.id, new Set());
      for (const euid of wanted.members) {
        for (const domain of userDomains) {
          const users = await identity.users({ name: euid, domain_id: domain });
          if (!users.ok) return failed('reading a user', users);
          for (const user of users.data) {
            if (!seenUsers.has(user.id)) state.users.push(user);
            seenUsers.add(user.id);
            const member = await identity.checkUserInGroup(group.id, user.id);
            if (member.ok) addTo(state.memberships, group.id, user.id);
            else if (!isNotFound(member))
              return failed('reading a membership', member);
          }
        }
      }
    }
  }
  return { ok: true, state };
}

export function isNotFound(result: HttpResult<unknown>): boolean {
  return !result.ok && result.error.status === 404;
}
