import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  meteringRunResponseSchema,
  projectUsageResponseSchema,
  projectWorkloadsResponseSchema,
} from '@fedstack/plugin-openstack-common';
import { OpenStackSession } from '@fedstack/plugin-openstack-node';
import request from 'supertest';
import { openstackPlugin } from '../plugin';
import {
  SANDBOX_SITES,
  sandboxCredentialSet,
  sandboxLive,
  sandboxReader,
  sandboxSiteEntity,
  waitFor,
} from '../__testUtils__/sandbox';

// Metering through the backend: the scheduled job samples live site-a's projects with the
// metering account, and the REST serves ops's usage and workloads. The live part is skipped
// when the sandbox is not running, unless the test command requires it.
const env = process.env;
const { describeLive } = sandboxLive('FEDSTACK_SANDBOX_METERING_PASSWORD');
jest.setTimeout(90_000);

// Scans wait an hour (not what this test is about); metering fires at once.
const schedules = {
  scans: {
    schedule: {
      frequency: { hours: 24 },
      timeout: { minutes: 5 },
      initialDelay: { hours: 1 },
    },
  },
};

async function startBackend(schedule: object) {
  const backend = await startTestBackend({
    features: [
      openstackPlugin,
      catalogServiceMock.factory({
        entities: [
          sandboxSiteEntity('site-a', { profiles: 'egi-fedcloud' }),
          sandboxSiteEntity('site-a', {
            name: 'no-metering',
            profiles: 'egi-fedcloud',
            credentials: 'readeronly',
          }),
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          openstack: {
            credentialSets: {
              sandbox: sandboxCredentialSet('metering'),
              readeronly: {
                keystoneUrls: [SANDBOX_SITES['site-a'].keystoneUrl],
                reader: sandboxReader(),
              },
            },
            ...schedules,
            // No tenants here: every project the metering account may read.
            metering: { schedule, projects: 'visible' },
          },
        },
      }),
      mockServices.rootLogger.factory({ level: 'warn' }),
    ],
  });
  return { server: backend.server, stop: () => backend.stop() };
}

const usagePath = (projectId: string) =>
  `/api/openstack/sites/default/site-a/projects/${projectId}/usage`;

