import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  openstackConsoleUsePermission,
  openstackReplicationRunPermission,
  openstackScanTriggerPermission,
  openstackTenantApprovePermission,
} from '@fedstack/plugin-openstack-common';

/**
 * The portal's policy: everyone may read; scanning a site and using its console are for the
 * site's owners (the catalog's `isEntityOwner` rule, applied by the catalog to the site entity);
 * approving tenants and running replications are for the platform operators, the members of the
 * groups in `fedstack.platformOperators` (nobody when it is not set).
 */
export class FedstackPermissionPolicy implements PermissionPolicy {
  private readonly platformOperators: Set<string>;

  constructor(options: { platformOperators?: string[] } = {}) {
    this.platformOperators = new Set(
      (options.platformOperators ?? []).map(ref => ref.toLowerCase()),
    );
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
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
        isPermission(permission, openstackConsoleUsePermission))
    ) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({
          claims: user?.info.ownershipEntityRefs ?? [],
        }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export const permissionModuleFedstackPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'fedstack-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ policy, config, logger }) {
        const platformOperators = config.getOptionalStringArray(
          'fedstack.platformOperators',
        );
        if (!platformOperators?.length) {
          // A safe default, but one that silently blocks every approval: say so once.
          logger.warn(
            'fedstack.platformOperators is not set: nobody may approve tenant requests or run replications',
          );
        }
        policy.setPolicy(new FedstackPermissionPolicy({ platformOperators }));
      },
    });
  },
});
