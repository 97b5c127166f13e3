import {
  HttpAuthService,
  LifecycleService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { OpenStackPluginConfig } from '../config';
import { SiteRegistry } from '../sites/SiteRegistry';
import { MeteringService, MeteringTarget } from './MeteringService';
import { createMeteringRouter } from './meteringRouter';
import { MeteringStore } from './MeteringStore';

/**
 * Metering: its store and the service sampling projects (closed at shutdown), on
 * `openstack.metering.schedule` (scheduled here, scope `global`): the tenants' projects
 * (`tenantTargets`), or with `projects: visible` every project the account may read; `router`
 * makes its routes.
 */
export async function startMeteringFeature(options: {
  db: Knex;
  registry: SiteRegistry;
  config: OpenStackPluginConfig;
  logger: LoggerService;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
  tenantTargets: () => Promise<MeteringTarget[]>;
}) {
  const { registry, config } = options;
  const store = new MeteringStore(options.db);
  const service = new MeteringService({
    store,
    registry,
    config,
    logger: options.logger,
    targets:
      config.metering.projects === 'visible'
        ? undefined
        : options.tenantTargets,
  });
  options.lifecycle.addShutdownHook(() => service.close());
  await options.scheduler.scheduleTask({
    id: 'openstack-metering',
    scope: 'global',
    ...config.metering.schedule,
    fn: async () => {
      await service.meterAll();
    },
  });
  return {
    store,
    service,
    router: (http: {
      httpAuth: HttpAuthService;
      permissions: PermissionsService;
    }) => createMeteringRouter({ registry, store, metering: service, ...http }),
  };
}