describe('metering REST input', () => {
  // Metering never fires here: nothing is asked of any site.
  let backend: Awaited<ReturnType<typeof startBackend>>;
  beforeAll(async () => {
    backend = await startBackend({
      frequency: { hours: 24 },
      timeout: { minutes: 5 },
      initialDelay: { hours: 1 },
    });
  });
  afterAll(() => backend.stop());

  it('400 on a bad from, naming it', async () => {
    const res = await request(backend.server).get(
      `${usagePath('abc')}?from=yesterday`,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/from/);
  });

  it('400 when from is not before to, or on an unknown parameter', async () => {
    const reversed = await request(backend.server).get(
      `${usagePath('abc')}?from=2026-11-23T10:00:00Z&to=2026-11-22T10:00:00Z`,
    );
    expect(reversed.status).toBe(400);
    const unknown = await request(backend.server).get(
      `${usagePath('abc')}?since=2026-11-23T10:00:00Z`,
    );
    expect(unknown.status).toBe(400);
    const badProject = await request(backend.server).get(
      '/api/openstack/sites/default/site-a/projects/a%20b/workloads',
    );
    expect(badProject.status).toBe(400);
  });

  it('404 for a site that is not in the catalog', async () => {
    for (const path of [
      '/api/openstack/sites/default/nowhere/projects/abc/usage',
      '/api/openstack/sites/default/nowhere/projects/abc/workloads',
    ]) {
      const res = await request(backend.server).get(path);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toContain('resource:default/nowhere');
    }
    const post = await request(backend.server).post(
      '/api/openstack/sites/default/nowhere/metering',
    );
    expect(post.status).toBe(404);
  });

  it('400 when asked to meter a site without a metering account', async () => {
    const res = await request(backend.server).post(
      '/api/openstack/sites/default/no-metering/metering',
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('no metering account');
  });

  it('answers an empty usage and no workloads for a project never sampled', async () => {
    const usage = await request(backend.server).get(
      `${usagePath('never')}?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z`,
    );
    expect(usage.status).toBe(200);
    expect(projectUsageResponseSchema.parse(usage.body)).toMatchObject({
      samples: [],
      usage: { samples: 0, vcpuHours: 0 },
    });
    const workloads = await request(backend.server).get(
      '/api/openstack/sites/default/site-a/projects/never/workloads',
    );
    expect(workloads.body).toEqual({
      siteRef: 'resource:default/site-a',
      projectId: 'never',
      takenAt: null,
      items: [],
    });
  });
});

describeLive('metering of the live sandbox through the backend', () => {
  let opsId: string;
  let backend: Awaited<ReturnType<typeof startBackend>>;
  beforeAll(async () => {
    const session = new OpenStackSession({
      keystoneUrl: SANDBOX_SITES['site-a'].keystoneUrl,
      credential: {
        type: 'password',
        username: 'metering',
        password: env.FEDSTACK_SANDBOX_METERING_PASSWORD ?? '',
      },
    });
    const projects = await session.identity.authProjects();
    session.close();
    if (!projects.ok) throw new Error(projects.error.message);
    opsId = projects.data.find(p => p.name === 'ops')!.id;
    backend = await startBackend({
      frequency: { minutes: 30 },
      timeout: { minutes: 5 },
    });
  });
  afterAll(() => backend?.stop());

  it('the scheduled job samples ops; the REST serves its usage and workloads', async () => {
    const usage = await waitFor(async () => {
      const res = await request(backend.server).get(usagePath(opsId));
      return res.status === 200 && res.body.samples.length > 0
        ? res
        : undefined;
    }, 'the scheduled metering of site-a');
    const body = projectUsageResponseSchema.parse(usage.body);
    expect(body.siteRef).toBe('resource:default/site-a');
    expect(body.samples[0]).toMatchObject({
      totals: { servers: 1, vcpus: 1, ramMb: 2048, diskGb: 10, routers: 1 },
      errors: [],
      unavailable: [
        {
          resource: 'loadBalancers',
          reason: 'no load-balancer service in the catalog',
        },
      ],
    });
    expect(body.samples[0].totals.volumeGb).toBeGreaterThanOrEqual(1);
    // One sample, holding for the hour after it: 1 vCPU-hour, 2 GB-hours of RAM.
    const takenAt = new Date(body.samples[0].takenAt);
    const hour = await request(backend.server).get(
      `${usagePath(opsId)}?from=${takenAt.toISOString()}&to=${new Date(
        takenAt.getTime() + 3_600_000,
      ).toISOString()}`,
    );
    expect(projectUsageResponseSchema.parse(hour.body).usage).toMatchObject({
      samples: 1,
      coveredHours: 1,
      serverHours: 1,
      vcpuHours: 1,
      ramGbHours: 2,
      diskGbHours: 10,
      routerHours: 1,
    });

    const workloads = await request(backend.server).get(
      `/api/openstack/sites/default/site-a/projects/${opsId}/workloads`,
    );
    expect(workloads.status).toBe(200);
    const items = projectWorkloadsResponseSchema.parse(workloads.body).items;
    expect(items).toEqual([
      expect.objectContaining({
        name: 'monitoring-probe-vm',
        status: 'BUILD',
        flavor: { name: 'm1.monitoring', vcpus: 1, ram: 2048, disk: 10 },
        workload: {
          'eu.egi.cloud.orchestrator': 'es.upv.grycap.im',
          'eu.egi.cloud.orchestrator.id': expect.any(String),
          'eu.egi.cloud.orchestrator.url': expect.stringMatching(/^https:/),
          'eu.egi.cloud.orchestrator.user': expect.any(String),
        },
      }),
    ]);
    expect(JSON.stringify([usage.body, workloads.body])).not.toContain(
      env.FEDSTACK_SANDBOX_METERING_PASSWORD ?? 'metering-secret',
    );
  });

  it('samples the site on demand', async () => {
    const res = await request(backend.server).post(
      '/api/openstack/sites/default/site-a/metering',
    );
    expect(res.status).toBe(200);
    const body = meteringRunResponseSchema.parse(res.body);
    expect(body.failures).toEqual([]);
    const ops = body.samples.find(s => s.projectId === opsId);
    expect(ops?.totals.vcpus).toBe(1);
    const usage = await request(backend.server).get(usagePath(opsId));
    expect(usage.body.samples.length).toBeGreaterThanOrEqual(2);
  });
});
