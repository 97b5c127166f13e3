import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { OpenStackSiteProvider } from './OpenStackSiteProvider';

/**
 * Catalog module: imports OpenStack sites as `Resource` entities of type `openstack-site`, one
 * entity provider per entry of `openstack.siteProviders` (none configured: it does nothing).
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
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, config, logger, scheduler }) {
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
      },
    });
  },
});
