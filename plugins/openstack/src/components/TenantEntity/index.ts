export { TenantEntityContent } from './TenantEntityContent';
export { SiteTenantsCard } from './SiteTenantsCard';
