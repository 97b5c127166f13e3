export { TenantApprovals } from './TenantApprovals';
