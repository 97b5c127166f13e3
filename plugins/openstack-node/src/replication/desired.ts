import { createHash } from 'node:crypto';

/**
 * What a site's Keystone should hold for one tenant, worked out by the caller (the backend) from
 * the tenant, its workspace and its landing zone. The replicator only compares and writes.
 */

/** The three quota APIs the replicator writes, each as OpenStack names its keys. */
export interface QuotaSets {
  compute?: Record<string, number>;
  blockStorage?: Record<string, number>;
  network?: Record<string, number>;
}

export type QuotaService = keyof QuotaSets;
export const QUOTA_SERVICES: QuotaService[] = [
  'compute',
  'blockStorage',
  'network',
];

export interface DesiredGroup {
  /** The tenant's role (e.g. `admin`, `user`, `reader`). */
  role: string;
  /** The Keystone group's name, from the landing zone's pattern. */
  name: string;
  /** The OpenStack role granted to the group on the project (e.g. `member`). */
  openstackRole: string;
  /** External user ids (`User.name` of federated users) who hold the role. */
  members: string[];
}

/**
 * - `active`: the project, its groups, grants, members, tags and quotas as described.
 * - `bindings-disabled`: deletion requested: the groups lose their grants, nothing else changes.
 * - `removed`: deletion approved: the groups go (and with them memberships and grants); the
 *   project goes too only when `deleteProject` says so. Resources inside it are never touched.
 */
export type TenantPhase = 'active' | 'bindings-disabled' | 'removed';

export interface DesiredTenant {
  /** The tenant's stable id; marked on the project so a rename or a half-done run finds it. */
  key: string;
  /** `default` (the domain id) or the name of the workspace's own domain. */
  domain: { id: 'default' } | { name: string };
  projectName: string;
  description?: string;
  tags: string[];
  groups: DesiredGroup[];
  quotas?: QuotaSets;
  phase: TenantPhase;
  deleteProject?: boolean;
  /**
   * Platform accounts' own roles on the project, e.g. the metering account's `reader`, so it can
   * sample the tenant. Granted while the tenant lives, revoked when it is removed.
   */
  accountGrants?: AccountGrant[];
  /** The quotas the last successful run wrote: when unchanged, quotas are not read again. */
  appliedQuotas?: QuotaSets;
}

export interface AccountGrant {
  userId: string;
  /** For the plan's wording: the account's name. */
  userName: string;
  openstackRole: string;
}

/** The project property that says which tenant owns a project (Keystone keeps extra properties). */
export const TENANT_MARK = 'fedstack_tenant';

/** Group descriptions carry the tenant and role, so a group of a dropped role can be found. */
export function groupDescription(tenantKey: string, role: string): string {
  return `fedstack tenant ${tenantKey} role ${role}`;
}

export function groupMark(tenantKey: string): string {
  return `fedstack tenant ${tenantKey} role `;
}

export const DOMAIN_DESCRIPTION = 'fedstack workspace domain';

// Keystone's limit for project, group and domain names.
export const MAX_NAME_LENGTH = 64;
const NAME_CHARACTER = /[^A-Za-z0-9._-]/g;
const NAME_PATTERN = /^[A-Za-z0-9._-]+$/;
export const TAG_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;
export const MAX_TAGS = 80;

/**
 * A name from a pattern with `{workspace}`, `{project}`, `{role}` placeholders (braces, not
 * `${…}`, which Backstage's config would substitute). Characters Keystone names should not carry
 * become `-`; a name over 64 characters keeps its start and ends in a hash of the whole, so it
 * stays unique and the same on every run.
 */
export function renderName(
  pattern: string,
  values: Record<string, string>,
): string {
  const raw = pattern.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? values[key] : whole,
  );
  const cleaned = raw.replace(NAME_CHARACTER, '-');
  if (cleaned.length <= MAX_NAME_LENGTH) return cleaned;
  const hash = createHash('sha256').update(cleaned).digest('hex').slice(0, 8);
  return `${cleaned.slice(0, MAX_NAME_LENGTH - hash.length - 1)}-${hash}`;
}

/** Problems with a tenant's description that stop it from being replicated at all. */
export function describeInvalidTenant(tenant: DesiredTenant): string[] {
  const problems: string[] = [];
  const names = [tenant.projectName, ...tenant.groups.map(g => g.name)];
  if ('name' in tenant.domain) names.push(tenant.domain.name);
  for (const name of names) {
    if (name.length === 0 || name.length > MAX_NAME_LENGTH)
      problems.push(
        `name "${name}" must have 1 to ${MAX_NAME_LENGTH} characters`,
      );
    else if (!NAME_PATTERN.test(name))
      problems.push(
        `name "${name}" has characters other than A-Z a-z 0-9 . _ -`,
      );
  }
  if (tenant.tags.length > MAX_TAGS)
    problems.push(`${tenant.tags.length} tags, at most ${MAX_TAGS}`);
  for (const tag of tenant.tags) {
    if (!TAG_PATTERN.test(tag))
      problems.push(`tag "${tag}" may only have letters, digits, - and _`);
  }
  const roles = new Set<string>();
  for (const group of tenant.groups) {
    if (roles.has(group.role)) problems.push(`role "${group.role}" twice`);
    roles.add(group.role);
  }
  return problems;
}
