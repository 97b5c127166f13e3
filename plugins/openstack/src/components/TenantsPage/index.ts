export { TenantsPage } from './TenantsPage';
export { TenantsRouter } from './TenantsRouter';
export { TenantTable } from './TenantTable';
export { TenantStatusLabel, tenantStatusTitles } from './TenantStatusLabel';
export { useWorkspaces } from './useWorkspaces';
