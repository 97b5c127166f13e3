import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { readOpenStackConfig } from './config';
import { createRouter } from './service/router';

/**
 * The OpenStack backend plugin: compliance scans of OpenStack sites, tenant replication and
 * the site console, served under `/api/openstack`.
 *
 * @public
 */
export const openstackPlugin = createBackendPlugin({
  pluginId: 'openstack',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
      },
      async init({ config, logger, httpRouter }) {
        // A bad `openstack` section stops start-up here, with every problem named.
        const pluginConfig = readOpenStackConfig(config);
        logger.info(
          `OpenStack plugin: ${
            Object.keys(pluginConfig.credentialSets).length
          } credential set(s) configured`,
        );
        httpRouter.use(await createRouter({ config: pluginConfig }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
