import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { screen } from '@testing-library/react';
import { SWRConfig } from 'swr';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { NOT_A_REQUESTER } from '../TenantsPage/TenantsPage';
import { OpenStackApi, openstackApiRef } from '../../api';
import { tenantsRouteRef } from '../../routes';
import { mockTenantApi } from '../../testTenantApi';
import { exampleTenant } from '../TenantsPage/testTenants';
import { WorkspaceTenantsCard } from './WorkspaceTenantsCard';

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'Platform-Team', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

function mockApi(listTenants: OpenStackApi['listTenants']): OpenStackApi {
  return mockTenantApi({
    listTenants,
  });
}

const member = ['user:default/guest', 'group:default/platform-team'];

async function renderCard(
  api: OpenStackApi,
  ownershipEntityRefs = member,
  extraRoutes: Record<string, typeof tenantsRouteRef> = {},
  requestDecision:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [openstackApiRef, api],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/guest',
            ownershipEntityRefs,
          }),
        ],
        [permissionApiRef, mockApis.permission({ authorize: requestDecision })],
      ]}
    >
      {/* usePermission keeps decisions in SWR's cache: one of its own per test. */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={group}>
          <WorkspaceTenantsCard />
        </EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        ...extraRoutes,
      },
    },
  );
}

describe('WorkspaceTenantsCard', () => {
  it("lists the group's tenants, linking to their pages", async () => {
    const tenant = exampleTenant();
    const listTenants = jest.fn().mockResolvedValue([tenant]);
    await renderCard(mockApi(listTenants));

    const link = await screen.findByRole(
      'link',
      { name: 'analysis' },
      { timeout: 10_000 },
    );
    expect(link).toHaveAttribute('href', `/openstack/tenants/${tenant.id}`);
    expect(listTenants).toHaveBeenCalledWith({
      workspace: 'group:default/platform-team',
    });
    // Backstage's LinkButton: an anchor that presents itself as a button.
    expect(
      screen.getByRole('button', { name: 'Request a tenant' }).closest('a'),
    ).toHaveAttribute(
      'href',
      '/openstack/tenants?workspace=group%3Adefault%2Fplatform-team&request=1',
    );
  });

  it('links to the tenant pages wherever the app mounted them', async () => {
    const tenant = exampleTenant();
    await renderCard(mockApi(jest.fn().mockResolvedValue([tenant])), member, {
      '/cloud/projects': tenantsRouteRef,
    });
    const link = await screen.findByRole(
      'link',
      { name: 'analysis' },
      { timeout: 10_000 },
    );
    expect(link).toHaveAttribute('href', `/cloud/projects/${tenant.id}`);
    expect(
      screen.getByRole('button', { name: 'Request a tenant' }).closest('a'),
    ).toHaveAttribute(
      'href',
      '/cloud/projects?workspace=group%3Adefault%2Fplatform-team&request=1',
    );
  });

  it('invites a request when the group has no tenant', async () => {
    await renderCard(mockApi(jest.fn().mockResolvedValue([])));
    expect(
      await screen.findByText('This workspace has no tenants', undefined, {
        timeout: 10_000,
      }),
    ).toBeInTheDocument();
  });

  it('tells a non-member that only members see the tenants, and offers no request', async () => {
    await renderCard(mockApi(jest.fn().mockResolvedValue([])), [
      'user:default/guest',
      'group:default/team-a',
    ]);
    expect(
      await screen.findByText("Only the group's members see its tenants"),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Request a tenant' }),
    ).not.toBeInTheDocument();
  });

  it('tells a member without openstack.tenant.request why, and links to no request form', async () => {
    await renderCard(
      mockApi(jest.fn().mockResolvedValue([])),
      member,
      {},
      AuthorizeResult.DENY,
    );
    expect(
      await screen.findByText(NOT_A_REQUESTER, undefined, { timeout: 20_000 }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Request a tenant' }),
    ).not.toBeInTheDocument();
  }, 40_000);
});
