export { TenantPage } from './TenantPage';
export { QuotaTable } from './QuotaTable';
