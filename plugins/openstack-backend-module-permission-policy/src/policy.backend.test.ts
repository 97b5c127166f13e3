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
// resolver would put in the token (alice is in site-a's admin group, bob in no group), and the
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
const entities = [
  site('site-a', 'group:default/site-a-admins'),
  site('site-b', 'group:default/site-b-admins'),
  group('site-a-admins'),
  group('site-b-admins'),
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
