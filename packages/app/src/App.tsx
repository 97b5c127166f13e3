import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import openstackPlugin from '@fedstack/plugin-openstack/alpha';
import { catalogModule } from './modules/catalog';
import { homeModule } from './modules/home';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

export default createApp({
  features: [
    catalogPlugin,
    openstackPlugin,
    catalogModule,
    homeModule,
    navModule,
    signInModule,
  ],
});
