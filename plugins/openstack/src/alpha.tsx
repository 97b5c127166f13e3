import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  isOpenStackSiteEntity,
  OPENSTACK_PROJECT_TYPE,
} from '@fedstack/plugin-openstack-common';
import CloudIcon from '@material-ui/icons/Cloud';
import GroupWorkIcon from '@material-ui/icons/GroupWork';
import {
  openstackApiRef,
  OpenStackClient,
  openstackConsoleApiRef,
  OpenStackConsoleClient,
} from './api';
import {
  SITE_SCORECARD_PATH,
  TENANTS_PATH,
  WORKSPACE_TENANTS_PATH,
  SITE_CONSOLE_PATH,
  tenantsRouteRef as legacyTenantsRouteRef,
} from './routes';
import { prefetched } from './components/FleetPage/prefetch';

const fleetRouteRef = createRouteRef();
// The legacy ref, converted: a group's Tenants tab (legacy `useRouteRef`) links to this page.
const tenantsRouteRef = convertLegacyRouteRef(legacyTenantsRouteRef);

const openstackApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: openstackApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new OpenStackClient({ discoveryApi, fetchApi }),
    }),
});

// The loader starts the fleet's one `/sites` call while the page's code loads, rather than after
// the page has rendered; the page takes that answer the first time it shows.
const fleetPage = PageBlueprint.makeWithOverrides({
  factory(originalFactory, { apis }) {
    const client = apis.get(openstackApiRef);
    return originalFactory({
      path: '/openstack',
      title: 'OpenStack',
      icon: <CloudIcon />,
      routeRef: fleetRouteRef,
      loader: () => {
        const sites = client && prefetched(() => client.listSites());
        return import('./components/FleetPage').then(m => (
          <m.FleetPage prefetchedSites={sites} />
        ));
      },
    });
  },
});

// The tenant pages: the list at /openstack/tenants, a tenant at /openstack/tenants/:id (a
// group's Tenants tab follows the route if the app mounts them elsewhere).
const tenantsPage = PageBlueprint.make({
  name: 'tenants',
  params: {
    path: TENANTS_PATH,
    title: 'Tenants',
    icon: <GroupWorkIcon />,
    routeRef: tenantsRouteRef,
    loader: () =>
      import('./components/TenantsPage').then(m => <m.TenantsRouter />),
  },
});

const workspaceTenantsContent = EntityContentBlueprint.make({
  name: 'tenants',
  params: {
    path: WORKSPACE_TENANTS_PATH,
    title: 'Tenants',
    filter: entity => entity.kind.toLowerCase() === 'group',
    loader: () =>
      import('./components/WorkspaceTenantsCard').then(m => (
        <m.WorkspaceTenantsCard />
      )),
  },
});

const openstackConsoleApi = ApiBlueprint.make({
  name: 'console',
  params: defineParams =>
    defineParams({
      api: openstackConsoleApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new OpenStackConsoleClient({ discoveryApi, fetchApi }),
    }),
});

// The read-only console of a site, its own tab next to the scorecard.
const siteConsoleContent = EntityContentBlueprint.make({
  name: 'console',
  params: {
    path: SITE_CONSOLE_PATH,
    title: 'Console',
    filter: entity => isOpenStackSiteEntity(entity),
    loader: () =>
      import('./components/SiteConsole').then(m => <m.SiteConsole />),
  },
});

const siteEntityContent = EntityContentBlueprint.make({
  params: {
    path: SITE_SCORECARD_PATH,
    title: 'OpenStack',
    filter: entity => isOpenStackSiteEntity(entity),
    loader: () =>
      import('./components/SiteScorecard').then(m => <m.SiteScorecard />),
  },
});

const siteReadinessCard = EntityCardBlueprint.make({
  name: 'site-readiness',
  params: {
    filter: entity => isOpenStackSiteEntity(entity),
    loader: () =>
      import('./components/SiteReadinessCard').then(m => (
        <m.SiteReadinessCard />
      )),
  },
});

// A tenant imported by the catalog module: its tenant page is its entity's tab.
const tenantEntityContent = EntityContentBlueprint.make({
  name: 'tenant',
  params: {
    path: 'openstack-tenant',
    title: 'Tenant',
    filter: entity =>
      entity.kind.toLowerCase() === 'resource' &&
      entity.spec?.type === OPENSTACK_PROJECT_TYPE,
    loader: () =>
      import('./components/TenantEntity').then(m => <m.TenantEntityContent />),
  },
});

// A site's tenants, through the catalog's dependencyOf relation, on its overview.
const siteTenantsCard = EntityCardBlueprint.make({
  name: 'site-tenants',
  params: {
    filter: entity => isOpenStackSiteEntity(entity),
    loader: () =>
      import('./components/TenantEntity').then(m => <m.SiteTenantsCard />),
  },
});

// On a Group's overview: the readiness of the OpenStack sites it owns.
const groupReadinessCard = EntityCardBlueprint.make({
  name: 'group-readiness',
  params: {
    filter: entity => entity.kind.toLowerCase() === 'group',
    loader: () =>
      import('./components/FleetRollup').then(m => <m.GroupReadinessCard />),
  },
});

/**
 * The OpenStack plugin for the new frontend system: the fleet page at `/openstack`, the tenant
 * pages at `/openstack/tenants`, on every `openstack-site` entity an OpenStack tab (the
 * scorecard) and a readiness card for its overview, and on every Group a Tenants tab.
 * Tenants imported into the catalog (`openstack-project` Resources) get their tenant page as a
 * Tenant tab; a site's overview lists its tenants; a Group's overview, its sites' readiness.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'openstack',
  info: { packageJson: () => import('../package.json') },
  routes: { root: fleetRouteRef, tenants: tenantsRouteRef },
  extensions: [
    openstackApi,
    fleetPage,
    tenantsPage,
    siteEntityContent,
    siteReadinessCard,
    openstackConsoleApi,
    siteConsoleContent,
    workspaceTenantsContent,
    tenantEntityContent,
    siteTenantsCard,
    groupReadinessCard,
  ],
});
