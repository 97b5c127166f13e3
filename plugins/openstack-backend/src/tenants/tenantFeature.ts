import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { Knex } from 'knex';
import { OpenStackPluginConfig } from '../config';
import { SiteRegistry } from '../sites/SiteRegistry';
import { ReplicationService } from './ReplicationService';
import { createTenantRouter } from './tenantRouter';
import { TenantStore } from './TenantStore';
import { TenantNotices } from './tenantNotices';

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
  /** Where tenant notices go (Backstage's notifications); none: nothing is sent. */
  notifications?: NotificationService;
  /** `fedstack.platformOperators`: the approvers told of requests unless configured otherwise. */
  platformOperators?: string[];
}) {
  const { registry, config, logger } = options;
  const store = new TenantStore(options.db);
  const notices = new TenantNotices({
    notifications: options.notifications,
    settings: config.notifications,
    platformOperators: options.platformOperators,
    logger,
  });
  const replication = new ReplicationService({
    store,
    registry,
    config,
    logger,
    notices,
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
    }) =>
      createTenantRouter({
        store,
        replication,
        registry,
        logger,
        notices,
        ...http,
      }),
  };
}
