import { Group } from '../client/identity/groups';
import { Project } from '../client/identity/projects';
import { User } from '../client/identity/users';
import {
  DesiredTenant,
  QUOTA_SERVICES,
  QuotaService,
  QuotaSets,
  TENANT_MARK,
  describeInvalidTenant,
  groupDescription,
  groupMark,
} from './desired';
import { KeystoneState, domainIdOf, grantKey, markedProject } from './state';

/**
 * The plan: every write a replication would make, in order, readable before anything is written
 * (the dry run shows exactly this). A step that needs an object another step creates names that
 * step (`{ step: n }`); the others name existing objects by id.
 */

export type Ref = { id: string } | { step: number };

export type StepAction =
  | { kind: 'create-domain'; name: string }
  | {
      kind: 'create-project';
      domain: Ref;
      name: string;
      description: string;
      tags: string[];
    }
  | {
      kind: 'update-project';
      project: Ref;
      name: string;
      changes: {
        name?: string;
        description?: string;
        enabled?: boolean;
        tags?: string[];
      };
    }
  | { kind: 'delete-project'; project: Ref; name: string }
  | {
      kind: 'create-group';
      domain: Ref;
      name: string;
      description: string;
    }
  | { kind: 'delete-group'; group: Ref; name: string }
  | {
      kind: 'grant-role' | 'revoke-role';
      project: Ref;
      projectName: string;
      group: Ref;
      groupName: string;
      roleId: string;
      roleName: string;
    }
  | {
      kind: 'grant-user-role' | 'revoke-user-role';
      project: Ref;
      projectName: string;
      userId: string;
      userName: string;
      roleId: string;
      roleName: string;
    }
  | {
      kind: 'add-member' | 'remove-member';
      group: Ref;
      groupName: string;
      userId: string;
      userName: string;
    }
  | {
      kind: 'update-quotas';
      service: QuotaService;
      project: Ref;
      projectName: string;
      changes: Record<string, number>;
      /** Nova refuses a limit below usage unless forced. */
      force: boolean;
    };

export type PlanStep = StepAction & {
  index: number;
  /** The tenant the step is for (domain steps serve every tenant of a workspace). */
  tenantKey?: string;
  summary: string;
};

export interface TenantPlan {
  key: string;
  projectName: string;
  /** The project's id when it exists already. */
  projectId?: string;
  steps: number[];
  /** Things left for a later run (a member who has not logged in yet, an ambiguous name). */
  remarks: string[];
  warnings: string[];
  /** What stops this tenant from being replicated (the others go on). */
  errors: string[];
}

export interface ReplicationPlan {
  steps: PlanStep[];
  tenants: TenantPlan[];
}

/** Current quota limits (and, for Nova, usage) of the projects whose quotas are compared. */
export type CurrentQuotas = Map<
  string,
  {
    [S in QuotaService]?: Record<string, { limit: number; inUse?: number }>;
  }
>;

