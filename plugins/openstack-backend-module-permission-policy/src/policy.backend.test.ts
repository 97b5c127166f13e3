import {
  AuthService,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
// The policy is tested through the plugin it guards.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import openstackPlugin from '@fedstack/plugin-openstack-backend';
import { Server } from 'node:http';
import request from 'supertest';
import permissionModuleFedstackPolicy from '.';

// The policy as the portal runs it: the real permission backend asks this policy, which hands
// scans to the catalog's isEntityOwner rule; the real catalog judges it on entities it has
// processed (ownedBy relations); the real permissions client carries the OpenStack plugin's
// questions there. Only sign-in and tokens are stood in for: userInfo answers what a sign-in
// resolver would put in the token (alice is in site-a's admin group, bob in no group, carol in
// the platform operators'), and the
// mock auth service is made to mark a token issued on a user's behalf with the calling plugin
// as actor, as the real one does (the catalog refuses to apply conditions for a bare user).
jest.setTimeout(60_000);

const site = (name: string, owner: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location': 'url:https://example.org/sites',
      'backstage.io/managed-by-origin-location':
        'url:https://example.org/sites',
      // A closed port on loopback: a scan this test starts fails at once, leaving nothing.
      'openstack.fedstack.io/keystone-url': 'http://127.0.0.1:9/v3',
      'openstack.fedstack.io/profiles': 'egi-fedcloud',
      'openstack.fedstack.io/credentials': 'sites',
    },
  },
  spec: { type: 'openstack-site', owner },
});
const group = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location': 'url:https://example.org/sites',
      'backstage.io/managed-by-origin-location':
        'url:https://example.org/sites',
    },
  },
  spec: { type: 'team', children: [] },
});
// A tenant as the catalog module's OpenStackTenantProvider writes it: site-a-admins' project.
const TENANT_ID = '0d5e4f3c-7b2a-4c1e-9f8d-6a5b4c3d2e1f';
const tenant = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: TENANT_ID,
    namespace: 'default',
    title: 'site-a-admins.genomics on site-a',
    annotations: {
      'backstage.io/managed-by-location': 'url:https://example.org/tenants',
      'backstage.io/managed-by-origin-location':
        'url:https://example.org/tenants',
      'openstack.fedstack.io/tenant-id': TENANT_ID,
      'openstack.fedstack.io/site': 'resource:default/site-a',
      'openstack.fedstack.io/tenant-status': 'active',
    },
    tags: ['openstack'],
  },
  spec: {
    type: 'openstack-project',
    owner: 'group:default/site-a-admins',
    dependsOn: ['resource:default/site-a'],
  },
};
const entities = [
  site('site-a', 'group:default/site-a-admins'),
  site('site-b', 'group:default/site-b-admins'),
  group('site-a-admins'),
  group('site-b-admins'),
  tenant,
];

const catalogModuleTestSites = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'test-sites',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addEntityProvider({
          getProviderName: () => 'test-sites',
          async connect(connection) {
            await connection.applyMutation({
              type: 'full',
              entities: entities.map(entity => ({
                entity,
                locationKey: 'test-sites',
              })),
            });
          },
        });
      },
    });
  },
});

const ownership: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:default/site-a-admins'],
  'user:default/bob': ['user:default/bob'],
  'user:default/carol': ['user:default/carol', 'group:default/platform-team'],
  // A platform operator who is also in site-a's admin group (a workspace).
  'user:default/olivia': [
    'user:default/olivia',
    'group:default/platform-team',
    'group:default/site-a-admins',
  ],
};
const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  async factory() {
    return {
      async getUserInfo(credentials) {
        const { userEntityRef } = credentials.principal as {
          userEntityRef: string;
        };
        return {
          userEntityRef,
          ownershipEntityRefs: ownership[userEntityRef] ?? [userEntityRef],
        };
      },
    };
  },
});

// The mock's on-behalf-of tokens lose the actor the real DefaultAuthService keeps.
const authFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  async factory({ plugin }): Promise<AuthService> {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: (token, options) => auth.authenticate(token, options),
      getNoneCredentials: () => auth.getNoneCredentials(),
      getOwnServiceCredentials: () => auth.getOwnServiceCredentials(),
      isPrincipal: auth.isPrincipal.bind(auth) as AuthService['isPrincipal'],
      getLimitedUserToken: credentials => auth.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => auth.listPublicServiceKeys(),
      async getPluginRequestToken(options) {
        if (auth.isPrincipal(options.onBehalfOf, 'user')) {
          return {
            token: mockCredentials.user.token(
              options.onBehalfOf.principal.userEntityRef,
              { actor: { subject: `plugin:${plugin.getId()}` } },
            ),
          };
        }
        return auth.getPluginRequestToken(options);
      },
    };
  },
});

