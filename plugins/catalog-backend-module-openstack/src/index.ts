/**
 * Catalog module for the fedstack OpenStack plugins: imports OpenStack sites as catalog
 * `Resource` entities of type `openstack-site`, from fedcloud-catchall-operations site files or
 * GOCDB (`openstack.siteProviders`).
 *
 * @packageDocumentation
 */
export { catalogModuleOpenStackSites as default } from './module';
export { catalogModuleOpenStackSites } from './module';
export {
  OpenStackSiteProvider,
  type OpenStackSiteProviderOptions,
  type SiteRefreshSummary,
} from './OpenStackSiteProvider';
export {
  readSiteProviderConfigs,
  SiteProviderConfigError,
  type SiteProviderConfig,
} from './config';
