import { Server } from 'node:http';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import request from 'supertest';
import {
  as,
  closedSiteConfig,
  closedSiteEntity,
  startOpenStackBackend,
} from '../__testUtils__/backend';
import {
  groupEntity,
  notificationsOf,
  noticesOf,
} from './__testUtils__/notifications';

// Tenant notifications through the real notifications backend, read back through its REST API
// as each user. The site is a closed port, so every replication fails (no sandbox needed): the
// approvers hear of requests, the requester and the workspace of decisions and of the failure,
// once; a decision made again updates its notification instead of adding one.
jest.setTimeout(60_000);

const team = 'group:default/team-a';
const platform = 'group:default/platform-team';
const alice = 'user:default/alice'; // requests
const erin = 'user:default/erin'; // alice's workspace
const dave = 'user:default/dave'; // approves
const grace = 'user:default/grace'; // approves
const zoe = 'user:default/zoe'; // none of them

let server: Server;
let stop: () => Promise<void>;

beforeAll(async () => {
  const backend = await startOpenStackBackend({
    features: [notificationsPlugin, permissionsServiceFactory],
    sites: [
      closedSiteEntity(),
      groupEntity(team, [alice, erin]),
      groupEntity(platform, [dave, grace]),
    ],
    ownership: user => [
      user,
      ...([alice, erin].includes(user) ? [team] : []),
      ...([dave, grace].includes(user) ? [platform] : []),
    ],
    // Permissions off: everyone may approve (the router still refuses one's own request). The
    // approvers come from the permission policy's operators, as in the portal.
    config: {
      // The notifications backend checks links against the app's URL.
      app: { baseUrl: 'http://localhost:3000' },
      permission: { enabled: false },
      fedstack: { platformOperators: [platform] },
    },
    openstack: {
      ...closedSiteConfig('replicator'),
      replication: { landingZones: [{ id: 'manual', title: 'Manual' }] },
    },
  });
  server = backend.server;
  stop = () => backend.stop();
});

afterAll(() => stop?.());

const api = () => request(server);
const replicate = async () => {
  const res = await api()
    .post('/api/openstack/sites/default/site-a/replications')
    .set('Authorization', as(dave))
    .send({});
  expect(res.status).toBe(200);
  return res.body;
};
async function requestTenant(project: string) {
  const res = await api()
    .post('/api/openstack/tenants')
    .set('Authorization', as(alice))
    .send({
      workspace: team,
      site: 'resource:default/site-a',
      project,
      landingZone: 'manual',
    });
  expect(res.status).toBe(201);
  expect(res.body.status).toBe('requires-approval');
  return res.body.id as string;
}
const decide = (id: string, decision: string, comment?: string) =>
  api()
    .post(`/api/openstack/tenants/${id}/approval`)
    .set('Authorization', as(dave))
    .send({ decision, ...(comment ? { comment } : {}) })
    .expect(200);

describe('tenant notifications', () => {
  let id: string;

  it('tells the approvers of a request, with a link to the tenant, and nobody else', async () => {
    id = await requestTenant('app');
    for (const approver of [dave, grace]) {
      const [notice, ...more] = await notificationsOf(server, approver);
      expect(more).toEqual([]);
      expect(notice.payload).toMatchObject({
        title: 'Tenant team-a/app on site-a waits for approval',
        link: `/openstack/tenants/${id}`,
        scope: `openstack-tenant:${id}:approval`,
        topic: 'openstack-tenants',
        severity: 'normal',
      });
      expect(notice.payload.description).toContain(alice);
    }
    for (const user of [alice, erin, zoe])
      expect(await noticesOf(server, user)).toEqual([]);
  });

  it('tells the requester and the workspace of the approval and of the failed replication, once', async () => {
    await decide(id, 'approve', 'ok for the pilot');
    // Joins (or follows) the replication the approval started; the site does not answer.
    const run = await replicate();
    expect(run.status).toBe('failed');
    const tenant = await api()
      .get(`/api/openstack/tenants/${id}`)
      .set('Authorization', as(alice));
    expect(tenant.body.status).toBe('failed');
    // Nothing changed: the second run sends nothing.
    await replicate();

    for (const user of [alice, erin]) {
      expect(await noticesOf(server, user)).toEqual([
        `openstack-tenant:${id}:approved Tenant team-a/app on site-a approved`,
        `openstack-tenant:${id}:failed Replication of tenant team-a/app on site-a failed`,
      ]);
      const [approved, failed] = await notificationsOf(server, user);
      expect(approved.payload.description).toBe(
        `Approved by ${dave}: “ok for the pilot”. It is replicated into the site's Keystone next.`,
      );
      expect(failed.payload.severity).toBe('high');
      expect(failed.payload.description).toMatch(/127\.0\.0\.1:9/);
      // The run's error names the site, never the set's password.
      expect(JSON.stringify([approved, failed])).not.toContain('p4ss');
    }
    // The approver made the decision: not told of it.
    expect(await noticesOf(server, dave)).toHaveLength(1);
    expect(await noticesOf(server, zoe)).toEqual([]);
  });

  it("updates the approvers' one notification of a deletion asked for again, instead of adding one", async () => {
    const askToDelete = () =>
      api()
        .delete(`/api/openstack/tenants/${id}`)
        .set('Authorization', as(alice))
        .expect(200);
    await askToDelete();
    const [first] = (await notificationsOf(server, grace)).filter(n =>
      n.payload.scope?.endsWith(':deletion-approval'),
    );
    expect(first.payload.title).toBe(
      'Deletion of tenant team-a/app on site-a waits for approval',
    );
    // Grace reads it; the deletion is rejected; alice asks again.
    await api()
      .post('/api/notifications/notifications/update')
      .set('Authorization', as(grace))
      .send({ ids: [first.id], read: true })
      .expect(200);
    await decide(id, 'reject');
    await replicate();
    await askToDelete();

    const deletions = (await notificationsOf(server, grace)).filter(n =>
      n.payload.scope?.endsWith(':deletion-approval'),
    );
    expect(deletions).toHaveLength(1);
    expect(deletions[0].id).toBe(first.id);
    // Unread again: it waits again.
    expect(deletions[0].read).toBeFalsy();
    expect(await noticesOf(server, alice)).toEqual([
      `openstack-tenant:${id}:approved Tenant team-a/app on site-a approved`,
      `openstack-tenant:${id}:failed Replication of tenant team-a/app on site-a failed`,
      `openstack-tenant:${id}:deletion-rejected Deletion of tenant team-a/app on site-a rejected`,
    ]);
  });

  it('tells the requester and the workspace of a rejection, with its comment', async () => {
    const rejected = await requestTenant('too-big');
    await decide(rejected, 'reject', 'use the standard zone');
    for (const user of [alice, erin]) {
      const [notice] = (await notificationsOf(server, user)).filter(
        n => n.payload.scope === `openstack-tenant:${rejected}:rejected`,
      );
      expect(notice.payload).toMatchObject({
        title: 'Tenant team-a/too-big on site-a rejected',
        description: `Rejected by ${dave}: “use the standard zone”.`,
        link: `/openstack/tenants/${rejected}`,
      });
    }
  });
});
