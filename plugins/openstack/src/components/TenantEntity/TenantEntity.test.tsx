import { Entity } from '@backstage/catalog-model';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import { mockApis } from '@backstage/test-utils';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, within } from '@testing-library/react';
import { openstackApiRef } from '../../api';
import openstackPlugin from '../../alpha';
import { exampleSiteEntities } from '../../testSites';
import { mockTenantApi } from '../../testTenantApi';
import {
  exampleLandingZones,
  exampleTenant,
  exampleUsage,
  exampleWorkloads,
} from '../TenantsPage/testTenants';

jest.setTimeout(30_000);

const tenant = exampleTenant();
const site = exampleSiteEntities[0];
const siteRef = `resource:default/${site.metadata.name}`;

// As the catalog module's tenant provider makes it (and the catalog relates it).
const tenantEntity = (annotations: Record<string, string> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: tenant.id,
    namespace: 'default',
    title: 'platform-team.analysis on site-a',
    annotations: {
      'openstack.fedstack.io/tenant-id': tenant.id,
      'openstack.fedstack.io/site': siteRef,
      'openstack.fedstack.io/tenant-status': 'requires-approval',
      ...annotations,
    },
  },
  spec: {
    type: 'openstack-project',
    owner: 'group:default/platform-team',
    dependsOn: [siteRef],
  },
  relations: [
    { type: 'dependsOn', targetRef: siteRef },
    { type: 'ownedBy', targetRef: 'group:default/platform-team' },
  ],
});

const tenantApi = () =>
  mockTenantApi({
    getTenant: jest.fn().mockResolvedValue(tenant),
    listLandingZones: jest.fn().mockResolvedValue(exampleLandingZones),
    getProjectUsage: jest.fn().mockResolvedValue(exampleUsage()),
    getProjectWorkloads: jest.fn().mockResolvedValue(exampleWorkloads()),
  });

const pageApis = (api: ReturnType<typeof tenantApi>) =>
  [
    [openstackApiRef, api],
    [
      identityApiRef,
      mockApis.identity({
        userEntityRef: 'user:default/guest',
        ownershipEntityRefs: ['user:default/guest'],
      }),
    ],
    [
      permissionApiRef,
      mockApis.permission({ authorize: AuthorizeResult.DENY }),
    ],
  ] as const;

describe('a tenant entity', () => {
  const content = openstackPlugin.getExtension(
    'entity-content:openstack/tenant',
  );

  it('gets a Tenant tab only when it is an openstack-project', () => {
    const filter = createExtensionTester(content).get(
      EntityContentBlueprint.dataRefs.filterFunction,
    );
    expect(filter?.(tenantEntity())).toBe(true);
    expect(filter?.(site)).toBe(false);
    expect(filter?.({ ...tenantEntity(), kind: 'Component' } as Entity)).toBe(
      false,
    );
  });

  it('shows the tenant page of the tenant its annotation names', async () => {
    const api = tenantApi();
    renderInTestApp(
      <EntityProvider entity={tenantEntity()}>
        {createExtensionTester(content).reactElement()}
      </EntityProvider>,
      {
        apis: pageApis(api),
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByRole(
        'heading',
        { name: 'platform-team.analysis' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(api.getTenant).toHaveBeenCalledWith(tenant.id);
    expect(screen.getByText('Data analysis')).toBeInTheDocument();
  });

  it('looks nothing up for an annotation that is not a tenant id', async () => {
    const api = tenantApi();
    renderInTestApp(
      <EntityProvider
        entity={tenantEntity({ 'openstack.fedstack.io/tenant-id': '../sites' })}
      >
        {createExtensionTester(content).reactElement()}
      </EntityProvider>,
      {
        apis: pageApis(api),
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByText(/Not an imported tenant/),
    ).toBeInTheDocument();
    expect(api.getTenant).not.toHaveBeenCalled();
  });
});

describe("a site's tenants card", () => {
  const card = openstackPlugin.getExtension(
    'entity-card:openstack/site-tenants',
  );

  it('lists the openstack-project resources that depend on the site', async () => {
    const filter = createExtensionTester(card).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    );
    expect(filter?.(site)).toBe(true);
    expect(filter?.(tenantEntity())).toBe(false);

    // Another resource depends on the site too (not a tenant): it is not listed.
    const other: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'site-a-dns', namespace: 'default' },
      spec: { type: 'dns-zone', owner: 'group:default/ops' },
    };
    const siteWithRelations: Entity = {
      ...site,
      relations: [
        { type: 'dependencyOf', targetRef: `resource:default/${tenant.id}` },
        { type: 'dependencyOf', targetRef: 'resource:default/site-a-dns' },
      ],
    };
    renderInTestApp(
      <EntityProvider entity={siteWithRelations}>
        {createExtensionTester(card).reactElement()}
      </EntityProvider>,
      {
        apis: [
          [
            catalogApiRef,
            catalogApiMock({ entities: [tenantEntity(), other] }),
          ],
        ],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    const link = await screen.findByRole(
      'link',
      { name: 'platform-team.analysis on site-a' },
      { timeout: 10_000 },
    );
    expect(link).toHaveAttribute(
      'href',
      `/catalog/default/resource/${tenant.id}`,
    );
    const row = link.closest('tr') as HTMLElement;
    expect(within(row).getByText('Requires approval')).toBeInTheDocument();
    expect(screen.queryByText('site-a-dns')).not.toBeInTheDocument();
  });
});
