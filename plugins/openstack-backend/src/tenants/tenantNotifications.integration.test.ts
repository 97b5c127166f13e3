import { randomBytes } from 'node:crypto';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import {
  must,
  removeWorkspaceFromKeystone,
} from '@fedstack/plugin-openstack-node/testUtils';
import request from 'supertest';
import {
  sandboxCredentialSet,
  sandboxLive,
  sandboxSiteEntity,
} from '../__testUtils__/sandbox';
import { sandboxAdmin } from '../__testUtils__/keystone';
import {
  as,
  OpenStackTestBackend,
  startOpenStackBackend,
} from '../__testUtils__/backend';
import {
  groupEntity,
  notificationsOf,
  noticesOf,
  ReadNotification,
} from './__testUtils__/notifications';

// A tenant through request → approval → replication into the live sandbox's site-a, with the
// real notifications backend beside the plugin; each recipient's notifications read through its
// REST API as that user: who got what, once. A member missing from Keystone is told when a later
// run adds them; a run that changes nothing sends nothing. Skipped without the sandbox unless
// the test command requires it.
const { describeLive } = sandboxLive();
jest.setTimeout(120_000);

const run = randomBytes(3).toString('hex');
const team = `ntf-${run}`;
const workspace = `group:default/${team}`;
const platform = 'group:default/platform-team';
// Check-in subjects, as Keystone's federated users are named; the local part names the user.
const local = (n: number) =>
  Buffer.from(`${run}-n${n}`).toString('hex').padEnd(32, '0').slice(0, 32);
const euid = (n: number) => `${local(n)}@egi.eu`;
const memberUser = (n: number) => `user:default/${local(n)}`;

const alice = 'user:default/alice'; // requests
const erin = 'user:default/erin'; // in alice's workspace
const dave = 'user:default/dave'; // approves
const grace = 'user:default/grace'; // may approve too
const zoe = 'user:default/zoe'; // nobody in particular

const admin = sandboxAdmin();

