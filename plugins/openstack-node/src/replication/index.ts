/**
 * Tenant replication: desired tenants → one bulk read of Keystone → a plan → only the
 * differences written (see the package README). Exported: `replicate`, what it takes (the
 * desired tenants, their quotas and names) and what it reports.
 */
export {
  QUOTA_SERVICES,
  renderName,
  type AccountGrant,
  type DesiredGroup,
  type DesiredTenant,
  type QuotaService,
  type QuotaSets,
  type TenantPhase,
} from './desired';
export {
  replicate,
  type ReplicationOptions,
  type ReplicationReport,
  type TenantOutcome,
} from './replicate';
