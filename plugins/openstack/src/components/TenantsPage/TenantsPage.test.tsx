import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SWRConfig } from 'swr';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { OpenStackApi, openstackApiRef, TenantQuery } from '../../api';
import { mockTenantApi } from '../../testTenantApi';
import openstackPlugin from '../../alpha';
import { exampleFleet } from '../../testScans';
import {
  exampleLandingZones,
  exampleTenant,
  exampleUsage,
  exampleWorkloads,
} from './testTenants';
import { NOT_A_REQUESTER, TenantsPage } from './TenantsPage';

jest.setTimeout(30_000);

const platformTenant = exampleTenant();
const guestsTenant = exampleTenant({
  id: '3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b',
  workspace: 'group:default/guests',
  project: 'sandbox',
  projectName: 'guests.sandbox',
  status: 'requires-approval',
  lastReplication: undefined,
  projectId: undefined,
});

function mockApi(overrides: Partial<OpenStackApi> = {}): OpenStackApi {
  return mockTenantApi({
    listSites: jest.fn().mockResolvedValue(exampleFleet),
    listLandingZones: jest.fn().mockResolvedValue(exampleLandingZones),
    listTenants: jest.fn(async (query?: TenantQuery) => {
      if (query?.status) return [];
      return [platformTenant, guestsTenant].filter(
        t => t.workspace === query?.workspace,
      );
    }),
    getTenant: jest.fn().mockResolvedValue(platformTenant),
    getProjectUsage: jest.fn().mockResolvedValue(exampleUsage()),
    getProjectWorkloads: jest.fn().mockResolvedValue(exampleWorkloads()),
    ...overrides,
  });
}

const identity = mockApis.identity({
  userEntityRef: 'user:default/guest',
  ownershipEntityRefs: [
    'user:default/guest',
    'group:default/platform-team',
    'group:default/guests',
  ],
});

describe('TenantsPage', () => {
  it("lists the chosen workspace's tenants with status, site and last replication", async () => {
    const api = mockApi();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [openstackApiRef, api],
          [identityApiRef, identity],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <TenantsPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    // Workspaces come sorted: guests first.
    const row = (
      await screen.findByRole('link', { name: 'sandbox' }, { timeout: 10_000 })
    ).closest('tr')!;
    expect(within(row).getByText('Requires approval')).toBeInTheDocument();
    expect(within(row).getByText('guests.sandbox')).toBeInTheDocument();
    expect(within(row).getByText('never')).toBeInTheDocument();
    expect(api.listTenants).toHaveBeenCalledWith({
      workspace: 'group:default/guests',
    });

    await userEvent.selectOptions(
      screen.getByLabelText('Workspace'),
      'group:default/platform-team',
    );
    const other = (
      await screen.findByRole('link', { name: 'analysis' })
    ).closest('tr')!;
    expect(within(other).getByText('Successful')).toBeInTheDocument();
    expect(within(other).getByText(/\(successful\)/)).toBeInTheDocument();
    expect(screen.queryByText('guests.sandbox')).not.toBeInTheDocument();
    expect(screen.getByText('Nothing waits for approval.')).toBeInTheDocument();
  });

  it('opens the request form for the workspace', async () => {
    const api = mockApi({ listTenants: jest.fn().mockResolvedValue([]) });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [openstackApiRef, api],
          [identityApiRef, identity],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <TenantsPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    const request = await screen.findByRole(
      'button',
      { name: 'Request a tenant' },
      { timeout: 10_000 },
    );
    await waitFor(() => expect(request).toBeEnabled());
    await userEvent.click(request);
    expect(await screen.findByText('For workspace guests')).toBeInTheDocument();
    expect(await screen.findByLabelText('Landing zone')).toBeInTheDocument();
  });

  it('enables Request a tenant for a user who may request tenants', async () => {
    const authorize = jest.fn(() => AuthorizeResult.ALLOW);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            openstackApiRef,
            mockApi({ listTenants: jest.fn().mockResolvedValue([]) }),
          ],
          [identityApiRef, identity],
          [permissionApiRef, mockApis.permission({ authorize })],
        ]}
      >
        {/* usePermission caches decisions in SWR's global cache: one per test. */}
        <SWRConfig value={{ provider: () => new Map() }}>
          <TenantsPage />
        </SWRConfig>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    const request = await screen.findByRole(
      'button',
      { name: 'Request a tenant' },
      { timeout: 10_000 },
    );
    await waitFor(() => expect(request).toBeEnabled());
    expect(screen.queryByText(NOT_A_REQUESTER)).not.toBeInTheDocument();
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({
          name: 'openstack.tenant.request',
        }),
      }),
    );
  });

  it('disables Request a tenant, saying why, for a user who may not request tenants', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            openstackApiRef,
            mockApi({ listTenants: jest.fn().mockResolvedValue([]) }),
          ],
          [identityApiRef, identity],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.DENY }),
          ],
        ]}
      >
        <SWRConfig value={{ provider: () => new Map() }}>
          <TenantsPage />
        </SWRConfig>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByText(NOT_A_REQUESTER, undefined, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Request a tenant' }),
    ).toBeDisabled();
    expect(screen.queryByLabelText('Landing zone')).not.toBeInTheDocument();
  });

  it('opens no request form from a ?request=1 link for a user who may not request tenants', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            openstackApiRef,
            mockApi({ listTenants: jest.fn().mockResolvedValue([]) }),
          ],
          [identityApiRef, identity],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.DENY }),
          ],
        ]}
      >
        <SWRConfig value={{ provider: () => new Map() }}>
          <TenantsPage />
        </SWRConfig>
      </TestApiProvider>,
      {
        routeEntries: ['/?workspace=group%3Adefault%2Fplatform-team&request=1'],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByText(NOT_A_REQUESTER, undefined, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText('Landing zone')).not.toBeInTheDocument();
  });

  it('says so when the user belongs to no group', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [openstackApiRef, mockApi()],
          [
            identityApiRef,
            mockApis.identity({ ownershipEntityRefs: ['user:default/x'] }),
          ],
        ]}
      >
        <TenantsPage />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('You belong to no workspace', undefined, {
        timeout: 10_000,
      }),
    ).toBeInTheDocument();
  });

  it('is served at /openstack/tenants by the plugin, a tenant at /openstack/tenants/:id', async () => {
    const api = mockApi();
    renderTestApp({
      features: [openstackPlugin],
      initialRouteEntries: [
        '/openstack/tenants?workspace=group:default/platform-team',
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [openstackApiRef, api],
        [identityApiRef, identity],
        [permissionApiRef, mockApis.permission()],
      ],
    });

    await userEvent.click(
      await screen.findByRole(
        'link',
        { name: 'analysis' },
        { timeout: 15_000 },
      ),
    );
    expect(
      await screen.findByRole(
        'heading',
        { name: 'platform-team.analysis' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(api.getTenant).toHaveBeenCalledWith(platformTenant.id),
    );
  });
});
