import { render, screen } from '@testing-library/react';
import App from '../../App';

// Its own file: the app reads its config once per test module.
describe('sign-in page', () => {
  it('offers EGI Check-in beside guest when its config names both', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: {
              title: 'fedstack',
              extensions: [
                {
                  'sign-in-page:app': {
                    config: { providers: ['oidc', 'guest'] },
                  },
                },
              ],
            },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    expect(await screen.findByText('EGI Check-in')).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'Sign In' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Enter' })).toBeInTheDocument();
  });
});
