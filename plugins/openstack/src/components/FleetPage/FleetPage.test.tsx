import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import { openstackApiRef } from '../../api';
import { exampleSiteEntities } from '../../testSites';
import { FleetPage } from './FleetPage';

describe('FleetPage', () => {
  it('lists every openstack-site and flags the misconfigured one', async () => {
    const openstackApi = {
      getHealth: jest
        .fn()
        .mockResolvedValue({ status: 'ok', credentialSets: ['site-a'] }),
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [catalogApiRef, catalogApiMock({ entities: exampleSiteEntities })],
          [openstackApiRef, openstackApi],
        ]}
      >
        <FleetPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    expect(
      screen.getByRole('heading', { name: 'OpenStack fleet' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('http://127.0.0.1:5000/v3', undefined, {
        timeout: 10_000,
      }),
    ).toBeVisible();
    expect(screen.getByText('RegionOne')).toBeVisible();
    expect(
      screen.getByText(
        /Misconfigured: annotation openstack\.fedstack\.io\/keystone-url is missing/,
      ),
    ).toBeVisible();
    // Components are not sites and must not be listed.
    expect(screen.queryByText('fedstack')).not.toBeInTheDocument();
    expect(openstackApi.getHealth).toHaveBeenCalled();
  });
});
