import { Server } from 'node:http';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  as,
  closedSiteConfig,
  closedSiteEntity,
  startOpenStackBackend,
} from '../__testUtils__/backend';

// Nobody approves their own request, whatever the app's policy: here permissions are off, so
// every permission is granted (as an allow-all policy would), and the approval route still
// refuses the requester.
jest.setTimeout(60_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const teamA = 'group:default/team-a';
const alice = 'user:default/alice';
const erin = 'user:default/erin';

let server: Server;

beforeAll(async () => {
  const knex = await databases.init('SQLITE_3');
  ({ server } = await startOpenStackBackend({
    knex,
    features: [permissionsServiceFactory],
    sites: [closedSiteEntity()],
    ownership: user => [user, teamA],
    config: { permission: { enabled: false } },
    openstack: {
      ...closedSiteConfig(),
      // Every request waits for approval; nothing replicates after a decision.
      replication: { landingZones: [{ id: 'manual', title: 'Manual' }] },
    },
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
