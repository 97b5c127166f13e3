import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { OpenStackSession } from '@fedstack/plugin-openstack-node';
import {
  sandboxCredentialSet,
  sandboxLive,
  sandboxPostgresBackends,
  sandboxSiteEntity,
} from './__testUtils__/sandbox';

// Two real backend instances on one PostgreSQL (the sandbox's), each with the real scheduler:
// the fleet scan and the replication are scheduled by both and must run once (metering:
// metering/MeteringService.twoInstances.integration.test.ts). Needs the sandbox's PostgreSQL and
// Keystone; skipped without them unless the test command requires them.
const env = process.env;
const { describeLive } = sandboxLive('FEDSTACK_SANDBOX_DB_PASSWORD');
jest.setTimeout(120_000);

const site = sandboxSiteEntity('site-a', { profiles: 'tenant-platform' });

/** The test's tenant project, removed from site-a's Keystone afterwards. */
async function deleteProject(name: string) {
  const admin = new OpenStackSession({
    keystoneUrl: 'http://127.0.0.1:5000/v3',
    credential: {
      type: 'password',
      username: 'admin',
      password: env.FEDSTACK_SANDBOX_ADMIN_PASSWORD ?? '',
      scope: { project: { name: 'admin', domain: { id: 'default' } } },
    },
  });
  const projects = await admin.identity.projects({ name });
  const groups = await admin.identity.groups();
  if (groups.ok)
    for (const group of groups.data.filter(g => g.name.startsWith(name)))
      await admin.identity.deleteGroup(group.id);
  if (projects.ok)
    for (const project of projects.data)
      await admin.identity.deleteProject(project.id);
  admin.close();
}

describeLive('two backend instances on one PostgreSQL', () => {
  const backends = sandboxPostgresBackends('two');
  const start = () =>
    backends.start([site], {
      credentialSets: {
        sandbox: sandboxCredentialSet('replicator', 'metering'),
      },
      scans: {
        schedule: {
          frequency: { minutes: 30 },
          timeout: { minutes: 2 },
        },
      },
      // After the test has stored a tenant.
      replication: {
        schedule: {
          frequency: { minutes: 30 },
          timeout: { minutes: 2 },
          initialDelay: { seconds: 4 },
        },
        landingZones: [{ id: 'zone', title: 'Zone' }],
      },
    });

  it('runs each scheduled fleet scan and replication once', async () => {
    // One after the other, as in a rolling start: creating the scheduler's tables at the same
    // instant on an empty database races in knex's migrations.
    const one = await start();
    const db = backends.pluginDatabase();
    const project = `two-${randomBytes(3).toString('hex')}`;
    const now = new Date();
    await db('openstack_tenants').insert({
      id: '00000000-0000-4000-8000-00000000beef',
      workspace: 'group:default/two',
      site_ref: 'resource:default/site-a',
      project,
      landing_zone: 'zone',
      members: '[]',
      quotas: '{}',
      status: 'requested',
      deletion_approved: false,
      requested_by: 'user:default/test',
      created_at: now,
      updated_at: now,
    });
    const two = await start();
    try {
      // Both instances have scheduled the task; wait for the scan to land, then a while more
      // for a second one that must not come.
      const deadline = Date.now() + 60_000;
      let scans: Array<{ status: string }> = [];
      while (Date.now() < deadline) {
        scans = await db('openstack_scans').select('status');
        if (scans.some(s => s.status === 'completed')) break;
        await new Promise(resolve => setTimeout(resolve, 500));
      }
      await new Promise(resolve => setTimeout(resolve, 5_000));
      scans = await db('openstack_scans').select('status', 'trigger');
      expect(scans).toEqual([{ status: 'completed', trigger: 'schedule' }]);

      const waitFor = async (what: () => Promise<boolean>) => {
        const until = Date.now() + 60_000;
        while (Date.now() < until && !(await what()))
          await new Promise(resolve => setTimeout(resolve, 500));
      };
      await waitFor(async () =>
        (
          await db('openstack_replication_runs').select('status')
        ).some(run => run.status !== 'running'),
      );
      await new Promise(resolve => setTimeout(resolve, 3_000));
      const runs = await db('openstack_replication_runs').select(
        'status',
        'trigger',
      );
      expect(runs).toEqual([{ status: 'successful', trigger: 'schedule' }]);
      const [tenant] = await db('openstack_tenants').select(
        'status',
        'project_id',
      );
      expect(tenant.status).toBe('successful');

      // Manual triggers for one site on both instances at once: one scan, one replication.
      const [a, b] = await Promise.all(
        [one, two].map(backend =>
          request(backend.server).post(
            '/api/openstack/sites/default/site-a/scans',
          ),
        ),
      );
      expect([a.status, b.status]).toEqual([202, 202]);
      expect(a.body.scanId).toBe(b.body.scanId);
      expect([a.body.joined, b.body.joined].sort()).toEqual([false, true]);
      const [r1, r2] = await Promise.all(
        [one, two].map(backend =>
          request(backend.server)
            .post('/api/openstack/sites/default/site-a/replications')
            .send({}),
        ),
      );
      expect([r1.status, r2.status]).toEqual([200, 200]);
      expect(r1.body.id).toBe(r2.body.id);
      expect(r1.body.status).toBe('successful');
      await waitFor(async () =>
        (
          await db('openstack_scans').select('status')
        ).every(scan => scan.status !== 'running'),
      );
      const manual = await db('openstack_scans')
        .where({ trigger: 'manual' })
        .select('id', 'status');
      expect(manual).toEqual([{ id: a.body.scanId, status: 'completed' }]);
      expect(
        await db('openstack_replication_runs').where({ trigger: 'manual' }),
      ).toHaveLength(1);
    } finally {
      await deleteProject(`two.${project}`);
      await db.destroy();
      await one.stop();
      await two.stop();
    }
  });
});
