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
} from '@fedstack/plugin-openstack-common';
import request from 'supertest';
import { storeFinishedScan } from '../__testUtils__/scans';
import { openstackPlugin } from '../plugin';
import { localSite } from '../__testUtils__/localSite';

// GET /scans/:id/checks/:checkId through the whole plugin, on a database the test can write
// scans into (scanning a site is plugin.integration.test.ts's business).
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

async function startBackend(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
) {
  const knex = await databases.init('SQLITE_3');
  const { server } = await startTestBackend({
    features: [
      openstackPlugin,
      mockServices.database.factory({ knex }),
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.permissions.factory({ result }),
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
    [tlsResult],
    new Date('2026-11-23T10:00:00.000Z'),
  );
  return { server, scanId };
}

describe('GET /scans/:id/checks/:checkId', () => {
  it('answers one check result with its evidence', async () => {
    const { server, scanId } = await startBackend(AuthorizeResult.ALLOW);
    const response = await request(server).get(
      `/api/openstack/scans/${scanId}/checks/keystone.tls`,
    );
    expect(response.status).toBe(200);
    const body = checkResultResponseSchema.parse(response.body);
    expect(body.result).toEqual(tlsResult);
    expect(body.scan).toEqual(
      expect.objectContaining({ id: scanId, siteRef, status: 'completed' }),
    );

    const openapi = await request(server).get('/api/openstack/openapi.json');
    const path = openapi.body.paths['/scans/{id}/checks/{checkId}'];
    expect(
      path.get.responses[200].content['application/json'].schema.required,
    ).toEqual(['scan', 'result']);
  });

  it('answers 404 for a check the scan did not run and for an unknown scan', async () => {
    const { server, scanId } = await startBackend(AuthorizeResult.ALLOW);
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
    const { server, scanId } = await startBackend(AuthorizeResult.ALLOW);
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
    const { server, scanId } = await startBackend(AuthorizeResult.DENY);
    const response = await request(server).get(
      `/api/openstack/scans/${scanId}/checks/keystone.tls`,
    );
    expect(response.status).toBe(403);
    expect(response.text).not.toContain('Keystone answers');
  });
});
