import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  OPENSTACK_PROJECT_TYPE,
  openstackConsoleUsePermission,
  openstackPermissions,
  openstackReplicationRunPermission,
  openstackScanTriggerPermission,
  openstackTenantApprovePermission,
  openstackWaiverApprovePermission,
  openstackWaiverRequestPermission,
} from '@fedstack/plugin-openstack-common';

const OPENSTACK_PERMISSION_NAMES = new Set(
  openstackPermissions.map(permission => permission.name),
);

/**
 * Whether a permission is one of the OpenStack plugins': an app with its own policy hands
 * these to `FedstackPermissionPolicy` and decides the rest itself.
 */
export function isOpenStackPermission(permission: Permission): boolean {
  return OPENSTACK_PERMISSION_NAMES.has(permission.name);
}

/**
 * The OpenStack plugins' policy: everyone may read; scanning a site and using its console are
 * for the site's owners (the catalog's `isEntityOwner` rule, applied by the catalog to the site
 * entity); approving tenants and running replications are for the platform operators, the
 * members of the groups in `fedstack.platformOperators` (nobody when it is not set). Waivers:
 * a site's owners ask for them; the groups in `fedstack.waiverApprovers` (a federation
 * manager group), or the platform operators when it is not set, approve them. Requesting
 * tenants is left open here: the backend lets only the workspace's members request its tenants,
 * and never lets a requester approve their own request, whatever the policy. Reading catalog
 * entities: every entity, except that a tenant's (a `Resource` of type `openstack-project`) is
 * for its workspace's members (the catalog's `isEntityOwner`) and the platform operators, whom
 * the tenant REST API shows it to. Other plugins' permissions are allowed, as the allow-all
 * policy would. Backends calling with their own service credentials never reach a policy
 * (Backstage's permissions service allows them), so the catalog module, search collators and
 * the scaffolder still read every tenant; a caller without credentials (`user` undefined) is
 * treated as belonging to no workspace.
 */
export class FedstackPermissionPolicy implements PermissionPolicy {
  private readonly platformOperators: Set<string>;
  private readonly waiverApprovers: Set<string>;

  constructor(
    options: { platformOperators?: string[]; waiverApprovers?: string[] } = {},
  ) {
    const refs = (list?: string[]) =>
      new Set((list ?? []).map(ref => ref.toLowerCase()));
    this.platformOperators = refs(options.platformOperators);
    this.waiverApprovers = options.waiverApprovers?.length
      ? refs(options.waiverApprovers)
      : this.platformOperators;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const memberOf = (groups: Set<string>) =>
      (user?.info.ownershipEntityRefs ?? []).some(ref =>
        groups.has(ref.toLowerCase()),
      );
    if (isPermission(permission, openstackWaiverApprovePermission)) {
      return {
        result: memberOf(this.waiverApprovers)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    if (
      isPermission(permission, openstackTenantApprovePermission) ||
      isPermission(permission, openstackReplicationRunPermission)
    ) {
      const operator = (user?.info.ownershipEntityRefs ?? []).some(ref =>
        this.platformOperators.has(ref.toLowerCase()),
      );
      return {
        result: operator ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      };
    }
    if (
      isResourcePermission(permission, 'catalog-entity') &&
      (isPermission(permission, openstackScanTriggerPermission) ||
        isPermission(permission, openstackConsoleUsePermission) ||
        isPermission(permission, openstackWaiverRequestPermission))
    ) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({
          claims: user?.info.ownershipEntityRefs ?? [],
        }),
      );
    }
    if (isPermission(permission, catalogEntityReadPermission)) {
      if (memberOf(this.platformOperators)) {
        return { result: AuthorizeResult.ALLOW };
      }
      // The tenant REST API compares workspaces lower-cased; the catalog's in-memory rule (the
      // one search's per-result checks use) compares claims as written.
      const claims = [
        ...new Set(
          (user?.info.ownershipEntityRefs ?? []).map(ref => ref.toLowerCase()),
        ),
      ];
      return createCatalogConditionalDecision(permission, {
        anyOf: [
          { not: catalogConditions.isEntityKind({ kinds: ['Resource'] }) },
          {
            not: catalogConditions.hasSpec({
              key: 'type',
              value: OPENSTACK_PROJECT_TYPE,
            }),
          },
          catalogConditions.isEntityOwner({ claims }),
        ],
      });
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
