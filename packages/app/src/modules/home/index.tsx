import {
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { Navigate } from 'react-router-dom';

/**
 * The portal's start: `/` (where sign-in lands) opens the OpenStack fleet, the page every user
 * of this portal comes for, instead of the app's "page not found".
 */
export const homeRedirect = PageBlueprint.make({
  name: 'home',
  params: {
    path: '/',
    loader: async () => <Navigate to="/openstack" replace />,
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'app',
  extensions: [homeRedirect],
});
