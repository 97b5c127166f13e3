import { randomUUID } from 'node:crypto';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CheckResult,
  checkResultResponseSchema,
  openstackScanTriggerPermission,
  scanDetailResponseSchema,
  siteDetailResponseSchema,
} from '@fedstack/plugin-openstack-common';
import request from 'supertest';
import { storeFinishedScan } from '../__testUtils__/scans';
import { openstackPlugin } from '../plugin';
import { localSite } from '../__testUtils__/localSite';

// The reads of a stored scan through the whole plugin, on a database the test can write scans
// into (scanning a site is plugin.integration.test.ts's business): the site and scan reads
// summarize evidence for everyone; GET /scans/:id/checks/:checkId has headers and bodies for
// the site's owners (who may scan it) only.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const siteRef = 'resource:default/site-a';
const site = localSite('http://127.0.0.1:9/v3');
const { entity } = site;

const tlsResult: CheckResult = {
  checkId: 'keystone.tls',
  title: 'Keystone is served over valid TLS',
  area: 'identity',
  severity: 'critical',
  status: 'fail',
  message: 'Keystone answers over plain http',
  remediation:
    'Serve Keystone over https with a certificate from a trusted CA.',
  docsUrl: 'https://docs.egi.eu/providers/cloud-compute/openstack/',
  startedAt: '2026-11-23T10:00:00.000Z',
  durationMs: 4,
  evidence: [
    {
      at: '2026-11-23T10:00:00.000Z',
      method: 'GET',
      url: 'http://127.0.0.1:9/v3',
      status: 200,
      durationMs: 3,
      requestHeaders: { 'x-auth-token': '<redacted>' },
      responseHeaders: {},
      responseBody: '{"version": {"id": "v3.14"}}',
    },
  ],
};

// What a reader who is not an owner must never see: Keystone's user list in a body, a header,
// the account's name in the details and in the URL it was looked up by.
const userList =
  '{"users": [{"name": "alice-operator-account", "domain_id": "default"}]}';
const usersResult: CheckResult = {
  ...tlsResult,
  checkId: 'accounts.replicator',
  title: 'The replicator account exists',
  area: 'accounts',
  status: 'pass',
  message: 'The replicator account holds its roles',
  details: {
    user: 'alice-operator-account',
    roles: [{ role: 'admin', on: 'project admin' }],
  },
  evidence: [
    {
      at: '2026-11-23T10:00:01.000Z',
      method: 'GET',
      url: 'http://127.0.0.1:9/v3/users?name=alice-operator-account&domain_id=default',
      status: 200,
      durationMs: 7,
      requestHeaders: { 'x-openstack-request-id': 'req-header-value' },
      requestBody: '{"request": "body-value"}',
      responseHeaders: { 'x-subject-token': 'response-header-value' },
      responseBody: userList,
      truncated: true,
    },
    {
      at: '2026-11-23T10:00:02.000Z',
      method: 'GET',
      url: 'http://127.0.0.1:9/v3/projects',
      durationMs: 2,
      requestHeaders: {},
      responseHeaders: {},
      error: 'ECONNRESET',
    },
  ],
};
const tlsSummary = {
  ...tlsResult,
  evidence: [
    {
      at: '2026-11-23T10:00:00.000Z',
      method: 'GET',
      url: 'http://127.0.0.1:9/v3',
      status: 200,
      durationMs: 3,
    },
  ],
};
// accounts.replicator marks its `user` detail for the site's owners.
const usersSummary = {
  ...usersResult,
  details: { roles: [{ role: 'admin', on: 'project admin' }] },
  withheldDetails: ['user'],
  evidence: [
    {
      at: '2026-11-23T10:00:01.000Z',
      method: 'GET',
      url: 'http://127.0.0.1:9/v3/users?name=<withheld>&domain_id=default',
      status: 200,
      durationMs: 7,
    },
    {
      at: '2026-11-23T10:00:02.000Z',
      method: 'GET',
      url: 'http://127.0.0.1:9/v3/projects',
      durationMs: 2,
      error: 'ECONNRESET',
    },
  ],
};
const leaks = [
  'alice-operator-account',
  'req-header-value',
  'body-value',
  'response-header-value',
  'v3.14',
  'requestHeaders',
  'responseHeaders',
  'responseBody',
  'truncated',
];
const byCheckId = (results: CheckResult[]) =>
  [...results].sort((a, b) => a.checkId.localeCompare(b.checkId));
