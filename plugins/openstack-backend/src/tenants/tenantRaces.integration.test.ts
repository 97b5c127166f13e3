import { randomBytes } from 'node:crypto';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { JsonObject } from '@backstage/types';
import {
  ReplicationRun,
  TenantDetail,
} from '@fedstack/plugin-openstack-common';
import {
  must,
  removeWorkspaceFromKeystone,
} from '@fedstack/plugin-openstack-node/testUtils';
import request from 'supertest';
import {
  sandboxCredentialSet,
  sandboxLive,
  sandboxPostgresBackends,
  sandboxSiteEntity,
} from '../__testUtils__/sandbox';
import { sandboxAdmin } from '../__testUtils__/keystone';
import {
  as,
  OpenStackTestBackend,
  startOpenStackBackend,
} from '../__testUtils__/backend';

// Tenants changed over REST while a replication of site-a runs (live, the sandbox's Keystone):
// a deletion, an approval, a member removal and a new request land after the run read the
// tenants and before it ends. None may be lost (the run must not write back what it read), and
// each must reach Keystone through one follow-up run right after, not the daily schedule. On one
// backend (SQLite), and on two sharing PostgreSQL with the run on one and the edits on the other.
const { describeLive } = sandboxLive();
jest.setTimeout(180_000);

const run = randomBytes(3).toString('hex');
const euid = (n: number) =>
  `${Buffer.from(`race-${run}-${n}`)
    .toString('hex')
    .padEnd(32, '0')
    .slice(0, 32)}@egi.eu`;
const alice = 'user:default/alice';
// Approves alice's requests: nobody approves their own.
const dave = 'user:default/dave';
const siteA = sandboxSiteEntity('site-a', { profiles: 'tenant-platform' });

function openstackConfig(): JsonObject {
  return {
    credentialSets: { sandbox: sandboxCredentialSet('replicator', 'metering') },
    // Only the test starts runs (and the changes' own ones): no schedule within the test.
    replication: {
      landingZones: [
        {
          id: 'quick',
          title: 'Quick',
          tags: ['fedstack'],
          quotas: { compute: { cores: 4 }, network: { router: 1 } },
          maxQuotas: { compute: { cores: 32 } },
          autoApproveUpTo: { compute: { cores: 8 } },
        },
      ],
    },
  };
}

function startBackend(team: string, database?: JsonObject) {
  const workspace = `group:default/${team}`;
  return startOpenStackBackend({
    features: database ? [databaseServiceFactory] : [],
    sites: [siteA],
    ownership: user => [user, workspace],
    config: database
      ? { backend: { baseUrl: 'http://localhost:7007', database } }
      : {},
    openstack: openstackConfig(),
    logLevel: 'warn',
  });
}

type Backend = OpenStackTestBackend;
const admin = sandboxAdmin();
const users: string[] = [];

beforeAll(async () => {
  const idp = await must(admin.identity.identityProvider('egi.eu'));
  for (const n of [1, 2]) {
    const user = await must(
      admin.identity.createUser({
        name: euid(n),
        domain_id: String(idp.domain_id),
      }),
    );
    users.push(user.id);
  }
});

afterAll(async () => {
  for (const id of users) await admin.identity.deleteUser(id);
  admin.close();
});

/**
 * The race: `runner` replicates site-a while `editor` (the same backend or another one on the
 * same database) changes four tenants; then, with no further trigger, site-a converges.
 */
