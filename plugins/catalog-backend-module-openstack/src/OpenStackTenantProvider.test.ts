import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Tenant } from '@fedstack/plugin-openstack-common';
import { OpenStackTenantProvider } from './OpenStackTenantProvider';
import { tenantEntities } from './tenantEntities';
import { readTenantProviderConfig } from './tenantProviderConfig';
import { capturingLogger, fakeConnection, serveFiles } from './testHelpers';

const tenant = (overrides: Partial<Tenant> = {}): Tenant => ({
  id: '0b6f8a52-3c1e-4a4e-9a57-2f0f0d9e0a11',
  workspace: 'group:default/team-a',
  site: 'resource:default/site-a',
  project: 'analysis',
  landingZone: 'quick',
  members: [],
  quotas: {},
  status: 'successful',
  projectName: 'team-a.analysis',
  domainName: 'default',
  projectId: '7f0c3a',
  requestedBy: 'user:default/alice',
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
  deletionApproved: false,
  ...overrides,
});

describe('tenantEntities', () => {
  const locationOf = (t: Tenant) => `url:https://backstage/tenants/${t.id}`;

  it('leaves out deleted and rejected tenants, keeps those waiting', () => {
    const { entities, problems } = tenantEntities(
      [
        tenant({ id: 'a0000000-0000-4000-8000-000000000001' }),
        tenant({
          id: 'a0000000-0000-4000-8000-000000000002',
          status: 'deleted',
        }),
        tenant({
          id: 'a0000000-0000-4000-8000-000000000003',
          status: 'rejected',
        }),
        tenant({
          id: 'a0000000-0000-4000-8000-000000000004',
          status: 'requires-approval',
          projectId: undefined,
        }),
      ],
      { locationOf },
    );
    expect(problems).toEqual([]);
    expect(entities.map(e => e.metadata.name)).toEqual([
      'a0000000-0000-4000-8000-000000000001',
      'a0000000-0000-4000-8000-000000000004',
    ]);
    expect(entities[0].metadata.annotations).toMatchObject({
      'openstack.fedstack.io/project-id': '7f0c3a',
      'openstack.fedstack.io/tenant-status': 'successful',
    });
    expect(entities[1].metadata.annotations).not.toHaveProperty(
      'openstack.fedstack.io/project-id',
    );
  });

  it('refuses refs the catalog would not take, and writes refs in full', () => {
    const { entities, problems } = tenantEntities(
      [
        tenant({ id: 'b1', workspace: 'user:default/alice' }),
        tenant({ id: 'b2', site: 'resource:default/../..' }),
        tenant({ id: '../b3' }),
        // Refs are written as the catalog stores them in relations: lower-cased.
        tenant({ id: 'b4', workspace: 'Group:Default/Team-A' }),
      ],
      { locationOf },
    );
    expect(problems).toEqual([
      {
        tenant: 'b1',
        problem: 'workspace user:default/alice is not a group entity ref',
      },
      {
        tenant: 'b2',
        problem: 'site resource:default/../.. is not a resource entity ref',
      },
      { tenant: '../b3', problem: 'its id is not a valid entity name' },
    ]);
    expect(entities.map(e => e.spec?.owner)).toEqual(['group:default/team-a']);
  });
});

describe('OpenStackTenantProvider against answers it must not trust', () => {
  const start = async (body: string) => {
    const server = await serveFiles({ '/api/openstack/tenants': body });
    const logger = capturingLogger();
    const provider = new OpenStackTenantProvider({
      auth: mockServices.auth(),
      discovery: {
        getBaseUrl: async id => `${server.url}/api/${id}`,
        getExternalBaseUrl: async id => `${server.url}/api/${id}`,
      },
      logger,
    });
    const connection = fakeConnection();
    await provider.connect(connection);
    return { server, logger, provider, connection };
  };

  it('leaves out a malformed tenant and imports the others', async () => {
    const { server, logger, provider, connection } = await start(
      JSON.stringify({
        tenants: [
          tenant(),
          { ...tenant({ id: 'c2' }), status: 'owned' },
          { id: 'x'.repeat(10_000) },
        ],
      }),
    );
    try {
      const summary = await provider.refresh();
      expect(summary.entities).toBe(1);
      expect(summary.problems.map(p => p.tenant)).toEqual([
        'c2',
        'x'.repeat(100),
      ]);
      expect(logger.warnings()[0]).toMatch(/^tenant c2: status: .*left out/);
      const [mutation] = connection.mutations;
      expect(mutation.type === 'full' && mutation.entities.length).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('changes nothing when the answer is not a list of tenants', async () => {
    const { server, provider, connection } = await start('{"items": []}');
    try {
      await expect(provider.refresh()).rejects.toThrow(/not a list/);
      expect(connection.mutations).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('says the backend may be missing on a 404', async () => {
    const server = await serveFiles({});
    const provider = new OpenStackTenantProvider({
      auth: mockServices.auth(),
      discovery: {
        getBaseUrl: async id => `${server.url}/api/${id}`,
        getExternalBaseUrl: async id => `${server.url}/api/${id}`,
      },
      logger: capturingLogger(),
    });
    const connection = fakeConnection();
    await provider.connect(connection);
    try {
      await expect(provider.refresh()).rejects.toThrow(
        /HTTP 404 \(is @fedstack\/plugin-openstack-backend installed\?\)/,
      );
      expect(connection.mutations).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('readTenantProviderConfig', () => {
  it('is on by default, off when told, and names a bad key', () => {
    expect(readTenantProviderConfig(new ConfigReader({})).enabled).toBe(true);
    expect(
      readTenantProviderConfig(
        new ConfigReader({
          catalog: { providers: { openstackTenants: { enabled: false } } },
        }),
      ).enabled,
    ).toBe(false);
    expect(() =>
      readTenantProviderConfig(
        new ConfigReader({
          catalog: { providers: { openstackTenants: { enable: false } } },
        }),
      ),
    ).toThrow(/catalog\.providers\.openstackTenants: Unrecognized key/);
  });
});
