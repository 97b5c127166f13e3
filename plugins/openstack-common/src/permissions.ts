import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Permissions of the OpenStack plugins. Site permissions are resource permissions on the site's
 * catalog entity, so a policy can make them conditional on the entity (e.g. its owners, with
 * the catalog's `isEntityOwner` rule).
 */
const CATALOG_ENTITY = 'catalog-entity';

/** See a site's scores, results and evidence. */
export const openstackSiteReadPermission = createPermission({
  name: 'openstack.site.read',
  attributes: { action: 'read' },
  resourceType: CATALOG_ENTITY,
});

/** Start a scan of a site. */
export const openstackScanTriggerPermission = createPermission({
  name: 'openstack.scan.trigger',
  attributes: { action: 'update' },
  resourceType: CATALOG_ENTITY,
});

/** Run read-only console commands against a site. */
export const openstackConsoleUsePermission = createPermission({
  name: 'openstack.console.use',
  attributes: { action: 'read' },
  resourceType: CATALOG_ENTITY,
});

/** Request a tenant for a workspace. */
export const openstackTenantRequestPermission = createPermission({
  name: 'openstack.tenant.request',
  attributes: { action: 'create' },
});

/** Approve (or refuse) tenant requests and deletions. */
export const openstackTenantApprovePermission = createPermission({
  name: 'openstack.tenant.approve',
  attributes: { action: 'update' },
});

/** Run a replication (write to a site's Keystone) on demand. */
export const openstackReplicationRunPermission = createPermission({
  name: 'openstack.replication.run',
  attributes: { action: 'update' },
});

/** Ask to waive a check on a site (the policy gives it to the site's owners). */
export const openstackWaiverRequestPermission = createPermission({
  name: 'openstack.waiver.request',
  attributes: { action: 'create' },
  resourceType: CATALOG_ENTITY,
});

/** Approve or reject waivers (the policy gives it to platform operators or waiver approvers). */
export const openstackWaiverApprovePermission = createPermission({
  name: 'openstack.waiver.approve',
  attributes: { action: 'update' },
});

export const openstackPermissions = [
  openstackSiteReadPermission,
  openstackScanTriggerPermission,
  openstackConsoleUsePermission,
  openstackTenantRequestPermission,
  openstackTenantApprovePermission,
  openstackReplicationRunPermission,
  openstackWaiverRequestPermission,
  openstackWaiverApprovePermission,
];
