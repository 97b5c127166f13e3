import { createRouteRef } from '@backstage/core-plugin-api';

/** The fleet overview page. */
export const rootRouteRef = createRouteRef({ id: 'openstack' });
