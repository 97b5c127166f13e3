import {
  coreServices,
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
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import searchPlugin from '@backstage/plugin-search-backend';
// The collator is tested against the plugin whose REST API it reads.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import openstackPlugin from '@fedstack/plugin-openstack-backend';
import { searchModuleOpenStackCollator } from './module';

// Search, end to end through real parts: the OpenStack backend plugin (sites, a scan, a tenant
// requested through its REST API), the search plugin with its default engine (Lunr), and this
// module's collator reading the backend with the search plugin's service credentials. The
// catalog holds the site (its GOCDB name); sign-in (userInfo) and the scheduler (the test
// starts the indexing) are stood in for. No Keystone: the site's is a closed port, and the
// landing zone makes the request wait for approval, so nothing is replicated.
jest.setTimeout(60_000);

const siteA: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'site-a',
    namespace: 'default',
    title: 'Site A',
    annotations: {
      'openstack.fedstack.io/keystone-url': 'http://127.0.0.1:9/v3',
      'openstack.fedstack.io/profiles': 'tenant-platform',
      'openstack.fedstack.io/credentials': 'sites',
      'openstack.fedstack.io/gocdb-name': 'FEDSTACK-SITE-A',
    },
  },
  spec: { type: 'openstack-site', owner: 'group:default/site-a-admins' },
};

const alice = 'user:default/alice';
// In no workspace: a stranger to team-a's tenants.
const bob = 'user:default/bob';
const ownershipOf = (userEntityRef: string) =>
  userEntityRef === bob
    ? [userEntityRef]
    : [userEntityRef, 'group:default/team-a'];
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
          ownershipEntityRefs: ownershipOf(userEntityRef),
        };
      },
    };
  },
});

const later = {
  frequency: { hours: 24 },
  timeout: { minutes: 1 },
  initialDelay: { hours: 24 },
};
/** The plugin's and the collator's configuration (scans, metering and replication held off). */
const backendConfig = (extra: Record<string, unknown> = {}) =>
  mockServices.rootConfig.factory({
    data: {
      ...extra,
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
        replication: {
          schedule: later,
          landingZones: [{ id: 'manual', title: 'Manual' }],
        },
      },
      search: { collators: { openstack: { schedule: later } } },
    },
  });

const INDEX_TASK = 'search_index_openstack';

interface Result {
  type: string;
  document: Record<string, unknown> & { title: string; location: string };
}

describe('searchModuleOpenStackCollator in a backend', () => {
  // The mock scheduler runs a task when the test says; its type hides the two methods used here.
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(options?: { skipTaskRunOnStartup?: boolean }): ServiceFactory;
    waitForTask(id: string): Promise<void>;
  };
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let baseUrl: string;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        openstackPlugin,
        searchPlugin,
        searchModuleOpenStackCollator,
        catalogServiceMock.factory({ entities: [siteA] }),
        userInfoFactory,
        scheduler.factory({ skipTaskRunOnStartup: true }),
        backendConfig(),
        mockServices.rootLogger.factory({ level: 'warn' }),
      ],
    });
    baseUrl = `http://localhost:${backend.server.port()}/api`;
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const call = async (
    method: string,
    path: string,
    body?: unknown,
    user = alice,
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
  const index = async () => {
    const done = scheduler.waitForTask(INDEX_TASK);
    await scheduler.triggerTask(INDEX_TASK);
    await done;
  };
  const search = async (term: string): Promise<Result[]> => {
    const { status, body } = await call(
      'GET',
      `/search/query?term=${encodeURIComponent(term)}&types[0]=openstack`,
    );
    expect(status).toBe(200);
    return body.results;
  };

  it('finds a site by its GOCDB name and failing checks, and a tenant by its project, linking to their entities', async () => {
    // A scan of a site whose Keystone does not answer: not ready, its blocking checks named.
    const scan = await call('POST', '/openstack/sites/default/site-a/scans');
    expect(scan.status).toBe(202);
    for (let tries = 0; ; tries++) {
      const { body } = await call(
        'GET',
        `/openstack/scans/${scan.body.scanId}`,
      );
      if (body.scan?.status !== 'running') break;
      if (tries > 200) throw new Error('the scan never finished');
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    const requested = await call('POST', '/openstack/tenants', {
      workspace: 'group:default/team-a',
      site: 'resource:default/site-a',
      project: 'genomics',
      landingZone: 'manual',
      description: 'Sequencing pipelines',
    });
    expect(requested.status).toBe(201);
    const id: string = requested.body.id;

    await index();

    const [site] = await search('FEDSTACK-SITE-A');
    expect(site.type).toBe('openstack');
    expect(site.document).toMatchObject({
      kind: 'site',
      title: 'Site A',
      location: '/catalog/default/resource/site-a',
      entityRef: 'resource:default/site-a',
      gocdbName: 'FEDSTACK-SITE-A',
      readiness: ['tenant-platform: not-ready'],
    });
    const failing = site.document.failingChecks as string[];
    expect(failing.length).toBeGreaterThan(0);
    // Searching for a failing check finds the site.
    const byCheck = await search(failing[0]);
    expect(byCheck.map(r => r.document.entityRef)).toContain(
      'resource:default/site-a',
    );

    const tenants = await search('genomics');
    expect(tenants.map(r => r.document)).toEqual([
      expect.objectContaining({
        kind: 'tenant',
        title: 'team-a.genomics on site-a',
        location: `/catalog/default/resource/${id}`,
        entityRef: `resource:default/${id}`,
        status: 'requires-approval',
        workspace: 'group:default/team-a',
        site: 'resource:default/site-a',
        gocdbName: 'FEDSTACK-SITE-A',
      }),
    ]);
    expect((await search('sequencing')).length).toBe(1);

    // Withdrawn, the tenant is out of the next index.
    expect((await call('DELETE', `/openstack/tenants/${id}`)).status).toBe(200);
    await index();
    expect(await search('genomics')).toEqual([]);
  });
});

