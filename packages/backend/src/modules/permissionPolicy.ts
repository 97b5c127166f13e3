import { createBackendModule } from '@backstage/backend-plugin-api';
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
  openstackScanTriggerPermission,
} from '@fedstack/plugin-openstack-common';

/**
 * The portal's policy: everyone may read; scanning a site and using its console are for the
 * site's owners (the catalog's `isEntityOwner` rule, applied by the catalog to the site entity).
 */
export class FedstackPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
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
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new FedstackPermissionPolicy());
      },
    });
  },
});
