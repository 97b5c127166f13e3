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
