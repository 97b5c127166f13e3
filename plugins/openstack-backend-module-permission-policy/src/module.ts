import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { FedstackPermissionPolicy } from './policy';

/** The permission backend's policy for the OpenStack plugins, configured by `fedstack.platformOperators`. */
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
        const waiverApprovers = config.getOptionalStringArray(
          'fedstack.waiverApprovers',
        );
        policy.setPolicy(
          new FedstackPermissionPolicy({ platformOperators, waiverApprovers }),
        );
      },
    });
  },
});
