import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { OpenStackCollatorFactory } from './OpenStackCollatorFactory';

// Scans run hourly or daily and tenants change when people ask: every 10 minutes is fresh enough.
const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 30 },
};

/**
 * Search module: indexes OpenStack sites (name, GOCDB name, readiness per profile, failing
 * checks) and tenants from `@fedstack/plugin-openstack-backend`, as documents of type
 * `openstack` linking to their catalog entities (`search.collators.openstack`: schedule,
 * locationTemplate).
 *
 * @public
 */
export const searchModuleOpenStackCollator = createBackendModule({
  pluginId: 'search',
  moduleId: 'openstack-collator',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        indexRegistry: searchIndexRegistryExtensionPoint,
      },
      async init(deps) {
        const { config, scheduler, indexRegistry } = deps;
        const section = config.getOptionalConfig('search.collators.openstack');
        const schedule = section?.has('schedule')
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              section.getConfig('schedule'),
            )
          : DEFAULT_SCHEDULE;
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(schedule),
          factory: new OpenStackCollatorFactory({
            auth: deps.auth,
            discovery: deps.discovery,
            catalog: deps.catalog,
            logger: deps.logger,
            locationTemplate: section?.getOptionalString('locationTemplate'),
          }),
        });
      },
    });
  },
});
