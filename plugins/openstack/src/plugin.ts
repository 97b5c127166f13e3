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

/**
 * The scorecard of an `openstack-site` Resource: its annotations, score and readiness per
 * profile, every check with evidence and remediation, score history and "Scan now". Mount it as
 * an entity tab at `/openstack` so {@link EntityOpenStackScoreCard} links to it.
 */
export const EntityOpenStackSiteContent = openstackPlugin.provide(
  createComponentExtension({
    name: 'EntityOpenStackSiteContent',
    component: {
      lazy: () =>
        import('./components/SiteScorecard').then(m => m.SiteScorecard),
    },
  }),
);

/** A compact card for an `openstack-site`'s overview page: score and readiness per profile. */
export const EntityOpenStackScoreCard = openstackPlugin.provide(
  createComponentExtension({
    name: 'EntityOpenStackScoreCard',
    component: {
      lazy: () =>
        import('./components/SiteReadinessCard').then(m => m.SiteReadinessCard),
    },
  }),
);
