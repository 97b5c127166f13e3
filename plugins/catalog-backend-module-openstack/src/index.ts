/**
 * Catalog module for the fedstack OpenStack plugins: imports OpenStack sites as catalog
 * `Resource` entities of type `openstack-site`, from fedcloud-catchall-operations site files or
 * GOCDB (`openstack.siteProviders`); and the OpenStack backend's tenants as `Resource` entities of
 * type `openstack-project` (`catalog.providers.openstackTenants`).
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
export {
  OpenStackTenantProvider,
  type OpenStackTenantProviderOptions,
  type TenantRefreshSummary,
} from './OpenStackTenantProvider';
export { type TenantProblem } from './tenantEntities';
