import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { OpenStackSiteProvider } from './OpenStackSiteProvider';
import { OpenStackTenantProvider } from './OpenStackTenantProvider';

/**
 * Catalog module: imports OpenStack sites as `Resource` entities of type `openstack-site`, one
 * entity provider per entry of `openstack.siteProviders` (none configured: it does nothing);
 * and the OpenStack backend's tenants as `Resource` entities of type `openstack-project`
 * (unless `catalog.providers.openstackTenants.enabled` is false).
 *
 * @public
 */
export const catalogModuleOpenStackSites = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'openstack-sites',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, config, auth, discovery, logger, scheduler }) {
        // A bad `openstack.siteProviders` stops start-up here, with every problem named.
        const providers = OpenStackSiteProvider.fromConfig(config, {
          logger,
          scheduler,
        });
        if (providers.length > 0) catalog.addEntityProvider(providers);
        logger.info(
          `OpenStack site providers: ${
            providers.map(p => p.getProviderName()).join(', ') ||
            'none configured'
          }`,
        );
        // A bad `catalog.providers.openstackTenants` stops start-up too.
        const tenants = OpenStackTenantProvider.fromConfig(config, {
          auth,
          discovery,
          logger,
          scheduler,
        });
        if (tenants) catalog.addEntityProvider(tenants);
      },
    });
  },
});
