import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { techInsightsFactRetrieversExtensionPoint } from '@backstage-community/plugin-tech-insights-node';
import { OPENSTACK_SITE_FACT_RETRIEVER_ID } from './factSchema';
import { openstackSiteFactRetriever } from './retriever';

/**
 * Tech Insights module: adds `openstackSiteFactRetriever`, each OpenStack site's latest
 * compliance scan as facts. Tech Insights runs it on the cadence of
 * `techInsights.factRetrievers.openstackSiteFactRetriever` (without that entry, never).
 *
 * @public
 */
export const techInsightsModuleOpenStackSiteFacts = createBackendModule({
  pluginId: 'tech-insights',
  moduleId: 'openstack-site-facts',
  register(env) {
    env.registerInit({
      deps: {
        factRetrievers: techInsightsFactRetrieversExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ factRetrievers, config, logger }) {
        factRetrievers.addFactRetrievers({
          [OPENSTACK_SITE_FACT_RETRIEVER_ID]: openstackSiteFactRetriever,
        });
        // Tech Insights skips a retriever without a config entry, silently: say so here.
        const key = `techInsights.factRetrievers.${OPENSTACK_SITE_FACT_RETRIEVER_ID}`;
        if (!config.has(key)) {
          logger.warn(
            `No ${key} (cadence: a cron expression): OpenStack site facts will not be retrieved`,
          );
        }
      },
    });
  },
});