// With permissions on, the search backend shows a document only if the catalog's read
// permission allows its `authorization.resourceRef`. The permission backend and the catalog are
// stood in for by a permissions service that decides as fedstack's policy and the catalog would
// (policy.backend.test.ts in the policy module runs the real ones): a tenant's entity only to its
// workspace's members, every other entity to everyone; backends (service principals) everything.
describe('searchModuleOpenStackCollator with permissions', () => {
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(options?: { skipTaskRunOnStartup?: boolean }): ServiceFactory;
    waitForTask(id: string): Promise<void>;
  };
  // The catalog's tenant entities and their owners, as the catalog module would import them.
  const tenantOwners = new Map<string, string>();
  const asked: string[] = [];
  const userOf = (credentials: { principal: unknown }) =>
    (credentials.principal as { userEntityRef?: string }).userEntityRef;
  const permissions = mockServices.permissions.mock({
    async authorizeConditional(queries, { credentials }) {
      return queries.map(({ permission }) =>
        userOf(credentials) &&
        isPermission(permission, catalogEntityReadPermission)
          ? ({
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: {
                rule: 'IS_ENTITY_OWNER',
                resourceType: 'catalog-entity',
                params: { claims: ownershipOf(userOf(credentials)!) },
              },
            } as ConditionalPolicyDecision)
          : { result: AuthorizeResult.ALLOW },
      );
    },
    async authorize(requests, { credentials }) {
      const user = userOf(credentials);
      return requests.map(({ permission, resourceRef }) => {
        if (!user || !isPermission(permission, catalogEntityReadPermission))
          return { result: AuthorizeResult.ALLOW };
        asked.push(resourceRef!);
        const owner = tenantOwners.get(resourceRef!);
        return {
          result:
            !owner || ownershipOf(user).includes(owner)
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        };
      });
    },
  });
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let baseUrl: string;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        openstackPlugin,
        searchPlugin,
        searchModuleOpenStackCollator,
        catalogServiceMock.factory({ entities: [siteA] }),
        userInfoFactory,
        permissions.factory,
        scheduler.factory({ skipTaskRunOnStartup: true }),
        backendConfig({ permission: { enabled: true } }),
        mockServices.rootLogger.factory({ level: 'warn' }),
      ],
    });
    baseUrl = `http://localhost:${backend.server.port()}/api`;
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const search = async (term: string, user: string): Promise<Result[]> => {
    const response = await fetch(
      `${baseUrl}/search/query?term=${encodeURIComponent(
        term,
      )}&types[0]=openstack`,
      { headers: { Authorization: mockCredentials.user.header(user) } },
    );
    expect(response.status).toBe(200);
    return (await response.json()).results;
  };

  it("finds a tenant for its workspace's members only: its document carries its entity", async () => {
    const response = await fetch(`${baseUrl}/openstack/tenants`, {
      method: 'POST',
      headers: {
        Authorization: mockCredentials.user.header(alice),
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        workspace: 'group:default/team-a',
        site: 'resource:default/site-a',
        project: 'proteomics',
        landingZone: 'manual',
      }),
    });
    expect(response.status).toBe(201);
    const entityRef = `resource:default/${(await response.json()).id}`;
    tenantOwners.set(entityRef, 'group:default/team-a');

    const done = scheduler.waitForTask(INDEX_TASK);
    await scheduler.triggerTask(INDEX_TASK);
    await done;

    const found = await search('proteomics', alice);
    expect(found.map(r => r.document.entityRef)).toEqual([entityRef]);
    expect(asked).toContain(entityRef);
    // A stranger finds neither the tenant nor its project id or workspace.
    expect(await search('proteomics', bob)).toEqual([]);
    expect(await search('team-a', bob)).toEqual([]);
    // The site stays found by everyone.
    expect(
      (await search('FEDSTACK-SITE-A', bob)).map(r => r.document.entityRef),
    ).toEqual(['resource:default/site-a']);
  });
});
