import { LifecycleService, LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { Knex } from 'knex';
import { ComplianceCatalogue } from '@fedstack/plugin-openstack-node';
import { OpenStackPluginConfig } from '../config';
import { SiteRegistry } from '../sites/SiteRegistry';
import { ScanInputs } from './scanInputs';
import { ScanService } from './ScanService';
import { ScanStore } from './ScanStore';
import { SiteNotices } from './siteNotices';

/**
 * The scans' parts: their store, the inputs every scan shares and the service running them
 * (closed at shutdown). The plugin schedules the fleet scan once the database is migrated, and
 * serves the scan router (scanRouter.ts) last.
 */
export function createScanFeature(options: {
  db: Knex;
  registry: SiteRegistry;
  config: OpenStackPluginConfig;
  catalogue: ComplianceCatalogue;
  logger: LoggerService;
  notifications: NotificationService;
  lifecycle: LifecycleService;
}) {
  const siteNotices = options.config.notifications.enabled
    ? new SiteNotices({
        notifications: options.notifications,
        db: options.db,
        digest: options.config.notifications.sites.digest,
      })
    : undefined;
  const { config, lifecycle } = options;
  const store = new ScanStore(options.db);
  // One set of sources (and their cache) for scheduled scans, "Scan now" and the console.
  const inputs = new ScanInputs(config);
  lifecycle.addShutdownHook(() => inputs.close());
  const service = new ScanService({
    store,
    registry: options.registry,
    config,
    catalogue: options.catalogue,
    logger: options.logger,
    siteNotices,
    inputs,
  });
  lifecycle.addShutdownHook(() => service.close());
  return { store, inputs, service, siteNotices };
}
