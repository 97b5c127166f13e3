import { parseEntityRef } from '@backstage/catalog-model';
import {
  isPerVolumeTypeKey,
  LandingZone,
  ownQuota,
  quotasAboveAutoApproval,
  Tenant,
  TenantQuotas,
} from '@fedstack/plugin-openstack-common';
import {
  DesiredTenant,
  QUOTA_SERVICES,
  renderName,
} from '@fedstack/plugin-openstack-node';
import { TenantRecord } from './TenantStore';

/**
 * How a stored tenant and its landing zone become Keystone names and the replicator's desired
 * state. Pure functions: the REST answers and the replication use the same names.
 */

/** The landing zone's quotas with the request's on top, key by key. */
export function effectiveQuotas(
  zone: LandingZone,
  requested: TenantQuotas,
): TenantQuotas {
  const quotas: TenantQuotas = {};
  for (const service of QUOTA_SERVICES) {
    const merged = { ...zone.quotas[service], ...requested[service] };
    if (Object.keys(merged).length > 0) quotas[service] = merged;
  }
  return quotas;
}

/** Every requested quota over a ceiling, named (`compute.cores 64 > 32`). */
export function quotasOver(
  requested: TenantQuotas,
  ceiling: TenantQuotas,
): string[] {
  const over: string[] = [];
  for (const service of QUOTA_SERVICES) {
    for (const [key, value] of Object.entries(requested[service] ?? {})) {
      const limit = ownQuota(ceiling, service, key);
      if (limit === undefined || limit === -1) continue;
      if (value === -1 || value > limit)
        over.push(
          `${service}.${key} ${value === -1 ? 'unlimited' : value} > ${limit}`,
        );
    }
  }
  return over;
}

/**
 * What a request may not ask of its landing zone, named (`blockStorage.snapshots: …`): -1
 * unless the zone allows unlimited quotas; a Cinder per volume type key the zone does not name
 * (the site's volume types are known to the zone's author only). Unknown keys are refused by
 * the request's schema already.
 */
export function quotaRequestProblems(
  zone: LandingZone,
  requested: TenantQuotas,
): string[] {
  const problems: string[] = [];
  for (const service of QUOTA_SERVICES) {
    for (const [key, value] of Object.entries(requested[service] ?? {})) {
      if (value === -1 && !zone.allowUnlimitedQuotas)
        problems.push(
          `quotas.${service}.${key}: -1 (unlimited) is not allowed by landing zone ${zone.id}`,
        );
      const named = [zone.quotas, zone.maxQuotas, zone.autoApproveUpTo].some(
        sets => ownQuota(sets, service, key) !== undefined,
      );
      if (isPerVolumeTypeKey(service, key) && !named)
        problems.push(
          `quotas.${service}.${key}: landing zone ${zone.id} names no quota for this volume type`,
        );
    }
  }
  return problems;
}

/**
 * Whether a request may skip approval: the zone allows it and no quota is above its bound
 * (`quotasAboveAutoApproval`, which the approvers' screen shows too).
 */
export function autoApproved(
  zone: LandingZone,
  requested: TenantQuotas,
): boolean {
  if (!zone.autoApproveUpTo) return false;
  return (
    quotasAboveAutoApproval(zone, effectiveQuotas(zone, requested)).length === 0
  );
}

function workspaceName(workspaceRef: string): string {
  return parseEntityRef(workspaceRef).name.toLowerCase();
}

export function keystoneNames(
  tenant: Pick<TenantRecord, 'workspace' | 'project'>,
  zone: LandingZone,
) {
  const values = {
    workspace: workspaceName(tenant.workspace),
    project: tenant.project,
  };
  return {
    projectName: renderName(zone.projectNamePattern, values),
    domainName:
      zone.domain === 'default'
        ? 'default'
        : renderName(zone.domainNamePattern, values),
    groupName: (role: string) =>
      renderName(zone.groupNamePattern, { ...values, role }),
  };
}

/** The replicator's view of a tenant: what Keystone should hold for it now. */
export function desiredTenantOf(
  tenant: TenantRecord,
  zone: LandingZone,
  meteringAccount?: { id: string; name: string },
): DesiredTenant {
  const names = keystoneNames(tenant, zone);
  let phase: DesiredTenant['phase'] = 'active';
  if (tenant.status === 'deletion-requested')
    phase = tenant.deletionApproved ? 'removed' : 'bindings-disabled';
  return {
    key: tenant.id,
    domain:
      zone.domain === 'default'
        ? { id: 'default' }
        : { name: names.domainName },
    projectName: names.projectName,
    description:
      tenant.description ?? `${tenant.workspace} ${tenant.project} (fedstack)`,
    tags: zone.tags,
    phase,
    deleteProject: zone.deleteProjects,
    groups: Object.entries(zone.roles).map(([role, openstackRole]) => ({
      role,
      name: names.groupName(role),
      openstackRole,
      members: tenant.members.filter(m => m.role === role).map(m => m.euid),
    })),
    quotas: effectiveQuotas(zone, tenant.quotas),
    appliedQuotas: tenant.appliedQuotas,
    accountGrants:
      meteringAccount && zone.meteringRole
        ? [
            {
              userId: meteringAccount.id,
              userName: meteringAccount.name,
              openstackRole: zone.meteringRole,
            },
          ]
        : [],
  };
}

export function toApiTenant(
  tenant: TenantRecord,
  zone: LandingZone | undefined,
): Tenant {
  const names = zone
    ? keystoneNames(tenant, zone)
    : { projectName: '', domainName: '' };
  return {
    id: tenant.id,
    workspace: tenant.workspace,
    site: tenant.siteRef,
    project: tenant.project,
    landingZone: tenant.landingZone,
    ...(tenant.description ? { description: tenant.description } : {}),
    members: tenant.members,
    quotas: zone ? effectiveQuotas(zone, tenant.quotas) : tenant.quotas,
    status: tenant.status,
    projectName: names.projectName,
    domainName: names.domainName,
    ...(tenant.projectId ? { projectId: tenant.projectId } : {}),
    requestedBy: tenant.requestedBy,
    createdAt: tenant.createdAt,
    updatedAt: tenant.updatedAt,
    deletionApproved: tenant.deletionApproved,
    ...(tenant.lastReplication
      ? { lastReplication: tenant.lastReplication as Tenant['lastReplication'] }
      : {}),
  };
}
