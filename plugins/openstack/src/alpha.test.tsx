import {
  createExtensionTester,
  renderInTestApp,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import { openstackApiRef } from './api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import openstackPlugin from './alpha';
import { exampleSiteEntities } from './testSites';
import { exampleFleet, exampleSiteDetail } from './testScans';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { tenantsRouteRef } from './routes';
import { mockTenantApi } from './testTenantApi';
import { exampleTenant } from './components/TenantsPage/testTenants';

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
            listSites: async () => exampleFleet,
            getSite: jest.fn(),
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

  it('puts the scorecard on a tab and the readiness card on openstack-site entities', async () => {
    const content = openstackPlugin.getExtension('entity-content:openstack');
    const card = openstackPlugin.getExtension(
      'entity-card:openstack/site-readiness',
    );
    const api = {
      getHealth: jest.fn(),
      listSites: jest.fn(),
      getSite: jest.fn().mockResolvedValue(exampleSiteDetail()),
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
    };
    const filters = [
      createExtensionTester(content).get(
        EntityContentBlueprint.dataRefs.filterFunction,
      ),
      createExtensionTester(card).get(
        EntityCardBlueprint.dataRefs.filterFunction,
      ),
    ];
    for (const filter of filters) {
      expect(filter?.(exampleSiteEntities[0])).toBe(true);
      expect(filter?.(exampleSiteEntities[2])).toBe(false);
    }

    renderInTestApp(
      <EntityProvider entity={exampleSiteEntities[0]}>
        {createExtensionTester(content).reactElement()}
      </EntityProvider>,
      {
        apis: [[openstackApiRef, api]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByText('Score: 75%', undefined, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /Keystone is served over valid TLS/ }),
    ).toBeInTheDocument();
  });

  it("links a group's Tenants tab to the tenant pages wherever the app mounted them", async () => {
    const content = openstackPlugin.getExtension(
      'entity-content:openstack/tenants',
    );
    const tenant = exampleTenant();
    renderInTestApp(
      <EntityProvider
        entity={{
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'platform-team', namespace: 'default' },
          spec: { type: 'team', children: [] },
        }}
      >
        {createExtensionTester(content).reactElement()}
      </EntityProvider>,
      {
        apis: [
          [
            openstackApiRef,
            mockTenantApi({
              listTenants: jest.fn().mockResolvedValue([tenant]),
            }),
          ],
        ],
        mountedRoutes: {
          '/catalog/:namespace/:kind/:name': entityRouteRef,
          // Not the default /openstack/tenants: the link must follow the route.
          '/cloud/projects': convertLegacyRouteRef(tenantsRouteRef),
        },
      },
    );
    expect(
      await screen.findByRole(
        'link',
        { name: 'analysis' },
        { timeout: 10_000 },
      ),
    ).toHaveAttribute('href', `/cloud/projects/${tenant.id}`);
  });
});
