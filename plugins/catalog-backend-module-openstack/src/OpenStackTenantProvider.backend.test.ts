import {
  AuthService,
  coreServices,
  createBackendModule,
  createServiceFactory,
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
// The provider is tested against the plugin whose REST API it reads, and the policy the portal runs.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import openstackPlugin from '@fedstack/plugin-openstack-backend';
import permissionModuleFedstackPolicy from '@fedstack/plugin-openstack-backend-module-permission-policy';
import { catalogModuleOpenStackSites } from './module';

// Tenants as catalog entities, through real parts: the OpenStack backend plugin (its tenant REST
// API and store), the catalog plugin (processing, relations, its REST API), the permission
// backend with fedstack's policy (nobody is a platform operator: a tenant's entity is read by
// its workspace's members only), and this module's tenant provider, which reads GET /tenants
// with the catalog's own service credentials. Only sign-in (userInfo) and the scheduler (the
// test fires the refresh) are stood in for. No Keystone is touched: the landing zone makes every
// request wait for approval, so nothing is replicated.
jest.setTimeout(60_000);

const location = {
  'backstage.io/managed-by-location': 'url:https://example.org/sites',
  'backstage.io/managed-by-origin-location': 'url:https://example.org/sites',
};
const siteA: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'site-a',
    namespace: 'default',
    annotations: {
      ...location,
      // A closed port on loopback: nothing here reaches a Keystone.
      'openstack.fedstack.io/keystone-url': 'http://127.0.0.1:9/v3',
      'openstack.fedstack.io/profiles': 'tenant-platform',
      'openstack.fedstack.io/credentials': 'sites',
    },
  },
  spec: { type: 'openstack-site', owner: 'group:default/site-a-admins' },
};

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
              entities: [{ entity: siteA, locationKey: 'test-sites' }],
            });
          },
        });
      },
    });
  },
});

