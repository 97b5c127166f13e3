import { createRouteRef } from '@backstage/core-plugin-api';

/** The fleet overview page. */
export const rootRouteRef = createRouteRef({ id: 'openstack' });

/** Where the scorecard tab sits under an entity's page; the readiness card links to it. */
export const SITE_SCORECARD_PATH = 'openstack';
