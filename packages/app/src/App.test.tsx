import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('starts with the OpenStack plugin mounted in the sidebar', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'fedstack' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    // The guest sign-in page comes first; the app must get that far with every plugin loaded.
    expect(await screen.findByText('fedstack')).toBeInTheDocument();
    // The app's own sign-in page (modules/signIn): still the guest's.
    expect(
      await screen.findByRole('button', { name: 'Enter' }),
    ).toBeInTheDocument();
  });
});