const alice = 'user:default/alice';
const bob = 'user:default/bob';
const ownership: Record<string, string[]> = {
  [alice]: [alice, 'group:default/team-a'],
  [bob]: [bob, 'group:default/team-b'],
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

// The mock's on-behalf-of tokens lose the actor the real DefaultAuthService keeps (the catalog
// refuses to apply the policy's conditions for a bare user token).
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

const later = {
  frequency: { hours: 24 },
  timeout: { minutes: 1 },
  initialDelay: { hours: 24 },
};
const REFRESH = 'OpenStackTenantProvider:refresh';

describe('OpenStackTenantProvider in a backend', () => {
  // The mock scheduler runs a task when the test says; its type hides the two methods used here.
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(options?: { skipTaskRunOnStartup?: boolean }): ServiceFactory;
    waitForTask(id: string): Promise<void>;
  };
  let baseUrl: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        openstackPlugin,
        catalogPlugin,
        catalogModuleTestSites,
        catalogModuleOpenStackSites,
        permissionPlugin,
        permissionModuleFedstackPolicy,
        userInfoFactory,
        authFactory,
        scheduler.factory({ skipTaskRunOnStartup: true }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            openstack: {
              credentialSets: {
                sites: {
                  keystoneUrls: ['http://127.0.0.1:9/v3'],
                  reader: { type: 'password', username: 'u', password: 'p' },
                },
              },
              network: { allow: ['127.0.0.0/8'] },
              scans: { schedule: later },
              metering: { schedule: later },
              // No autoApproveUpTo: every request waits, nothing is replicated.
              replication: {
                schedule: later,
                landingZones: [{ id: 'manual', title: 'Manual' }],
              },
            },
            catalog: {
              processingInterval: { seconds: 1 },
              providers: { openstackTenants: { schedule: later } },
            },
          },
        }),
        mockServices.rootLogger.factory({ level: 'warn' }),
      ],
    });
    baseUrl = `http://localhost:${backend.server.port()}/api`;
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const call = async (
    user: string,
    method: string,
    path: string,
    body?: unknown,
  ) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: mockCredentials.user.header(user),
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: await response.json() };
  };
  const refresh = async () => {
    const done = scheduler.waitForTask(REFRESH);
    await scheduler.triggerTask(REFRESH);
    await done;
  };
  /** Polls the catalog as alice reads it until `test` holds of the entity (undefined: not there). */
  const eventually = async (
    ref: string,
    test: (entity: Entity | undefined) => boolean,
  ): Promise<Entity | undefined> => {
    for (let tries = 0; ; tries++) {
      const { status, body } = await call(
        alice,
        'GET',
        `/catalog/entities/by-name/${ref}`,
      );
      const entity = status === 200 ? (body as Entity) : undefined;
      if (test(entity)) return entity;
      if (tries > 120)
        throw new Error(`${ref} never became as expected: ${status}`);
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  };

  it('imports a tenant requested through the REST API, and drops it when deleted', async () => {
    // The site must be in the catalog (and so in the backend's registry) before a request.
    await eventually('resource/default/site-a', entity => !!entity);
    const requested = await call(alice, 'POST', '/openstack/tenants', {
      workspace: 'group:default/team-a',
      site: 'resource:default/site-a',
      project: 'analysis',
      landingZone: 'manual',
      description: 'Data analysis',
    });
    expect(requested.status).toBe(201);
    const id: string = requested.body.id;
    expect(requested.body.status).toBe('requires-approval');

    // Bob is not in team-a and not an approver: the REST API shows him none of it...
    const bobsList = await call(bob, 'GET', '/openstack/tenants');
    expect(bobsList.body.tenants).toEqual([]);

    // ...but the provider, a service, reads every workspace's tenants (alice, team-a's member,
    // reads the entity; the catalog hides it from bob, as the REST API does).
    await refresh();
    const tenant = await eventually(
      `resource/default/${id}`,
      entity =>
        !!entity?.relations?.some(
          r =>
            r.type === 'dependsOn' && r.targetRef === 'resource:default/site-a',
        ),
    );
    expect(tenant).toMatchObject({
      kind: 'Resource',
      metadata: {
        name: id,
        title: 'team-a.analysis on site-a',
        description: 'Data analysis',
        annotations: {
          'openstack.fedstack.io/tenant-id': id,
          'openstack.fedstack.io/site': 'resource:default/site-a',
          'openstack.fedstack.io/landing-zone': 'manual',
          'openstack.fedstack.io/tenant-status': 'requires-approval',
          'openstack.fedstack.io/domain': 'default',
          'backstage.io/managed-by-location': `url:${baseUrl}/openstack/tenants/${id}`,
        },
      },
      spec: {
        type: 'openstack-project',
        owner: 'group:default/team-a',
        dependsOn: ['resource:default/site-a'],
      },
    });
    expect(
      (
        await call(
          bob,
          'GET',
          `/catalog/entities/by-name/resource/default/${id}`,
        )
      ).status,
    ).toBe(404);
    // Not replicated: no project id yet.
    expect(tenant?.metadata.annotations).not.toHaveProperty(
      'openstack.fedstack.io/project-id',
    );
    expect(tenant?.relations).toEqual(
      expect.arrayContaining([
        { type: 'ownedBy', targetRef: 'group:default/team-a' },
      ]),
    );
    // The site's page finds its tenants through the reverse relation.
    await eventually(
      'resource/default/site-a',
      entity =>
        !!entity?.relations?.some(
          r =>
            r.type === 'dependencyOf' &&
            r.targetRef === `resource:default/${id}`,
        ),
    );

    // Withdrawn, the tenant is deleted: the next refresh takes its entity out.
    const withdrawn = await call(alice, 'DELETE', `/openstack/tenants/${id}`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('deleted');
    await refresh();
    await eventually(`resource/default/${id}`, entity => !entity);
  });
});
