/**
 * Scaffolder module for the fedstack OpenStack plugins: template actions that request OpenStack
 * tenants and set their members through the OpenStack backend plugin's tenant routes.
 *
 * @packageDocumentation
 */
export { scaffolderModuleOpenStack as default } from './module';
export { scaffolderModuleOpenStack } from './module';
export {
  createTenantRequestAction,
  DRY_RUN_TENANT_ID,
} from './actions/tenantRequest';
export { createTenantMembersAction } from './actions/tenantMembers';
export { OpenStackTenantsApi } from './openstackApi';
