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
} from './plugin';
export { openstackApiRef, OpenStackClient } from './api';
export type { OpenStackApi } from './api';
export { isOpenStackSiteEntity as isOpenStackSite } from '@fedstack/plugin-openstack-common';
