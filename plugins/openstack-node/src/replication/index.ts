export * from './desired';
export { applyPlan, type ApplyOptions, type StepOutcome } from './apply';
export {
  planReplication,
  needsQuotaRead,
  type CurrentQuotas,
  type PlanStep,
  type Ref,
  type ReplicationPlan,
  type StepAction,
  type TenantPlan,
} from './plan';
export {
  replicate,
  type ReplicationOptions,
  type ReplicationReport,
  type TenantOutcome,
} from './replicate';
export {
  readKeystoneState,
  readKeystoneStatePerResource,
  userDomainIds,
  type KeystoneState,
  type StateRead,
} from './state';
