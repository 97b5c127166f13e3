import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import { exampleFleet, exampleSiteDetail } from './testScans';
import { openstackApiRef, openstackConsoleApiRef } from './api';
import {
  EntityOpenStackScoreCard,
  EntityOpenStackSiteContent,
  OpenStackFleetPage,
  openstackPlugin,
} from './plugin';
import { rootRouteRef } from './routes';
import { exampleSiteEntities } from './testSites';

// The exports for apps on @backstage/core-plugin-api (the legacy frontend system).
describe('openstack plugin on the legacy frontend system', () => {
  const apis = [
    [catalogApiRef, catalogApiMock({ entities: exampleSiteEntities })],
    // Apps provide it; the scorecard asks it whether the user may scan.
    [permissionApiRef, mockApis.permission()],
    [
      openstackApiRef,
      {
        getHealth: async () => ({ status: 'ok' as const, credentialSets: [] }),
        listSites: async () => exampleFleet,
        getSite: async () => exampleSiteDetail(),
        // The scorecard lists the site's waivers; the fleet page the open ones.
        listSiteWaivers: async () => ({
          items: [],
          policy: { maxDays: 90, countsAs: 'excluded' as const },
        }),
        listWaivers: async () => ({
          items: [],
          policy: { maxDays: 90, countsAs: 'excluded' as const },
        }),
        triggerScan: jest.fn(),
        getScan: jest.fn(),
        watchScan: jest.fn(),
      },
    ],
  ] as const;

  it('declares its id, root route and API client', () => {
    expect(openstackPlugin.getId()).toBe('openstack');
    expect(openstackPlugin.routes.root).toBe(rootRouteRef);
    const apiIds = [...openstackPlugin.getApis()].map(
      factory => factory.api.id,
    );
    expect(apiIds).toEqual([openstackApiRef.id, openstackConsoleApiRef.id]);
    // A routable extension is only mounted by an app's route tree; its component is FleetPage,
    // rendered in FleetPage.test.tsx.
    expect(OpenStackFleetPage).toBeDefined();
  });

  it('shows a site entity with its annotations and its scorecard', async () => {
    await renderInTestApp(
      <TestApiProvider apis={apis}>
        <EntityProvider entity={exampleSiteEntities[0]}>
          <EntityOpenStackSiteContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('OpenStack site', undefined, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('http://127.0.0.1:5000/v3')).toBeInTheDocument();
    expect(
      screen.getByText('egi-fedcloud, tenant-platform'),
    ).toBeInTheDocument();
    expect(await screen.findByText('Score: 75%')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Scan now' }),
    ).toBeInTheDocument();
  });

  it('shows the readiness card for an overview page', async () => {
    await renderInTestApp(
      <TestApiProvider apis={apis}>
        <EntityProvider entity={exampleSiteEntities[0]}>
          <EntityOpenStackScoreCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByText('OpenStack readiness', undefined, {
        timeout: 10_000,
      }),
    ).toBeInTheDocument();
    expect(await screen.findByText('75%')).toBeInTheDocument();
  });

  it('names the annotations at fault on a misconfigured site', async () => {
    await renderInTestApp(
      <TestApiProvider apis={apis}>
        <EntityProvider entity={exampleSiteEntities[1]}>
          <EntityOpenStackSiteContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(
        'annotation openstack.fedstack.io/keystone-url is missing',
        undefined,
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
  });
});
