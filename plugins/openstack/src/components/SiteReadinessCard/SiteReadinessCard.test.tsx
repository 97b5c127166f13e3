import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { OpenStackApi, openstackApiRef } from '../../api';
import { tenantMethodMocks } from '../../api/tenantMethodMocks';
import { exampleSiteDetail, exampleSiteSummary } from '../../testScans';
import { exampleSiteEntities } from '../../testSites';
import { SiteReadinessCard } from './SiteReadinessCard';

function mockApi(getSite: OpenStackApi['getSite']): OpenStackApi {
  return {
    getHealth: jest.fn(),
    listSites: jest.fn(),
    getSite,
    triggerScan: jest.fn(),
    getScan: jest.fn(),
    watchScan: jest.fn(),
    ...tenantMethodMocks(),
  };
}

async function renderCard(api: OpenStackApi, entityIndex = 0) {
  await renderInTestApp(
    <TestApiProvider apis={[[openstackApiRef, api]]}>
      <EntityProvider entity={exampleSiteEntities[entityIndex]}>
        <SiteReadinessCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('SiteReadinessCard', () => {
  it('shows score and readiness per profile and links to the scorecard tab', async () => {
    await renderCard(mockApi(jest.fn().mockResolvedValue(exampleSiteDetail())));
    expect(await screen.findByText('75%')).toBeInTheDocument();
    expect(screen.getByText('NOT READY')).toBeInTheDocument();
    expect(screen.getByText('90%')).toBeInTheDocument();
    expect(screen.getByText('READY')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /View scorecard/ }),
    ).toHaveAttribute('href', '/catalog/default/resource/site-a/openstack');
  });

  it('says when the site was never scanned', async () => {
    await renderCard(
      mockApi(
        jest.fn().mockResolvedValue({
          site: exampleSiteSummary({ latestScan: null }),
          results: [],
          history: [],
        }),
      ),
    );
    expect(await screen.findByText('Not scanned')).toBeInTheDocument();
  });

  it('names the problems of a misconfigured site without calling the backend', async () => {
    const getSite = jest.fn();
    await renderCard(mockApi(getSite), 1);
    expect(
      await screen.findByText(/Misconfigured: annotation openstack/),
    ).toBeInTheDocument();
    expect(getSite).not.toHaveBeenCalled();
  });
});