export function planReplication(
  desired: DesiredTenant[],
  state: KeystoneState,
  quotas: CurrentQuotas = new Map(),
): ReplicationPlan {
  const steps: PlanStep[] = [];
  const add = (action: StepAction, summary: string, tenantKey?: string) => {
    const step = { ...action, index: steps.length, tenantKey, summary };
    steps.push(step as PlanStep);
    return step.index;
  };
  const domainSteps = new Map<string, number>();
  const claimedNames = new Map<string, string>();
  const usersByName = new Map<string, User[]>();
  for (const user of state.users) {
    const list = usersByName.get(user.name) ?? [];
    list.push(user);
    usersByName.set(user.name, list);
  }

  const tenants = [...desired].sort((a, b) => a.key.localeCompare(b.key));
  const plans = tenants.map(tenant => {
    const plan: TenantPlan = {
      key: tenant.key,
      projectName: tenant.projectName,
      steps: [],
      remarks: [],
      warnings: [],
      errors: describeInvalidTenant(tenant),
    };
    if (plan.errors.length > 0) return plan;
    const start = steps.length;
    const tenantAdd = (action: StepAction, summary: string) =>
      add(action, summary, tenant.key);

    // The domain: `default`, or the workspace's own (made once for all its tenants).
    const domainId = domainIdOf(state, tenant);
    let domainRef: Ref | undefined = domainId ? { id: domainId } : undefined;
    if (!domainRef && 'name' in tenant.domain) {
      if (tenant.phase !== 'active') return plan;
      const name = tenant.domain.name;
      let step = domainSteps.get(name.toLowerCase());
      if (step === undefined) {
        step = add({ kind: 'create-domain', name }, `create domain ${name}`);
        domainSteps.set(name.toLowerCase(), step);
      }
      domainRef = { step };
    }
    if (!domainRef) {
      plan.errors.push('domain default does not exist');
      return plan;
    }
    const domainLabel =
      'name' in tenant.domain ? tenant.domain.name : 'default';

    // Names are unique per domain, ignoring case, among the tenants of this run too.
    for (const name of [
      tenant.projectName,
      ...tenant.groups.map(g => g.name),
    ]) {
      const key = `${domainLabel.toLowerCase()} ${name.toLowerCase()}`;
      const owner = claimedNames.get(key);
      if (owner && owner !== tenant.key)
        plan.errors.push(
          `name "${name}" in domain ${domainLabel} is already used by tenant ${owner}`,
        );
      else claimedNames.set(key, tenant.key);
    }
    if (plan.errors.length > 0) return plan;

    const project = markedProject(state.projects, tenant.key, domainId);
    const elsewhere = markedProject(state.projects, tenant.key, undefined);
    if (!project && elsewhere && tenant.phase === 'active')
      plan.warnings.push(
        `project ${elsewhere.name} (${elsewhere.id}) of this tenant is in another domain; a project cannot change domain, so a new one is made in ${domainLabel} and the old one is left as it is`,
      );
    plan.projectId = project?.id;
    const inDomain = (name: string) =>
      domainId === undefined
        ? undefined
        : state.projects.find(
            p =>
              p.domain_id === domainId &&
              p.name.toLowerCase() === name.toLowerCase() &&
              p.id !== project?.id,
          );
    const taken = inDomain(tenant.projectName);
    if (taken && tenant.phase === 'active') {
      plan.errors.push(
        taken[TENANT_MARK]
          ? `project name ${
              taken.name
            } in domain ${domainLabel} belongs to tenant ${String(
              taken[TENANT_MARK],
            )}`
          : `project name ${taken.name} in domain ${domainLabel} is taken by a project fedstack does not manage (${taken.id})`,
      );
      return plan;
    }

    const groupsOfTenant = tenantGroups(state, tenant, domainId);
    for (const conflict of groupsOfTenant.conflicts) plan.errors.push(conflict);
    if (plan.errors.length > 0) return plan;

    if (tenant.phase === 'active') {
      planActive(tenant, plan, project, domainRef, groupsOfTenant.byRole);
      for (const group of groupsOfTenant.leftovers)
        tenantAdd(
          { kind: 'delete-group', group: { id: group.id }, name: group.name },
          `delete group ${group.name} (${
            group.description ?? ''
          }: no longer one of the tenant's groups)`,
        );
    } else {
      planDeletion(tenant, plan, project, groupsOfTenant.all);
    }
    plan.steps = steps
      .slice(start)
      .filter(step => step.tenantKey === tenant.key)
      .map(step => step.index);
    return plan;

    function planActive(
      t: DesiredTenant,
      p: TenantPlan,
      existing: Project | undefined,
      domain: Ref,
      groupsByRole: Map<string, Group>,
    ) {
      let projectRef: Ref;
      if (existing) {
        projectRef = { id: existing.id };
        const changes: Extract<
          StepAction,
          { kind: 'update-project' }
        >['changes'] = {};
        if (existing.name !== t.projectName) changes.name = t.projectName;
        if ((existing.description ?? '') !== (t.description ?? ''))
          changes.description = t.description ?? '';
        if (!existing.enabled) changes.enabled = true;
        if (!sameSet(existing.tags ?? [], t.tags)) changes.tags = [...t.tags];
        if (Object.keys(changes).length > 0)
          tenantAdd(
            {
              kind: 'update-project',
              project: projectRef,
              name: t.projectName,
              changes,
            },
            `update project ${t.projectName}: ${describeChanges(
              changes,
              existing,
            )}`,
          );
      } else {
        projectRef = {
          step: tenantAdd(
            {
              kind: 'create-project',
              domain,
              name: t.projectName,
              description: t.description ?? '',
              tags: [...t.tags],
            },
            `create project ${t.projectName} in domain ${domainLabel}`,
          ),
        };
      }

      for (const account of t.accountGrants ?? []) {
        const roleId = state.roleIdsByName.get(account.openstackRole);
        if (!roleId) {
          p.errors.push(
            `role ${account.openstackRole} does not exist on the site`,
          );
          continue;
        }
        const held = existing
          ? state.userGrants.get(grantKey(existing.id, account.userId))
          : undefined;
        if (!held?.has(roleId))
          tenantAdd(
            {
              kind: 'grant-user-role',
              project: projectRef,
              projectName: t.projectName,
              userId: account.userId,
              userName: account.userName,
              roleId,
              roleName: account.openstackRole,
            },
            `grant ${account.openstackRole} on ${t.projectName} to account ${account.userName}`,
          );
      }
      for (const wanted of t.groups) {
        const group = groupsByRole.get(wanted.role);
        const groupRef: Ref = group
          ? { id: group.id }
          : {
              step: tenantAdd(
                {
                  kind: 'create-group',
                  domain,
                  name: wanted.name,
                  description: groupDescription(t.key, wanted.role),
                },
                `create group ${wanted.name} in domain ${domainLabel}`,
              ),
            };
        const roleId = state.roleIdsByName.get(wanted.openstackRole);
        if (!roleId) {
          p.errors.push(
            `role ${wanted.openstackRole} does not exist on the site`,
          );
          continue;
        }
        const granted =
          group && existing
            ? state.grants.get(grantKey(existing.id, group.id)) ?? new Set()
            : new Set<string>();
        if (!granted.has(roleId))
          tenantAdd(
            grantAction(
              'grant-role',
              projectRef,
              t.projectName,
              groupRef,
              wanted.name,
              roleId,
              wanted.openstackRole,
            ),
            `grant ${wanted.openstackRole} on ${t.projectName} to group ${wanted.name}`,
          );
        for (const other of granted) {
          if (other === roleId) continue;
          const name = state.roleNamesById.get(other) ?? other;
          tenantAdd(
            grantAction(
              'revoke-role',
              projectRef,
              t.projectName,
              groupRef,
              wanted.name,
              other,
              name,
            ),
            `revoke ${name} on ${t.projectName} from group ${wanted.name}`,
          );
        }

        // Memberships are authoritative; a name we cannot resolve is a remark, never a guess.
        const current = group
          ? state.memberships.get(group.id) ?? new Set()
          : new Set<string>();
        const keep = new Set<string>();
        for (const euid of new Set(wanted.members)) {
          const found = usersByName.get(euid) ?? [];
          if (found.length === 0) {
            p.remarks.push(
              `member ${euid} (${wanted.role}) has no account on the site yet; added once they have logged in`,
            );
          } else if (found.length > 1) {
            p.remarks.push(
              `member ${euid} (${wanted.role}) matches ${
                found.length
              } users (${found
                .map(u => `${u.id} in domain ${u.domain_id}`)
                .join(', ')}); none is added until only one is left`,
            );
            for (const user of found) keep.add(user.id);
          } else {
            keep.add(found[0].id);
            if (!current.has(found[0].id))
              tenantAdd(
                {
                  kind: 'add-member',
                  group: groupRef,
                  groupName: wanted.name,
                  userId: found[0].id,
                  userName: euid,
                },
                `add ${euid} to group ${wanted.name}`,
              );
          }
        }
        for (const userId of current) {
          if (keep.has(userId)) continue;
          const userName =
            state.users.find(u => u.id === userId)?.name ?? userId;
          tenantAdd(
            {
              kind: 'remove-member',
              group: groupRef,
              groupName: wanted.name,
              userId,
              userName,
            },
            `remove ${userName} from group ${wanted.name}`,
          );
        }
      }
      planQuotas(t, p, projectRef, existing);
    }

    function planQuotas(
      t: DesiredTenant,
      p: TenantPlan,
      projectRef: Ref,
      existing: Project | undefined,
    ) {
      if (!t.quotas) return;
      const current = existing ? quotas.get(existing.id) : undefined;
      if (existing && !current && sameQuotas(t.quotas, t.appliedQuotas)) return;
      for (const service of QUOTA_SERVICES) {
        const wanted = t.quotas[service];
        if (!wanted) continue;
        const now = current?.[service];
        const changes: Record<string, number> = {};
        let force = false;
        for (const [key, limit] of Object.entries(wanted)) {
          // Own keys only: `constructor` must not read Object.prototype's.
          const before = now && Object.hasOwn(now, key) ? now[key] : undefined;
          if (before && before.limit === limit) continue;
          changes[key] = limit;
          if (
            service === 'compute' &&
            before?.inUse !== undefined &&
            limit !== -1 &&
            limit < before.inUse
          ) {
            force = true;
            p.warnings.push(
              `compute quota ${key} goes to ${limit}, below the ${before.inUse} in use`,
            );
          }
        }
        if (Object.keys(changes).length > 0)
          tenantAdd(
            {
              kind: 'update-quotas',
              service,
              project: projectRef,
              projectName: t.projectName,
              changes,
              force,
            },
            `set ${service} quotas of ${t.projectName}: ${Object.entries(
              changes,
            )
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')}${force ? ' (forced below usage)' : ''}`,
          );
      }
    }

    function planDeletion(
      t: DesiredTenant,
      p: TenantPlan,
      existing: Project | undefined,
      groups: Group[],
    ) {
      if (t.phase === 'bindings-disabled') {
        if (!existing) return;
        for (const group of groups) {
          for (const roleId of state.grants.get(
            grantKey(existing.id, group.id),
          ) ?? []) {
            const roleName = state.roleNamesById.get(roleId) ?? roleId;
            tenantAdd(
              grantAction(
                'revoke-role',
                { id: existing.id },
                existing.name,
                { id: group.id },
                group.name,
                roleId,
                roleName,
              ),
              `revoke ${roleName} on ${existing.name} from group ${group.name} (deletion requested)`,
            );
          }
        }
        return;
      }
      for (const group of groups)
        tenantAdd(
          { kind: 'delete-group', group: { id: group.id }, name: group.name },
          `delete group ${group.name} (tenant deleted)`,
        );
      // The platform accounts' grants go with the tenant (unless the project goes anyway).
      for (const account of existing && !t.deleteProject
        ? t.accountGrants ?? []
        : []) {
        const roleId = state.roleIdsByName.get(account.openstackRole);
        if (
          !roleId ||
          !state.userGrants
            .get(grantKey(existing!.id, account.userId))
            ?.has(roleId)
        )
          continue;
        tenantAdd(
          {
            kind: 'revoke-user-role',
            project: { id: existing!.id },
            projectName: existing!.name,
            userId: account.userId,
            userName: account.userName,
            roleId,
            roleName: account.openstackRole,
          },
          `revoke ${account.openstackRole} on ${existing!.name} from account ${
            account.userName
          } (tenant deleted)`,
        );
      }
      if (existing && t.deleteProject)
        tenantAdd(
          {
            kind: 'delete-project',
            project: { id: existing.id },
            name: existing.name,
          },
          `delete project ${existing.name} (the landing zone deletes projects)`,
        );
      else if (existing)
        p.warnings.push(
          `project ${existing.name} is kept: the landing zone does not delete projects`,
        );
    }
  });
  return { steps, tenants: plans };
}

