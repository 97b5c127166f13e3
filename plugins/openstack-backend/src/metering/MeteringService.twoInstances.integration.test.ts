import {
  sandboxCredentialSet,
  sandboxLive,
  sandboxPostgresBackends,
  sandboxSiteEntity,
} from '../__testUtils__/sandbox';

// Two real backend instances on one PostgreSQL (the sandbox's), each with the real scheduler:
// the metering job is scheduled by both and must run once (scheduler scope `global`). Needs the
// sandbox's PostgreSQL and Keystone; skipped without them unless the test command requires them.
const { describeLive } = sandboxLive('FEDSTACK_SANDBOX_DB_PASSWORD');
jest.setTimeout(120_000);

const site = sandboxSiteEntity('site-a', { profiles: 'tenant-platform' });

describeLive('two backend instances on one PostgreSQL', () => {
  const backends = sandboxPostgresBackends('meter');
  const start = () =>
    backends.start([site], {
      credentialSets: { sandbox: sandboxCredentialSet('metering') },
      // Scans wait; metering fires at once, on every project it may read.
      scans: {
        schedule: {
          frequency: { hours: 24 },
          timeout: { minutes: 2 },
          initialDelay: { hours: 1 },
        },
      },
      metering: {
        schedule: {
          frequency: { minutes: 30 },
          timeout: { minutes: 2 },
        },
        projects: 'visible',
      },
    });

  it('samples each project once per scheduled run', async () => {
    const one = await start();
    const two = await start();
    const db = backends.pluginDatabase();
    try {
      // Both instances have scheduled the job; wait for its samples, then a while more for a
      // second run that must not come.
      const deadline = Date.now() + 60_000;
      let rows: Array<{ project_id: string }> = [];
      while (Date.now() < deadline) {
        rows = await db('openstack_metering_samples').select('project_id');
        if (rows.length >= 4) break;
        await new Promise(resolve => setTimeout(resolve, 500));
      }
      await new Promise(resolve => setTimeout(resolve, 5_000));
      rows = await db('openstack_metering_samples').select('project_id');
      const perProject = new Map<string, number>();
      for (const { project_id } of rows) {
        perProject.set(project_id, (perProject.get(project_id) ?? 0) + 1);
      }
      // site-a's metering account reads admin, service, ops and vo.access.egi.eu.
      expect(perProject.size).toBeGreaterThanOrEqual(4);
      expect(new Set(perProject.values())).toEqual(new Set([1]));
    } finally {
      await db.destroy();
      await one.stop();
      await two.stop();
    }
  });
});
