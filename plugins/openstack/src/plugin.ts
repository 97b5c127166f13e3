import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { openstackApiRef, OpenStackClient } from './api';
import { rootRouteRef } from './routes';

/** The OpenStack plugin for apps on `@backstage/core-plugin-api` (the legacy frontend system). */
export const openstackPlugin = createPlugin({
  id: 'openstack',
  apis: [
    createApiFactory({
      api: openstackApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new OpenStackClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
});

/** The fleet overview page; mount it on a route of your app, e.g. `/openstack`. */
export const OpenStackFleetPage = openstackPlugin.provide(
  createRoutableExtension({
    name: 'OpenStackFleetPage',
    component: () => import('./components/FleetPage').then(m => m.FleetPage),
    mountPoint: rootRouteRef,
  }),
);

/** The site overview for an entity page of an `openstack-site` Resource. */
export const EntityOpenStackSiteContent = openstackPlugin.provide(
  createComponentExtension({
    name: 'EntityOpenStackSiteContent',
    component: {
      lazy: () =>
        import('./components/SiteOverviewCard').then(m => m.SiteOverviewCard),
    },
  }),
);
