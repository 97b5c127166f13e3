import {
  coreServices,
  createBackendPlugin,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { openstackPermissions } from '@fedstack/plugin-openstack-common';
import { readOpenStackConfig } from './config';
import { oneMigratorAtATime } from './database/migrationLock';
import { startTenantFeature } from './tenants/tenantFeature';
import { startMeteringFeature } from './metering/meteringFeature';
import { createConsoleRouter } from './console/consoleRouter';
import { createScanFeature } from './scans/scanFeature';
import { createScanRouter } from './scans/scanRouter';
import { errorBodiesWithoutStacks } from './http/errorBodies';
import { SiteRegistry } from './sites/SiteRegistry';
import {
  Check,
  ComplianceCatalogue,
  ProfileDefinition,
  ScanContext,
} from '@fedstack/plugin-openstack-node';
import { openstackComplianceExtensionPoint } from './extensions/complianceExtensionPoint';
import { catalogueFor } from './extensions/catalogueFor';
import { WaiverStore } from './waivers/WaiverStore';
import { sendDailySiteNotices } from './scans/dailySiteNotices';
import { createWaiverRouter } from './waivers/waiverRouter';

/**
 * The OpenStack backend plugin: compliance scans of OpenStack sites (scheduled and on demand),
 * their history, and the REST API under `/api/openstack`.
 *
 * @public
 */
export const openstackPlugin = createBackendPlugin({
  pluginId: 'openstack',
  register(env) {
    // What modules add, gathered before init (modules register before the plugin starts).
    const added = {
      checks: [] as Array<Check<ScanContext>>,
      profiles: [] as ProfileDefinition[],
    };
    env.registerExtensionPoint(openstackComplianceExtensionPoint, {
      addChecks(...checks) {
        added.checks.push(...checks);
      },
      addProfiles(...profiles) {
        added.profiles.push(...profiles);
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        lifecycle: coreServices.lifecycle,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        discovery: coreServices.discovery,
        notifications: notificationService,
        auditor: coreServices.auditor,
        userInfo: coreServices.userInfo,
      },
      async init({
        config,
        logger,
        httpRouter,
        database,
        scheduler,
        auth,
        lifecycle,
        httpAuth,
        permissions,
        permissionsRegistry,
        catalog,
        discovery,
        notifications,
        auditor,
        userInfo,
      }) {
        // A bad `openstack` section stops start-up here, with every problem named.
        const pluginConfig = readOpenStackConfig(config);
        // The checks and profiles scans use: built-in and the modules'; checked here too.
        const catalogue: ComplianceCatalogue = catalogueFor(
          added,
          pluginConfig,
        );
        // Listed so that policies and the permission UI know them.
        permissionsRegistry.addPermissions(openstackPermissions);
        const db = await database.getClient();
        const registry = new SiteRegistry(catalog, auth, pluginConfig);
        const {
          store,
          inputs: scanInputs,
          service: scans,
          siteNotices,
        } = createScanFeature({
          db,
          registry,
          config: pluginConfig,
          catalogue,
          logger,
          notifications,
          lifecycle,
        });

        // Backends started at once on one database migrate it one after the other.
        await oneMigratorAtATime(db, async () => {
          if (!database.migrations?.skip) {
            await db.migrate.latest({
              directory: resolvePackagePath(
                '@fedstack/plugin-openstack-backend',
                'migrations',
              ),
            });
          }
          // Scope `global`: with several backend instances on one database, one of them runs
          // it. The scheduler migrates its own tables at this first task: under the lock too.
          await scheduler.scheduleTask({
            id: 'openstack-fleet-scan',
            ...pluginConfig.scans.schedule,
            fn: () => scans.scanFleet(),
          });
        });

        // Tenants: replicated into their sites' Keystone daily, and soon after each change.
        const tenants = await startTenantFeature({
          db,
          registry,
          config: pluginConfig,
          logger,
          scheduler,
          notifications,
          platformOperators: config.getOptionalStringArray(
            'fedstack.platformOperators',
          ),
        });

        // Metering samples the tenants' projects, or (`visible`) every project it may read.
        const metering = await startMeteringFeature({
          db,
          registry,
          config: pluginConfig,
          logger,
          scheduler,
          lifecycle,
          tenantTargets: () => tenants.store.meteringTargets(),
        });

        logger.info(
          `OpenStack plugin: ${
            Object.keys(pluginConfig.credentialSets).length
          } credential set(s) configured`,
        );
        // The console's route first: it reads its own (larger) body, see console/consoleRouter.ts.
        const consoleRouter = createConsoleRouter({
          config: pluginConfig,
          catalogue,
          inputs: scanInputs,
          registry,
          httpAuth,
          permissions,
          auditor,
          logger,
          scans,
          store,
        });
        lifecycle.addShutdownHook(() => consoleRouter.close());
        httpRouter.use(consoleRouter.router);
        httpRouter.use(tenants.router({ httpAuth, userInfo, permissions }));
        httpRouter.use(metering.router({ httpAuth, permissions }));
        // Waivers: asked and decided here; the scan router applies the active ones when read.
        const waivers = new WaiverStore(db);
        if (siteNotices) {
          // Waivers ending soon, and the daily digests of site changes (one instance runs it).
          await scheduler.scheduleTask({
            id: 'openstack-site-notices',
            frequency: { hours: 24 },
            timeout: { minutes: 10 },
            initialDelay: { minutes: 5 },
            scope: 'global',
            fn: () =>
              sendDailySiteNotices({
                notices: siteNotices,
                waivers,
                days: pluginConfig.notifications.sites.waiverExpiryDays,
              }),
          });
        }
        httpRouter.use(
          createWaiverRouter({
            config: pluginConfig,
            catalogue,
            store: waivers,
            registry,
            httpAuth,
            permissions,
            auditor,
          }),
        );
        httpRouter.use(
          await createScanRouter({
            config: pluginConfig,
            catalogue,
            waivers,
            registry,
            store,
            scans,
            httpAuth,
            permissions,
            baseUrl: await discovery.getExternalBaseUrl('openstack'),
          }),
        );
        // After every route: no stack trace in an error body, whatever NODE_ENV.
        httpRouter.use(errorBodiesWithoutStacks);
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.addAuthPolicy({
          path: '/openapi.json',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
