import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { OpenStackPluginConfig } from '../config';
import { SiteRegistry } from '../sites/SiteRegistry';
import { ReplicationService } from './ReplicationService';
import { createTenantRouter } from './tenantRouter';
import { TenantStore } from './TenantStore';

/**
 * Tenants: their store and the replication into their sites' Keystone, daily (scheduled here,
 * scope `global`) and soon after each change; `router` makes their routes.
 */
export async function startTenantFeature(options: {
  db: Knex;
  registry: SiteRegistry;
  config: OpenStackPluginConfig;
  logger: LoggerService;
  scheduler: SchedulerService;
}) {
  const { registry, config, logger } = options;
  const store = new TenantStore(options.db);
  const replication = new ReplicationService({
    store,
    registry,
    config,
    logger,
  });
  await options.scheduler.scheduleTask({
    id: 'openstack-replication',
    scope: 'global',
    ...config.replication.schedule,
    fn: () => replication.replicateAll(),
  });
  return {
    store,
    replication,
    router: (http: {
      httpAuth: HttpAuthService;
      userInfo: UserInfoService;
      permissions: PermissionsService;
    }) => createTenantRouter({ store, replication, registry, logger, ...http }),
  };
}
