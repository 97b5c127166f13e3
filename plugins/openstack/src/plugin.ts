import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  openstackApiRef,
  OpenStackClient,
  openstackConsoleApiRef,
  OpenStackConsoleClient,
} from './api';
import { rootRouteRef, tenantsRouteRef } from './routes';

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
    createApiFactory({
      api: openstackConsoleApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new OpenStackConsoleClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    tenants: tenantsRouteRef,
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

/** A card for a Group's overview: the readiness of the OpenStack sites it owns, with trends. */
export const EntityOpenStackGroupReadinessCard = openstackPlugin.provide(
  createComponentExtension({
    name: 'EntityOpenStackGroupReadinessCard',
    component: {
      lazy: () =>
        import('./components/FleetRollup').then(m => m.GroupReadinessCard),
    },
  }),
);

/**
 * The tenant pages: a workspace's tenants, the request form, approvals, and each tenant at
 * `:id`, wherever the app mounts it (e.g. `/openstack/tenants`, TENANTS_PATH): a group's Tenants tab
 * links to its route.
 */
export const OpenStackTenantsPage = openstackPlugin.provide(
  createRoutableExtension({
    name: 'OpenStackTenantsPage',
    component: () =>
      import('./components/TenantsPage').then(m => m.TenantsRouter),
    mountPoint: tenantsRouteRef,
  }),
);

/** The Tenants tab of a Group entity (a workspace): its tenants and a link to request one. */
export const EntityOpenStackTenantsContent = openstackPlugin.provide(
  createComponentExtension({
    name: 'EntityOpenStackTenantsContent',
    component: {
      lazy: () =>
        import('./components/WorkspaceTenantsCard').then(
          m => m.WorkspaceTenantsCard,
        ),
    },
  }),
);

/**
 * The read-only console of an `openstack-site` Resource: allow-listed `openstack` CLI commands
 * (`project list`, `user show ID`, `scan`, …) run by the backend with the site's reader account.
 * Mount it as an entity tab, e.g. at `/openstack-console`.
 */
export const EntityOpenStackConsoleContent = openstackPlugin.provide(
  createComponentExtension({
    name: 'EntityOpenStackConsoleContent',
    component: {
      lazy: () => import('./components/SiteConsole').then(m => m.SiteConsole),
    },
  }),
);

/**
 * The tenant page of an `openstack-project` Resource (a tenant the catalog module imported):
 * status, Keystone names, replication, members, quotas, usage. Mount it as an entity tab, e.g.
 * at `/openstack-tenant`, for entities of that type.
 */
export const EntityOpenStackTenantContent = openstackPlugin.provide(
  createComponentExtension({
    name: 'EntityOpenStackTenantContent',
    component: {
      lazy: () =>
        import('./components/TenantEntity').then(m => m.TenantEntityContent),
    },
  }),
);

/** A card for an `openstack-site`'s overview: its tenants, through `dependencyOf` relations. */
export const EntityOpenStackSiteTenantsCard = openstackPlugin.provide(
  createComponentExtension({
    name: 'EntityOpenStackSiteTenantsCard',
    component: {
      lazy: () =>
        import('./components/TenantEntity').then(m => m.SiteTenantsCard),
    },
  }),
);