const alice = mockCredentials.user.header('user:default/alice');
const bob = mockCredentials.user.header('user:default/bob');
const carol = mockCredentials.user.header('user:default/carol');
const olivia = mockCredentials.user.header('user:default/olivia');
const later = {
  frequency: { hours: 24 },
  timeout: { minutes: 1 },
  initialDelay: { hours: 24 },
};
let server: Server;

beforeAll(async () => {
  ({ server } = await startTestBackend({
    features: [
      openstackPlugin,
      catalogPlugin,
      catalogModuleTestSites,
      permissionPlugin,
      permissionModuleFedstackPolicy,
      permissionsServiceFactory,
      permissionsRegistryServiceFactory,
      userInfoFactory,
      authFactory,
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          catalog: { processingInterval: { seconds: 1 } },
          openstack: {
            credentialSets: {
              sites: {
                keystoneUrls: ['http://127.0.0.1:9/v3'],
                reader: { type: 'password', username: 'u', password: 'p4ss' },
              },
            },
            network: { allow: ['127.0.0.0/8'] },
            // Far in the future: only this test's requests scan or replicate.
            scans: { schedule: later },
            replication: {
              schedule: later,
              landingZones: [{ id: 'manual', title: 'Manual' }],
            },
          },
          fedstack: { platformOperators: ['group:default/platform-team'] },
        },
      }),
    ],
  }));
  // The catalog processes the provider's entities (and their ownedBy relations) on its own time.
  for (let tries = 0; ; tries++) {
    const sites = await request(server)
      .get('/api/openstack/sites')
      .set('Authorization', bob);
    if (sites.status === 200 && sites.body.items.length === 2) break;
    if (tries > 100) {
      throw new Error(`sites never appeared: ${sites.status} ${sites.text}`);
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
});

describe('FedstackPermissionPolicy in a backend', () => {
  it('lets everyone read every site', async () => {
    for (const user of [alice, bob]) {
      const list = await request(server)
        .get('/api/openstack/sites')
        .set('Authorization', user);
      expect(list.status).toBe(200);
      expect(
        list.body.items.map((item: { entityRef: string }) => item.entityRef),
      ).toEqual(['resource:default/site-a', 'resource:default/site-b']);
      for (const name of ['site-a', 'site-b']) {
        const detail = await request(server)
          .get(`/api/openstack/sites/default/${name}`)
          .set('Authorization', user);
        expect(detail.status).toBe(200);
      }
    }
  });

  it("lets an owner scan the owner's site", async () => {
    const response = await request(server)
      .post('/api/openstack/sites/default/site-a/scans')
      .set('Authorization', alice);
    expect(response.status).toBe(202);
    expect(response.body.scanId).toEqual(expect.any(String));
  });

  it('refuses a scan of a site the user does not own with 403', async () => {
    const notOwned = await request(server)
      .post('/api/openstack/sites/default/site-b/scans')
      .set('Authorization', alice);
    expect(notOwned.status).toBe(403);
    expect(notOwned.body.error.message).toContain('openstack.scan.trigger');
    const noGroup = await request(server)
      .post('/api/openstack/sites/default/site-a/scans')
      .set('Authorization', bob);
    expect(noGroup.status).toBe(403);
  });
});

