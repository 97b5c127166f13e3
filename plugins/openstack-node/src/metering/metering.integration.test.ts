import { sandboxLive, sandboxSettings } from '../testing/sandboxCredentials';
import { SANDBOX_SITES, sandboxSessions } from '../testing/sandboxSites';
import { projectUsageSampleSchema, sampleProjectUsage } from './sample';

// The metering account (reader on every project of site-a) samples the live ops project with a
// token scoped to it. Skipped unless site-a's Keystone answers or the sandbox is required.
const settings = sandboxSettings();
const site = SANDBOX_SITES['site-a'];
const { live, describeLive } = sandboxLive(site.keystoneUrl);

jest.setTimeout(60_000);

describeLive(
  `metering on the live sandbox${
    live ? '' : ' (SKIPPED: sandbox not running)'
  }`,
  () => {
    const { sessions, http, passwords } = sandboxSessions(site, settings);
    afterAll(() => http.close());

    it('samples ops: its server with flavor and workload, volume, router', async () => {
      const metering = sessions.metering!;
      const projects = await metering.identity.authProjects();
      expect(projects.ok).toBe(true);
      const ops = projects.ok && projects.data.find(p => p.name === 'ops');
      expect(ops).toBeTruthy();
      const opsId = (ops as { id: string }).id;

      const sample = await sampleProjectUsage(metering, opsId);
      expect(projectUsageSampleSchema.parse(sample)).toEqual(sample);
      expect(sample.errors).toEqual([]);
      const probe = sample.servers.find(s => s.name === 'monitoring-probe-vm');
      expect(probe).toMatchObject({
        status: 'BUILD',
        deleted: false,
        flavor: { name: 'm1.monitoring', vcpus: 1, ram: 2048, disk: 10 },
        workload: {
          'eu.egi.cloud.orchestrator': 'es.upv.grycap.im',
          'eu.egi.cloud.orchestrator.id': expect.any(String),
          'eu.egi.cloud.orchestrator.url': expect.stringMatching(/^https:/),
          'eu.egi.cloud.orchestrator.user': expect.any(String),
        },
      });
      expect(sample.volumes.find(v => v.name === 'ops-data')).toMatchObject({
        size: 1,
      });
      expect(sample.routers.map(r => r.name)).toContain('ops-router');
      expect(sample.unavailable).toEqual([
        {
          resource: 'loadBalancers',
          reason: 'no load-balancer service in the catalog',
        },
      ]);
      expect(sample.totals.vcpus).toBeGreaterThanOrEqual(1);
      expect(sample.totals.volumeGb).toBeGreaterThanOrEqual(1);
      // One project-scoped token for all of it.
      expect(metering.tokensIssued).toBeLessThanOrEqual(2);
      const text = JSON.stringify(sample);
      for (const password of passwords) expect(text).not.toContain(password);
    });

    it('records a failure per resource when no token can be had for the project', async () => {
      // The metering account reads every site-a project: a project that does not exist it cannot.
      const sample = await sampleProjectUsage(
        sessions.metering!,
        '00000000000000000000000000000000',
      );
      expect(sample.servers).toEqual([]);
      expect(new Set(sample.errors.map(e => e.kind))).toEqual(
        new Set(['auth']),
      );
      expect(sample.errors.map(e => e.resource).sort()).toEqual(
        [
          'floatingIps',
          'images',
          'loadBalancers',
          'routers',
          'servers',
          'snapshots',
          'volumes',
        ].sort(),
      );
    });
  },
);
