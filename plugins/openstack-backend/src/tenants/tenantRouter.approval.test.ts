import { Server } from 'node:http';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { openstackPlugin } from '../plugin';
import { siteEntity } from '../__testUtils__/sandbox';
import { userInfoWith } from '../__testUtils__/users';

// Nobody approves their own request, whatever the app's policy: here permissions are off, so
// every permission is granted (as an allow-all policy would), and the approval route still
// refuses the requester.
jest.setTimeout(60_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const teamA = 'group:default/team-a';
const alice = 'user:default/alice';
const erin = 'user:default/erin';
const as = (user: string) => mockCredentials.user.header(user);
const later = {
  frequency: { hours: 24 },
  timeout: { minutes: 1 },
  initialDelay: { hours: 24 },
};

let server: Server;

beforeAll(async () => {
  const knex = await databases.init('SQLITE_3');
  ({ server } = await startTestBackend({
    features: [
      openstackPlugin,
      permissionsServiceFactory,
      mockServices.database.factory({ knex }),
      catalogServiceMock.factory({
        entities: [
          siteEntity({
            name: 'site-a',
            keystoneUrl: 'http://127.0.0.1:9/v3',
            profiles: 'tenant-platform',
            credentials: 'closed',
          }),
        ],
      }),
      userInfoWith(user => [user, teamA]),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: false },
          openstack: {
            credentialSets: {
              closed: {
                keystoneUrls: ['http://127.0.0.1:9/v3'],
                reader: { type: 'password', username: 'u', password: 'p4ss' },
              },
            },
            network: { allow: ['127.0.0.0/8'] },
            scans: { schedule: later },
            metering: { schedule: later },
            // Every request waits for approval; nothing replicates after a decision.
            replication: {
              schedule: later,
              landingZones: [{ id: 'manual', title: 'Manual' }],
            },
          },
        },
      }),
      mockServices.rootLogger.factory({ level: 'error' }),
    ],
  }));
});

async function requestTenant(user: string, project: string) {
  const res = await request(server)
    .post('/api/openstack/tenants')
    .set('Authorization', as(user))
    .send({
      workspace: teamA,
      site: 'resource:default/site-a',
      project,
      landingZone: 'manual',
      members: [{ euid: `${project}@egi.eu`, role: 'admin' }],
    });
  if (res.status !== 201) throw new Error(`tenant: ${res.text}`);
  return res.body.id as string;
}
const decide = (id: string, user: string, decision = 'approve') =>
  request(server)
    .post(`/api/openstack/tenants/${id}/approval`)
    .set('Authorization', as(user))
    .send({ decision });

describe('approvals', () => {
  it('refuses to let the requester approve their own request, with 403 saying why', async () => {
    const id = await requestTenant(erin, 'own-request');
    const own = await decide(id, erin);
    expect(own.status).toBe(403);
    expect(own.body.error.message).toBe(
      `You requested tenant ${id}: nobody approves their own request, another approver must`,
    );
    const after = await request(server)
      .get(`/api/openstack/tenants/${id}`)
      .set('Authorization', as(erin));
    expect(after.body.status).toBe('requires-approval');
    const other = await decide(id, alice);
    expect(other.status).toBe(200);
    expect(other.body.status).toBe('requested');
  });

  it('refuses to let who asked for a deletion approve it', async () => {
    const id = await requestTenant(alice, 'own-deletion');
    expect((await decide(id, erin)).status).toBe(200);
    const deletion = await request(server)
      .delete(`/api/openstack/tenants/${id}`)
      .set('Authorization', as(erin));
    expect(deletion.body.status).toBe('deletion-requested');
    const own = await decide(id, erin);
    expect(own.status).toBe(403);
    expect(own.body.error.message).toBe(
      `You requested the deletion of tenant ${id}: nobody approves their own request, another approver must`,
    );
    // alice requested the tenant, not its deletion.
    const other = await decide(id, alice);
    expect(other.status).toBe(200);
    expect(other.body.deletionApproved).toBe(true);
  });

  it('lets the requester reject (withdraw) their own request', async () => {
    const id = await requestTenant(erin, 'withdrawn');
    const res = await decide(id, erin, 'reject');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('rejected');
  });
});
