/**
 * The fedstack OpenStack frontend plugin: site scorecards, fleet overview, tenant pages and the
 * site console. This entry point is for apps on `@backstage/core-plugin-api`; apps on the new
 * frontend system import `@fedstack/plugin-openstack/alpha`.
 *
 * @packageDocumentation
 */
export {
  openstackPlugin,
  OpenStackFleetPage,
  EntityOpenStackSiteContent,
  EntityOpenStackScoreCard,
  EntityOpenStackGroupReadinessCard,
  EntityOpenStackConsoleContent,
  OpenStackTenantsPage,
  EntityOpenStackTenantsContent,
  EntityOpenStackTenantContent,
  EntityOpenStackSiteTenantsCard,
} from './plugin';
export { TENANTS_PATH } from './routes';
export {
  openstackApiRef,
  OpenStackClient,
  openstackConsoleApiRef,
  OpenStackConsoleClient,
} from './api';
export type { OpenStackConsoleApi, ConsoleEnd } from './api';
export type { OpenStackApi, TenantQuery, ReplicationRunSummary } from './api';
export { isOpenStackSiteEntity as isOpenStackSite } from '@fedstack/plugin-openstack-common';
