import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { OpenStackTenantsApi } from './openstackApi';
import { createTenantMembersAction } from './actions/tenantMembers';
import { createTenantRequestAction } from './actions/tenantRequest';

/**
 * Scaffolder module: the `openstack:tenant:request` and `openstack:tenant:members` template
 * actions, which go through the OpenStack backend plugin's tenant routes as the template's user.
 *
 * @public
 */
export const scaffolderModuleOpenStack = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'openstack',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, auth, discovery, config }) {
        const api = new OpenStackTenantsApi({ auth, discovery });
        const appBaseUrl = config.getString('app.baseUrl');
        scaffolder.addActions(
          createTenantRequestAction({ api, appBaseUrl }),
          createTenantMembersAction({ api, appBaseUrl }),
        );
      },
    });
  },
});
