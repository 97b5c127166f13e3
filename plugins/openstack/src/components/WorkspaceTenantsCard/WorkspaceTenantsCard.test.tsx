import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { screen } from '@testing-library/react';
import { OpenStackApi, openstackApiRef } from '../../api';
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

async function renderCard(api: OpenStackApi) {
  await renderInTestApp(
    <TestApiProvider apis={[[openstackApiRef, api]]}>
      <EntityProvider entity={group}>
        <WorkspaceTenantsCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
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

  it('invites a request when the group has no tenant', async () => {
    await renderCard(mockApi(jest.fn().mockResolvedValue([])));
    expect(
      await screen.findByText('This workspace has no tenants', undefined, {
        timeout: 10_000,
      }),
    ).toBeInTheDocument();
  });
});