/** A tenant's groups in Keystone: by role (named as desired), and every one marked with its key. */
function tenantGroups(
  state: KeystoneState,
  tenant: DesiredTenant,
  domainId: string | undefined,
): {
  byRole: Map<string, Group>;
  leftovers: Group[];
  all: Group[];
  conflicts: string[];
} {
  const byRole = new Map<string, Group>();
  const all = new Map<string, Group>();
  const conflicts: string[] = [];
  const mark = groupMark(tenant.key);
  for (const wanted of tenant.groups) {
    const group = state.groups.find(
      g =>
        g.domain_id === domainId &&
        g.name.toLowerCase() === wanted.name.toLowerCase(),
    );
    if (!group) continue;
    const description = group.description ?? '';
    if (
      description.startsWith('fedstack tenant ') &&
      !description.startsWith(mark)
    ) {
      conflicts.push(
        `group name ${group.name} belongs to another tenant (${description})`,
      );
      continue;
    }
    byRole.set(wanted.role, group);
    all.set(group.id, group);
  }
  // Marked groups not named as now desired: of a dropped role, or named by an older pattern.
  const leftovers: Group[] = [];
  const current = new Set([...byRole.values()].map(group => group.id));
  for (const group of state.groups) {
    if (!(group.description ?? '').startsWith(mark)) continue;
    all.set(group.id, group);
    if (!current.has(group.id)) leftovers.push(group);
  }
  return { byRole, leftovers, all: [...all.values()], conflicts };
}

