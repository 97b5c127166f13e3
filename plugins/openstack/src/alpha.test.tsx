import { renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import { openstackApiRef } from './api';
import openstackPlugin from './alpha';
import { exampleSiteEntities } from './testSites';

describe('openstack plugin on the new frontend system', () => {
  it('serves the fleet page at /openstack with the sites of the catalog', async () => {
    renderTestApp({
      features: [openstackPlugin],
      initialRouteEntries: ['/openstack'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        catalogApiMock({ entities: exampleSiteEntities }),
        [
          openstackApiRef,
          {
            getHealth: async () => ({
              status: 'ok' as const,
              credentialSets: [],
            }),
          },
        ],
      ],
    });

    expect(
      await screen.findByRole(
        'heading',
        { name: 'OpenStack fleet' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('http://127.0.0.1:5000/v3', undefined, {
        timeout: 10_000,
      }),
    ).toBeVisible();
  });
});
