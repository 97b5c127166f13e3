import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { isOpenStackSiteEntity } from '@fedstack/plugin-openstack-common';
import CloudIcon from '@material-ui/icons/Cloud';
import { openstackApiRef, OpenStackClient } from './api';
import { SITE_SCORECARD_PATH } from './routes';

const fleetRouteRef = createRouteRef();

const openstackApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: openstackApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new OpenStackClient({ discoveryApi, fetchApi }),
    }),
});

const fleetPage = PageBlueprint.make({
  params: {
    path: '/openstack',
    title: 'OpenStack',
    icon: <CloudIcon />,
    routeRef: fleetRouteRef,
    loader: () => import('./components/FleetPage').then(m => <m.FleetPage />),
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

/**
 * The OpenStack plugin for the new frontend system: the fleet page at `/openstack`, and on every
 * `openstack-site` entity an OpenStack tab (the scorecard) and a readiness card for its overview.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'openstack',
  info: { packageJson: () => import('../package.json') },
  routes: { root: fleetRouteRef },
  extensions: [openstackApi, fleetPage, siteEntityContent, siteReadinessCard],
});