function grantAction(
  kind: 'grant-role' | 'revoke-role',
  project: Ref,
  projectName: string,
  group: Ref,
  groupName: string,
  roleId: string,
  roleName: string,
): StepAction {
  return { kind, project, projectName, group, groupName, roleId, roleName };
}

function sameSet(a: string[], b: string[]): boolean {
  const left = new Set(a);
  return left.size === new Set(b).size && b.every(item => left.has(item));
}

function sameQuotas(a: QuotaSets, b: QuotaSets | undefined): boolean {
  if (!b) return false;
  return QUOTA_SERVICES.every(service => {
    const left = a[service] ?? {};
    const right = b[service] ?? {};
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    return [...keys].every(key => left[key] === right[key]);
  });
}

function describeChanges(
  changes: Extract<StepAction, { kind: 'update-project' }>['changes'],
  before: Project,
): string {
  const parts: string[] = [];
  if (changes.name !== undefined)
    parts.push(`name ${before.name} → ${changes.name}`);
  if (changes.description !== undefined) parts.push('description');
  if (changes.enabled) parts.push('enable');
  if (changes.tags) {
    const old = new Set(before.tags ?? []);
    const now = new Set(changes.tags);
    const added = changes.tags.filter(tag => !old.has(tag));
    const removed = [...old].filter(tag => !now.has(tag));
    parts.push(
      `tags${added.length ? ` +${added.join(' +')}` : ''}${
        removed.length ? ` -${removed.join(' -')}` : ''
      }`,
    );
  }
  return parts.join(', ');
}

/** Whether the tenant's quotas must be read before planning (they changed, or a full check). */
export function needsQuotaRead(
  tenant: DesiredTenant,
  refresh: 'changed' | 'all',
): boolean {
  if (!tenant.quotas || tenant.phase !== 'active') return false;
  return refresh === 'all' || !sameQuotas(tenant.quotas, tenant.appliedQuotas);
}
