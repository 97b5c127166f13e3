import { SignInPage } from '@backstage/core-components';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

// The app's default guest sign-in page, with SignInPage imported statically. The default one
// imports all of @backstage/core-components when it loads (material-table, date pickers and
// drag-and-drop among it: 0.7 MB in 8 chunks), and every start of the app waits for that before
// it can restore the session and show a page.
const GuestSignInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => props =>
      <SignInPage {...props} providers={['guest']} />,
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [GuestSignInPage],
});