async function raceScenario(
  team: string,
  runner: () => Backend,
  editor: () => Backend,
): Promise<ReplicationRun> {
  const workspace = `group:default/${team}`;
  const api = (backend: Backend) => request(backend.server);
  const requestTenant = async (
    backend: Backend,
    project: string,
    extra: object = {},
  ): Promise<TenantDetail> => {
    const res = await api(backend)
      .post('/api/openstack/tenants')
      .set('Authorization', as(alice))
      .send({
        workspace,
        site: 'resource:default/site-a',
        project,
        landingZone: 'quick',
        members: [{ euid: euid(1), role: 'admin' }],
        ...extra,
      });
    expect(res.status).toBe(201);
    return res.body;
  };
  const replicateSiteA = async (backend: Backend): Promise<ReplicationRun> => {
    const res = await api(backend)
      .post('/api/openstack/sites/default/site-a/replications')
      .set('Authorization', as(alice))
      .send({});
    expect(res.status).toBe(200);
    return res.body;
  };
  const tenant = async (id: string): Promise<TenantDetail> =>
    (
      await api(editor())
        .get(`/api/openstack/tenants/${id}`)
        .set('Authorization', as(alice))
    ).body;
  const runs = async (): Promise<ReplicationRun[]> =>
    (
      await api(runner())
        .get('/api/openstack/sites/default/site-a/replications')
        .set('Authorization', as(alice))
    ).body.runs;
  const groupMembers = async (name: string) => {
    const [group] = await must(admin.identity.groups({ name }));
    return (await must(admin.identity.groupUsers(group.id)))
      .map(u => u.name)
      .sort();
  };

  // Before the run: two replicated tenants, one waiting for approval.
  const gone = await requestTenant(runner(), 'gone');
  const crew = await requestTenant(runner(), 'crew', {
    members: [
      { euid: euid(1), role: 'admin' },
      { euid: euid(2), role: 'admin' },
    ],
  });
  await replicateSiteA(runner());
  await replicateSiteA(runner());
  for (const id of [gone.id, crew.id])
    expect((await tenant(id)).status).toBe('successful');
  expect(await groupMembers(`${team}.crew-admin`)).toEqual(
    [euid(1), euid(2)].sort(),
  );
  const big = await requestTenant(runner(), 'big', {
    quotas: { compute: { cores: 16 } },
  });
  expect(big.status).toBe('requires-approval');

  // The run: a new tenant to create keeps it busy in Keystone while the edits land.
  await requestTenant(runner(), 'busy');
  const running = replicateSiteA(runner());
  const deadline = Date.now() + 10_000;
  while (!(await runs()).some(r => r.status === 'running')) {
    if (Date.now() > deadline) throw new Error('no run started');
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  await new Promise(resolve => setTimeout(resolve, 50));
  const edits = await Promise.all([
    api(editor())
      .delete(`/api/openstack/tenants/${gone.id}`)
      .set('Authorization', as(alice)),
    api(editor())
      .put(`/api/openstack/tenants/${crew.id}/members`)
      .set('Authorization', as(alice))
      .send({ members: [{ euid: euid(1), role: 'admin' }] }),
    api(editor())
      .post(`/api/openstack/tenants/${big.id}/approval`)
      .set('Authorization', as(dave))
      .send({ decision: 'approve' }),
    api(editor())
      .post('/api/openstack/tenants')
      .set('Authorization', as(alice))
      .send({
        workspace,
        site: 'resource:default/site-a',
        project: 'late',
        landingZone: 'quick',
        members: [{ euid: euid(2), role: 'admin' }],
      }),
  ]);
  const editedAt = Date.now();
  expect(edits.map(e => e.status)).toEqual([200, 200, 200, 201]);
  expect(edits[0].body.status).toBe('deletion-requested');
  expect(edits[2].body.status).toBe('requested');
  const late = edits[3].body as TenantDetail;
  const raced = await running;
  // Otherwise the edits did not land during the run, and this test proves nothing.
  expect(new Date(raced.finishedAt!).getTime()).toBeGreaterThan(editedAt);

  // No further trigger: the follow-up run alone must bring site-a in line.
  const settled = async () => {
    const [g, c, b, l] = await Promise.all(
      [gone.id, crew.id, big.id, late.id].map(tenant),
    );
    return (
      g.status === 'deletion-requested' &&
      g.lastReplication?.runId !== raced.id &&
      g.lastReplication !== undefined &&
      c.lastReplication?.runId !== raced.id &&
      b.status === 'successful' &&
      l.status === 'successful' &&
      (await runs()).every(r => r.status !== 'running')
    );
  };
  const until = Date.now() + 30_000;
  while (!(await settled()) && Date.now() < until)
    await new Promise(resolve => setTimeout(resolve, 250));

  // 0 lost: every change stands in the store, and in Keystone: the deleted tenant's group grants
  // are gone, the removed member is out of the group, the approved and the new tenant's
  // projects exist.
  const [g, c, b, l] = await Promise.all(
    [gone.id, crew.id, big.id, late.id].map(tenant),
  );
  const projectOf = async (t: TenantDetail) =>
    t.projectId
      ? (await must(admin.identity.project(t.projectId))).name
      : undefined;
  const grants = await must(
    admin.identity.roleAssignments({ 'scope.project.id': g.projectId! }),
  );
  expect({
    gone: [g.status, grants.filter(a => a.group).length],
    crew: [c.status, await groupMembers(`${team}.crew-admin`)],
    big: [b.status, await projectOf(b)],
    late: [l.status, await projectOf(l)],
  }).toEqual({
    gone: ['deletion-requested', 0],
    crew: ['successful', [euid(1)]],
    big: ['successful', `${team}.big`],
    late: ['successful', `${team}.late`],
  });
  expect(g.events.map(e => e.action)).toContain('deletion requested');
  expect(await groupMembers(`${team}.late-admin`)).toEqual([euid(2)]);

  // One follow-up run for the four changes, started after the raced run ended.
  const after = (await runs()).filter(
    r => new Date(r.startedAt) > new Date(raced.startedAt),
  );
  expect(after).toHaveLength(1);
  expect(new Date(after[0].startedAt).getTime()).toBeGreaterThanOrEqual(
    new Date(raced.finishedAt!).getTime(),
  );
  return after[0];
}

describeLive('changes made while a replication runs', () => {
  describe('on one backend (SQLite)', () => {
    const team = `race-${run}`;
    let backend: Backend;
    beforeAll(async () => {
      backend = await startBackend(team);
    });
    afterAll(async () => {
      await backend?.stop();
      await removeWorkspaceFromKeystone(admin, `${team}.`);
    });

    it('loses none and replicates them in one follow-up run', async () => {
      const followUp = await raceScenario(
        team,
        () => backend,
        () => backend,
      );
      expect(followUp.status).toBe('successful');
    });
  });

  describe('on two backends sharing PostgreSQL: the run on one, the edits on the other', () => {
    const team = `race2-${run}`;
    const backends = sandboxPostgresBackends('race');
    let one: Backend;
    let two: Backend;
    beforeAll(async () => {
      // One after the other: knex's migrations race on an empty database.
      one = await startBackend(team, backends.database);
      two = await startBackend(team, backends.database);
    });
    afterAll(async () => {
      await one?.stop();
      await two?.stop();
      await removeWorkspaceFromKeystone(admin, `${team}.`);
    });

    it('loses none and replicates them in one follow-up run', async () => {
      const followUp = await raceScenario(
        team,
        () => one,
        () => two,
      );
      expect(followUp.status).toBe('successful');
    });
  });
});