describeLive('tenant notifications through the sandbox', () => {
  let backend: OpenStackTestBackend;
  const users: string[] = [];
  let idpDomain: string;
  let id: string;

  const createKeystoneUser = async (n: number) => {
    const user = await must(
      admin.identity.createUser({ name: euid(n), domain_id: idpDomain }),
    );
    users.push(user.id);
  };

  beforeAll(async () => {
    const idp = await must(admin.identity.identityProvider('egi.eu'));
    idpDomain = String(idp.domain_id);
    // Member 1 has logged in to the site before; member 2 has not, yet.
    await createKeystoneUser(1);
    backend = await startOpenStackBackend({
      features: [notificationsPlugin, permissionsServiceFactory],
      sites: [
        sandboxSiteEntity('site-a', { profiles: 'tenant-platform' }),
        groupEntity(workspace, [alice, erin]),
        groupEntity(platform, [dave, grace]),
      ],
      ownership: user => [
        user,
        ...([alice, erin].includes(user) ? [workspace] : []),
        ...([dave, grace].includes(user) ? [platform] : []),
      ],
      // Permissions off (the router still refuses one's own request); the approvers are the
      // permission policy's operators, as in the portal.
      config: {
        app: { baseUrl: 'http://localhost:3000' },
        permission: { enabled: false },
        fedstack: { platformOperators: [platform] },
      },
      openstack: {
        credentialSets: { sandbox: sandboxCredentialSet('replicator') },
        replication: {
          landingZones: [{ id: 'manual', title: 'Manual', tags: ['fedstack'] }],
        },
      },
      logLevel: 'warn',
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await removeWorkspaceFromKeystone(admin, team);
    for (const user of users) await admin.identity.deleteUser(user);
    admin.close();
  });

  const api = () => request(backend.server);
  const replicateSiteA = async () => {
    const res = await api()
      .post('/api/openstack/sites/default/site-a/replications')
      .set('Authorization', as(dave))
      .send({});
    expect(res.status).toBe(200);
    return res.body;
  };
  /** Everyone's notifications, as compared before and after a run that should send nothing. */
  const everyone = async () => {
    const all: Record<string, ReadNotification[]> = {};
    for (const user of [
      alice,
      erin,
      dave,
      grace,
      zoe,
      memberUser(1),
      memberUser(2),
    ])
      all[user] = await notificationsOf(backend.server, user);
    return all;
  };

  it('tells the approvers of the request, and nobody else', async () => {
    const res = await api()
      .post('/api/openstack/tenants')
      .set('Authorization', as(alice))
      .send({
        workspace,
        site: 'resource:default/site-a',
        project: 'app',
        landingZone: 'manual',
        members: [
          { euid: euid(1), role: 'admin' },
          { euid: euid(2), role: 'reader' },
        ],
      });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('requires-approval');
    id = res.body.id;
    for (const approver of [dave, grace])
      expect(await noticesOf(backend.server, approver)).toEqual([
        `openstack-tenant:${id}:approval Tenant ${team}/app on site-a waits for approval`,
      ]);
    for (const user of [alice, erin, zoe, memberUser(1), memberUser(2)])
      expect(await noticesOf(backend.server, user)).toEqual([]);
  });

  it('tells the requester and the workspace of the approval and of the replication, once each', async () => {
    await api()
      .post(`/api/openstack/tenants/${id}/approval`)
      .set('Authorization', as(dave))
      .send({ decision: 'approve', comment: 'ok for the pilot' })
      .expect(200);
    // Joins (or follows) the replication the approval started.
    await replicateSiteA();
    const detail = (
      await api()
        .get(`/api/openstack/tenants/${id}`)
        .set('Authorization', as(alice))
    ).body;
    expect(detail.status).toBe('successful');

    for (const user of [alice, erin]) {
      expect(await noticesOf(backend.server, user)).toEqual([
        `openstack-tenant:${id}:approved Tenant ${team}/app on site-a approved`,
        `openstack-tenant:${id}:replicated Tenant ${team}/app on site-a is ready`,
      ]);
      const [, ready] = await notificationsOf(backend.server, user);
      expect(ready.payload.link).toBe(`/openstack/tenants/${id}`);
      expect(ready.payload.description).toContain(
        `project ${detail.projectId}`,
      );
      // The member not yet on the site is named, as the replication's remark says.
      expect(ready.payload.description).toContain(
        `member ${euid(2)} (reader) has no account on the site yet`,
      );
    }
    // The approver is not told of their own decision; the members of a first replication are
    // the workspace's news.
    expect(await noticesOf(backend.server, dave)).toHaveLength(1);
    for (const user of [zoe, memberUser(1), memberUser(2)])
      expect(await noticesOf(backend.server, user)).toEqual([]);
  });

  it('sends nothing for a run that changes nothing', async () => {
    const before = await everyone();
    const noop = await replicateSiteA();
    expect(
      noop.steps.filter((s: { tenantId?: string }) => s.tenantId === id),
    ).toEqual([]);
    expect(await everyone()).toEqual(before);
  });

  it("tells a member when a later run finds their account and adds them, and updates the workspace's notification", async () => {
    // Member 2 logs in to the site: Keystone now has their federated user.
    await createKeystoneUser(2);
    const run2 = await replicateSiteA();
    expect(
      run2.steps
        .filter((s: { tenantId?: string }) => s.tenantId === id)
        .map((s: { summary: string }) => s.summary),
    ).toEqual([`add ${euid(2)} to group ${team}.app-reader`]);

    const [added, ...more] = await notificationsOf(
      backend.server,
      memberUser(2),
    );
    expect(more).toEqual([]);
    expect(added.payload).toMatchObject({
      title: `You were added to tenant ${team}/app on site-a`,
      scope: `openstack-tenant:${id}:member:${euid(2)}`,
      link: `/openstack/tenants/${id}`,
    });
    expect(added.payload.description).toContain('(reader)');
    expect(await noticesOf(backend.server, memberUser(1))).toEqual([]);

    // Still one notification of the replication for the workspace: updated, not added.
    for (const user of [alice, erin]) {
      const notices = await notificationsOf(backend.server, user);
      expect(notices.map(n => n.payload.scope)).toEqual([
        `openstack-tenant:${id}:approved`,
        `openstack-tenant:${id}:replicated`,
      ]);
      expect(notices[1].payload.title).toBe(
        `Tenant ${team}/app on site-a updated`,
      );
      expect(notices[1].payload.description).not.toContain('no account');
    }

    // And once: the next run adds nobody and tells nobody.
    const before = await everyone();
    await replicateSiteA();
    expect(await everyone()).toEqual(before);
  });
  it('tells the approvers of a deletion, then the requester and the workspace of its approval and of the deletion', async () => {
    await api()
      .delete(`/api/openstack/tenants/${id}`)
      .set('Authorization', as(erin))
      .expect(200);
    for (const approver of [dave, grace])
      expect((await noticesOf(backend.server, approver)).pop()).toBe(
        `openstack-tenant:${id}:deletion-approval Deletion of tenant ${team}/app on site-a waits for approval`,
      );
    await replicateSiteA();
    await api()
      .post(`/api/openstack/tenants/${id}/approval`)
      .set('Authorization', as(grace))
      .send({ decision: 'approve' })
      .expect(200);
    await replicateSiteA();
    const detail = await api()
      .get(`/api/openstack/tenants/${id}`)
      .set('Authorization', as(alice));
    expect(detail.body.status).toBe('deleted');
    // erin asked for the deletion: told of its approval as the workspace's member.
    for (const user of [alice, erin])
      expect(await noticesOf(backend.server, user)).toEqual([
        `openstack-tenant:${id}:approved Tenant ${team}/app on site-a approved`,
        `openstack-tenant:${id}:replicated Tenant ${team}/app on site-a updated`,
        `openstack-tenant:${id}:deletion-approved Deletion of tenant ${team}/app on site-a approved`,
        `openstack-tenant:${id}:deleted Tenant ${team}/app on site-a deleted`,
      ]);
    expect(await noticesOf(backend.server, grace)).toHaveLength(2);
  });
});
