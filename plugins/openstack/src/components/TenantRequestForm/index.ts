export { TenantRequestForm } from './TenantRequestForm';