const expectNoLeak = (text: string) => {
  for (const leak of leaks) expect(text).not.toContain(leak);
};

/** `owner`: may read and scan the site; `reader`: may read it only; `none`: neither. */
async function startBackend(who: 'owner' | 'reader' | 'none') {
  const knex = await databases.init('SQLITE_3');
  // As the portal's policy: reading is for everyone (here: but `none`), scanning for the
  // site's owners, a condition each site is asked about.
  const permissions = mockServices.permissions.mock({
    authorizeConditional: async queries =>
      queries.map(({ permission }) =>
        permission.name === openstackScanTriggerPermission.name
          ? {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: {
                rule: 'IS_ENTITY_OWNER',
                resourceType: 'catalog-entity',
                params: { claims: [] },
              },
            }
          : {
              result:
                who === 'none' ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
            },
      ),
    authorize: async requests =>
      requests.map(({ permission }) => ({
        result:
          who === 'owner' ||
          (who === 'reader' &&
            permission.name !== openstackScanTriggerPermission.name)
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
  });
  const { server } = await startTestBackend({
    features: [
      openstackPlugin,
      mockServices.database.factory({ knex }),
      catalogServiceMock.factory({ entities: [entity] }),
      permissions.factory,
      mockServices.rootConfig.factory({
        data: {
          openstack: site.config,
        },
      }),
    ],
  });
  // The plugin has migrated the database by now; a finished scan with one result.
  const scanId = await storeFinishedScan(
    knex,
    siteRef,
    [tlsResult, usersResult],
    new Date('2026-11-23T10:00:00.000Z'),
  );
  return { server, scanId, permissions };
}

describe('GET /sites/:namespace/:name and GET /scans/:id', () => {
  it.each(['owner', 'reader'] as const)(
    'answer each result with its evidence summarized (%s)',
    async who => {
      const { server, scanId } = await startBackend(who);
      // Twice: the second answer comes from the summaries kept for the completed scan.
      for (let i = 0; i < 2; i++) {
        const siteRead = await request(server).get(
          '/api/openstack/sites/default/site-a',
        );
        expect(siteRead.status).toBe(200);
        expect(siteRead.headers['content-type']).toMatch(/^application\/json/);
        expectNoLeak(siteRead.text);
        const detail = siteDetailResponseSchema.parse(siteRead.body);
        expect(byCheckId(siteRead.body.results)).toEqual([
          usersSummary,
          tlsSummary,
        ]);
        expect(detail.site.latestScan?.id).toBe(scanId);
        expect(detail.history.map(scan => scan.id)).toEqual([scanId]);

        const scan = await request(server).get(
          `/api/openstack/scans/${scanId}`,
        );
        expect(scan.status).toBe(200);
        expectNoLeak(scan.text);
        expect(scanDetailResponseSchema.parse(scan.body).scan.id).toBe(scanId);
        expect(scan.body.results).toEqual(siteRead.body.results);
      }
    },
  );

  it("ask the permission backend once for a user's reads within a few seconds", async () => {
    const { server, scanId, permissions } = await startBackend('reader');
    for (const path of [
      '/sites/default/site-a',
      `/scans/${scanId}`,
      '/sites/default/site-a',
    ]) {
      expect((await request(server).get(`/api/openstack${path}`)).status).toBe(
        200,
      );
    }
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
    expect(permissions.authorize).not.toHaveBeenCalled();
  });

  it('answer 403 to a user who may not read the site, before any result', async () => {
    const { server, scanId } = await startBackend('none');
    for (const path of ['/sites/default/site-a', `/scans/${scanId}`]) {
      const response = await request(server).get(`/api/openstack${path}`);
      expect(response.status).toBe(403);
      expect(response.text).not.toContain('replicator');
    }
  });
});

describe('GET /scans/:id/checks/:checkId', () => {
  it('answers an owner with the full evidence, headers and bodies', async () => {
    const { server, scanId } = await startBackend('owner');
    const response = await request(server).get(
      `/api/openstack/scans/${scanId}/checks/accounts.replicator`,
    );
    expect(response.status).toBe(200);
    const body = checkResultResponseSchema.parse(response.body);
    expect(body.evidenceDetail).toBe('full');
    expect(body.result).toEqual(usersResult);
    expect(response.body).not.toHaveProperty('withheld');
    expect(body.scan).toEqual(
      expect.objectContaining({ id: scanId, siteRef, status: 'completed' }),
    );

    const openapi = await request(server).get('/api/openstack/openapi.json');
    const path = openapi.body.paths['/scans/{id}/checks/{checkId}'];
    const variants =
      path.get.responses[200].content['application/json'].schema.oneOf;
    expect(variants.map((v: { required: string[] }) => v.required)).toEqual([
      ['evidenceDetail', 'scan', 'result'],
      ['evidenceDetail', 'scan', 'result', 'withheld'],
    ]);
  });

  it('answers a reader who may not scan the site with the summary and why, no header or body', async () => {
    const { server, scanId } = await startBackend('reader');
    const response = await request(server).get(
      `/api/openstack/scans/${scanId}/checks/accounts.replicator`,
    );
    expect(response.status).toBe(200);
    expectNoLeak(response.text);
    const body = checkResultResponseSchema.parse(response.body);
    expect(body.evidenceDetail).toBe('summary');
    expect(response.body.result).toEqual(usersSummary);
    expect(response.body.withheld).toBe(
      "Request and response headers and bodies, and the details that name accounts or people, are shown to the site's owners (those who may scan it) only.",
    );
  });

  it('answers 404 for a check the scan did not run and for an unknown scan', async () => {
    const { server, scanId } = await startBackend('owner');
    const noCheck = await request(server).get(
      `/api/openstack/scans/${scanId}/checks/keystone.v3`,
    );
    expect(noCheck.status).toBe(404);
    expect(noCheck.body.error.message).toContain('no check keystone.v3');
    const noScan = await request(server).get(
      `/api/openstack/scans/${randomUUID()}/checks/keystone.tls`,
    );
    expect(noScan.status).toBe(404);
    expect(noScan.body.error.message).toContain('No scan');
  });

  it('answers 400 naming the malformed part', async () => {
    const { server, scanId } = await startBackend('owner');
    const badId = await request(server).get(
      '/api/openstack/scans/not-a-uuid/checks/keystone.tls',
    );
    expect(badId.status).toBe(400);
    expect(badId.body.error.message).toContain('id');
    const badCheck = await request(server).get(
      `/api/openstack/scans/${scanId}/checks/keystone%20tls`,
    );
    expect(badCheck.status).toBe(400);
    expect(badCheck.body.error.message).toContain('checkId');
  });

  it('answers 403 to a user who may not read the site', async () => {
    const { server, scanId } = await startBackend('none');
    const response = await request(server).get(
      `/api/openstack/scans/${scanId}/checks/keystone.tls`,
    );
    expect(response.status).toBe(403);
    expect(response.text).not.toContain('Keystone answers');
  });
});

describe('every route answering results', () => {
  const routes = (scanId: string) => [
    '/sites/default/site-a',
    `/scans/${scanId}`,
    `/scans/${scanId}/checks/accounts.replicator`,
    `/scans/${scanId}/events`,
    '/export?format=json',
    '/export?format=csv',
    '/export?format=junit',
  ];

  it("gives a reader who may not scan the site no account's or person's name", async () => {
    const { server, scanId } = await startBackend('reader');
    for (const path of routes(scanId)) {
      const response = await request(server).get(`/api/openstack${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect({ path, text: response.text }).toEqual({
        path,
        text: expect.not.stringContaining('alice-operator-account'),
      });
    }
    // The JSON export says what it left out, as the scorecard does.
    const exported = await request(server).get(
      '/api/openstack/export?format=json',
    );
    const [replicator] = exported.body.sites[0].results.filter(
      (r: { checkId: string }) => r.checkId === 'accounts.replicator',
    );
    expect(replicator).toEqual(usersSummary);
  });

  it("gives the site's owner the names in the one check's full result", async () => {
    const { server, scanId } = await startBackend('owner');
    const full = await request(server).get(
      `/api/openstack/scans/${scanId}/checks/accounts.replicator`,
    );
    expect(full.body.result.details.user).toBe('alice-operator-account');
    // Reads shared by every reader of the site stay as every reader sees them.
    const scan = await request(server).get(`/api/openstack/scans/${scanId}`);
    expect(scan.text).not.toContain('alice-operator-account');
  });
});