describe('FedstackPermissionPolicy for tenants', () => {
  const requestTenant = (user: string, project: string) =>
    request(server)
      .post('/api/openstack/tenants')
      .set('Authorization', user)
      .send({
        workspace: 'group:default/site-a-admins',
        site: 'resource:default/site-a',
        project,
        landingZone: 'manual',
        members: [{ euid: `${project}@egi.eu`, role: 'admin' }],
      });
  const approve = (id: string, user: string) =>
    request(server)
      .post(`/api/openstack/tenants/${id}/approval`)
      .set('Authorization', user)
      .send({ decision: 'approve' });

  it("lets a workspace's members request its tenants, and nobody else", async () => {
    const outsider = await requestTenant(bob, 'outsider');
    expect(outsider.status).toBe(403);
    expect(outsider.body.error.message).toBe(
      'You are not a member of workspace group:default/site-a-admins',
    );
    const member = await requestTenant(alice, 'member');
    expect(member.status).toBe(201);
    expect(member.body.status).toBe('requires-approval');
  });

  it('leaves approvals to platform operators, never of their own request', async () => {
    const id = (await requestTenant(olivia, 'operators-own')).body.id;
    const byMember = await approve(id, alice);
    expect(byMember.status).toBe(403);
    expect(byMember.body.error.message).toContain('openstack.tenant.approve');
    const own = await approve(id, olivia);
    expect(own.status).toBe(403);
    expect(own.body.error.message).toBe(
      `You requested tenant ${id}: nobody approves their own request, another approver must`,
    );
    const byOperator = await approve(id, carol);
    expect(byOperator.status).toBe(200);
    expect(byOperator.body.status).toBe('requested');
  });

  it('leaves replication runs to platform operators', async () => {
    const path = '/api/openstack/sites/default/site-a/replications';
    const byMember = await request(server)
      .post(path)
      .set('Authorization', alice)
      .send({ dryRun: true });
    expect(byMember.status).toBe(403);
    expect(byMember.body.error.message).toContain('openstack.replication.run');
    // Allowed: the site has no replicator account, which the backend then says (409).
    const byOperator = await request(server)
      .post(path)
      .set('Authorization', carol)
      .send({ dryRun: true });
    expect(byOperator.status).toBe(409);
  });
});

describe('FedstackPermissionPolicy for tenant entities in the catalog', () => {
  const TENANT_REF = `resource:default/${TENANT_ID}`;
  const byName = (user: string) =>
    request(server)
      .get(`/api/catalog/entities/by-name/resource/default/${TENANT_ID}`)
      .set('Authorization', user);
  const refsOf = async (user: string) => {
    const response = await request(server)
      .get('/api/catalog/entities/by-query')
      .query({ filter: 'kind=resource', fields: 'kind,metadata' })
      .set('Authorization', user);
    expect(response.status).toBe(200);
    return response.body.items
      .map(
        (entity: { metadata: { name: string } }) =>
          `resource:default/${entity.metadata.name}`,
      )
      .sort();
  };
  const sites = ['resource:default/site-a', 'resource:default/site-b'];

  // Owned through the ownedBy relation, which the catalog stitches on its own time.
  beforeAll(async () => {
    for (let tries = 0; (await byName(alice)).status !== 200; tries++) {
      if (tries > 100) throw new Error('the tenant never reached its owner');
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  });

  it("shows a tenant to its workspace's members", async () => {
    const response = await byName(alice);
    expect(response.status).toBe(200);
    expect(response.body.spec.owner).toBe('group:default/site-a-admins');
    expect(await refsOf(alice)).toEqual([TENANT_REF, ...sites].sort());
  });

  it('hides it from everyone else: 404, and not in a list', async () => {
    const response = await byName(bob);
    expect(response.status).toBe(404);
    expect(await refsOf(bob)).toEqual(sites);
    // Whatever the query asks for.
    const byType = await request(server)
      .get('/api/catalog/entities/by-query')
      .query({ filter: 'spec.type=openstack-project' })
      .set('Authorization', bob);
    expect(byType.body.items).toEqual([]);
    expect(byType.body.totalItems).toBe(0);
    // Other entities stay readable: sites, and the workspace's group.
    const workspace = await request(server)
      .get('/api/catalog/entities/by-name/group/default/site-a-admins')
      .set('Authorization', bob);
    expect(workspace.status).toBe(200);
  });

  it('shows every tenant to the platform operators, who approve them', async () => {
    expect((await byName(carol)).status).toBe(200);
    expect(await refsOf(carol)).toEqual([TENANT_REF, ...sites].sort());
  });

  it('shows every tenant to a backend calling with its own service credentials', async () => {
    const service = mockCredentials.service.header({
      onBehalfOf: mockCredentials.service('plugin:search'),
      targetPluginId: 'catalog',
    });
    expect((await byName(service)).status).toBe(200);
    expect(await refsOf(service)).toEqual([TENANT_REF, ...sites].sort());
  });
});
