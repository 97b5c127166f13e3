import { OAuth2 } from '@backstage/core-app-api';
import { SignInPage } from '@backstage/core-components';
import {
  BackstageIdentityApi,
  createApiRef,
  OpenIdConnectApi,
  ProfileInfoApi,
  SessionApi,
} from '@backstage/core-plugin-api';
import {
  ApiBlueprint,
  configApiRef,
  createFrontendModule,
  discoveryApiRef,
  oauthRequestApiRef,
} from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { z } from 'zod';

/** The backend's `oidc` provider: EGI Check-in, or any OpenID Connect provider with its claims. */
export const checkinAuthApiRef = createApiRef<
  OpenIdConnectApi & ProfileInfoApi & BackstageIdentityApi & SessionApi
>({ id: 'auth.oidc' });

const checkinAuthApi = ApiBlueprint.make({
  name: 'oidc',
  params: defineParams =>
    defineParams({
      api: checkinAuthApiRef,
      deps: {
        configApi: configApiRef,
        discoveryApi: discoveryApiRef,
        oauthRequestApi: oauthRequestApiRef,
      },
      factory: ({ configApi, discoveryApi, oauthRequestApi }) =>
        OAuth2.create({
          configApi,
          discoveryApi,
          oauthRequestApi,
          provider: { id: 'oidc', title: 'EGI Check-in', icon: () => null },
          environment: configApi.getOptionalString('auth.environment'),
          defaultScopes: ['openid', 'profile', 'email'],
        }),
    }),
});

const providers = {
  guest: 'guest',
  oidc: {
    id: 'oidc-auth-provider',
    title: 'EGI Check-in',
    message: 'Sign in with your EGI Check-in account',
    apiRef: checkinAuthApiRef,
  },
} as const;

// The sign-in page offers the providers its config names (app-config*.yaml, `app.extensions`:
// `sign-in-page:app`), guest when none: guest in development, Check-in elsewhere. SignInPage is
// imported statically: the default page imports all of @backstage/core-components when it
// loads (material-table, date pickers and drag-and-drop among it: 0.7 MB in 8 chunks), and
// every start of the app waits for that before it can restore the session and show a page.
const CheckinSignInPage = SignInPageBlueprint.makeWithOverrides({
  configSchema: {
    providers: z.array(z.enum(['oidc', 'guest'])).default(['guest']),
  },
  factory(originalFactory, { config }) {
    const offered = config.providers.map(id => providers[id]);
    return originalFactory({
      loader: async () => props =>
        <SignInPage {...props} providers={offered} />,
    });
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [checkinAuthApi, CheckinSignInPage],
});
