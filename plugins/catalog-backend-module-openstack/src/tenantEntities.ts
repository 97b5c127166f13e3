import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  isValidEntityRef,
  OPENSTACK_ANNOTATIONS,
  OPENSTACK_PROJECT_TYPE,
  Tenant,
  TenantStatus,
} from '@fedstack/plugin-openstack-common';

/** Tenants in these states have no project (any more, or ever): they are not in the catalog. */
export const TENANT_STATUSES_WITHOUT_ENTITY: readonly TenantStatus[] = [
  'deleted',
  'rejected',
];

const rules = makeValidator();

export interface TenantProblem {
  tenant: string;
  problem: string;
}

/**
 * The `openstack-project` Resource of a tenant, as the backend's GET /tenants answered it: named
 * by its id (unique and stable, whatever its project is called), owned by its workspace, and
 * depending on its site (so the site's page finds it through `dependencyOf`). The answer is
 * checked field by field: a tenant whose refs the catalog would refuse gives a problem instead.
 */
export function tenantEntity(
  tenant: Tenant,
  options: { location: string },
): { entity: Entity } | { problem: TenantProblem } {
  const problem = (text: string) => ({
    problem: { tenant: tenant.id, problem: text },
  });
  if (!rules.isValidEntityName(tenant.id))
    return problem('its id is not a valid entity name');
  if (!isValidEntityRef(tenant.workspace, 'group'))
    return problem(`workspace ${tenant.workspace} is not a group entity ref`);
  if (!isValidEntityRef(tenant.site, 'resource'))
    return problem(`site ${tenant.site} is not a resource entity ref`);
  // Refs as the catalog stores relations: full form, lower-cased.
  const workspace = stringifyEntityRef(parseEntityRef(tenant.workspace));
  const site = parseEntityRef(tenant.site);
  const siteRef = stringifyEntityRef(site);
  const workspaceName = parseEntityRef(tenant.workspace).name;
  // The landing zone gone from the config leaves no Keystone names: say what is known.
  const projectName =
    tenant.projectName || `${workspaceName}.${tenant.project}`;

  const annotations: Record<string, string> = {
    [ANNOTATION_LOCATION]: options.location,
    [ANNOTATION_ORIGIN_LOCATION]: options.location,
    [OPENSTACK_ANNOTATIONS.tenantId]: tenant.id,
    [OPENSTACK_ANNOTATIONS.site]: siteRef,
    [OPENSTACK_ANNOTATIONS.landingZone]: tenant.landingZone,
    [OPENSTACK_ANNOTATIONS.tenantStatus]: tenant.status,
  };
  if (tenant.domainName)
    annotations[OPENSTACK_ANNOTATIONS.domain] = tenant.domainName;
  if (tenant.projectId)
    annotations[OPENSTACK_ANNOTATIONS.projectId] = tenant.projectId;

  return {
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: tenant.id,
        title: `${projectName} on ${site.name}`,
        ...(tenant.description ? { description: tenant.description } : {}),
        annotations,
        tags: ['openstack'],
      },
      spec: {
        type: OPENSTACK_PROJECT_TYPE,
        owner: workspace,
        dependsOn: [siteRef],
      },
    },
  };
}

/** The entities of the tenants that have (or will have) a project; problems for the others. */
export function tenantEntities(
  tenants: Tenant[],
  options: { locationOf: (tenant: Tenant) => string },
): { entities: Entity[]; problems: TenantProblem[] } {
  const entities: Entity[] = [];
  const problems: TenantProblem[] = [];
  for (const tenant of tenants) {
    if (TENANT_STATUSES_WITHOUT_ENTITY.includes(tenant.status)) continue;
    const built = tenantEntity(tenant, {
      location: options.locationOf(tenant),
    });
    if ('problem' in built) problems.push(built.problem);
    else entities.push(built.entity);
  }
  return { entities, problems };
}
