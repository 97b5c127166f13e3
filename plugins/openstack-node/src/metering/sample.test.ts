import { z } from 'zod';
import { HttpResult } from '../client/http';
import { OpenStackSession } from '../client/session';
import { serverSchema } from '../client/compute/servers';
import { volumeSchema } from '../client/blockstorage/volumes';
import { snapshotSchema } from '../client/blockstorage/snapshots';
import { floatingIpSchema } from '../client/network/floatingips';
import { routerSchema } from '../client/network/routers';
import { imageSchema } from '../client/image/images';
import {
  FixtureSite,
  loadFixture,
  startFixtureSite,
} from '../testing/sandboxFixtures';
import {
  buildSample,
  projectUsageSampleSchema,
  sampleProjectUsage,
  SampleAnswers,
  workloadOf,
} from './sample';

// The metering account's own view of site-a's ops project, as `sandbox/record` recorded it
// with a token scoped to ops (fixtures `metering-ops-*`).
function recorded<T>(
  name: string,
  key: string,
  schema: z.ZodType<T>,
): HttpResult<T[]> {
  const body = loadFixture('site-a', name).response.body as Record<
    string,
    unknown
  >;
  return {
    ok: true,
    status: 200,
    data: z.array(schema).parse(body[key]),
    headers: {},
  } as unknown as HttpResult<T[]>;
}

const opsProjectId = (
  loadFixture('site-a', 'metering-ops-compute-servers-detail-2.47').response
    .body as { servers: Array<{ tenant_id: string }> }
).servers[0].tenant_id;

const takenAt = new Date('2026-11-23T20:00:00Z');

function recordedAnswers(): SampleAnswers {
  return {
    servers: recorded(
      'metering-ops-compute-servers-detail-2.47',
      'servers',
      serverSchema,
    ),
    changedServers: recorded(
      'metering-ops-compute-servers-detail-changes-since-2.47',
      'servers',
      serverSchema,
    ),
    volumes: recorded(
      'metering-ops-volume-volumes-detail',
      'volumes',
      volumeSchema,
    ),
    snapshots: recorded(
      'metering-ops-volume-snapshots-detail',
      'snapshots',
      snapshotSchema,
    ),
    floatingIps: recorded(
      'metering-ops-network-floatingips',
      'floatingips',
      floatingIpSchema,
    ),
    routers: recorded('metering-ops-network-routers', 'routers', routerSchema),
    loadBalancers: {
      ok: false,
      error: {
        kind: 'catalog',
        message: 'no public endpoint for load-balancer in the catalog',
      },
    },
    images: recorded('metering-ops-image-images', 'images', imageSchema),
  };
}

describe('buildSample (recorded answers of the metering account on ops)', () => {
  it('describes the server with its embedded flavor and its workload', () => {
    const sample = buildSample(opsProjectId, takenAt, recordedAnswers());
    expect(projectUsageSampleSchema.parse(sample)).toEqual(sample);
    expect(sample.servers).toEqual([
      {
        id: expect.any(String),
        name: 'monitoring-probe-vm',
        status: 'BUILD',
        flavor: { name: 'm1.monitoring', vcpus: 1, ram: 2048, disk: 10 },
        deleted: false,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        workload: {
          'eu.egi.cloud.orchestrator': 'es.upv.grycap.im',
          'eu.egi.cloud.orchestrator.id':
            '0afdc7ba-bf5d-11ed-9e89-86ce117c3fcf',
          'eu.egi.cloud.orchestrator.url':
            'https://appsgrycap.i3m.upv.es:31443/im',
          'eu.egi.cloud.orchestrator.user': '__OPENID__sandbox',
        },
      },
    ]);
  });

  it('sums the totals, and says the load balancers are not offered', () => {
    const sample = buildSample(opsProjectId, takenAt, recordedAnswers());
    expect(sample.volumes).toEqual([
      {
        id: expect.any(String),
        name: 'ops-data',
        size: 1,
        type: '__DEFAULT__',
        status: 'creating',
      },
    ]);
    expect(sample.routers.map(r => r.name)).toEqual(['ops-router']);
    // egi-probe-image is public but owned by the admin project: not ops's usage.
    expect(sample.images).toEqual([]);
    expect(sample.totals).toEqual({
      servers: 1,
      vcpus: 1,
      ramMb: 2048,
      diskGb: 10,
      volumes: 1,
      volumeGb: 1,
      snapshots: 0,
      snapshotGb: 0,
      floatingIps: 0,
      routers: 1,
      loadBalancers: 0,
      images: 0,
      imageBytes: 0,
    });
    expect(sample.unavailable).toEqual([
      {
        resource: 'loadBalancers',
        reason: 'no load-balancer service in the catalog',
      },
    ]);
    expect(sample.errors).toEqual([]);
  });

  it('keeps deleted servers out of the totals but in the sample', () => {
    // The sandbox has no deleted server (no compute service runs there): the recorded one is
    // given Nova's `DELETED` status, as `changes-since` lists a deleted server.
    const answers = recordedAnswers();
    const changed = answers.changedServers.ok
      ? answers.changedServers.data.map(s => ({
          ...s,
          id: `${s.id}-gone`,
          status: 'DELETED',
        }))
      : [];
    const sample = buildSample(opsProjectId, takenAt, {
      ...answers,
      changedServers: { ...answers.changedServers, data: changed } as never,
    });
    expect(sample.servers.map(s => [s.status, s.deleted])).toEqual([
      ['DELETED', true],
      ['BUILD', false],
    ]);
    expect(sample.totals.servers).toBe(1);
    expect(sample.totals.vcpus).toBe(1);
  });

  it('records a failing call and still takes the rest', () => {
    const sample = buildSample(opsProjectId, takenAt, {
      ...recordedAnswers(),
      volumes: {
        ok: false,
        error: { kind: 'http', status: 503, message: 'HTTP 503' },
      },
    });
    expect(sample.errors).toEqual([
      { resource: 'volumes', kind: 'http', status: 503, message: 'HTTP 503' },
    ]);
    expect(sample.volumes).toEqual([]);
    expect(sample.servers).toHaveLength(1);
    expect(sample.totals.volumeGb).toBe(0);
  });

  it('takes only the orchestrator keys as a workload', () => {
    expect(
      workloadOf({
        'eu.egi.cloud.orchestrator.id': 'x',
        'eu.egi.cloud.orchestratorx': 'no',
        other: 'no',
      }),
    ).toEqual({ 'eu.egi.cloud.orchestrator.id': 'x' });
    expect(workloadOf({ other: 'no' })).toBeUndefined();
  });
});

describe('sampleProjectUsage (replayed site-a)', () => {
  let site: FixtureSite;
  let session: OpenStackSession;
  beforeAll(async () => {
    site = await startFixtureSite('site-a');
    session = new OpenStackSession({
      keystoneUrl: site.keystoneUrl,
      credential: {
        type: 'password',
        username: 'metering',
        password: 'metering-secret',
      },
      httpOptions: { timeoutMs: 2000 },
      now: () => site.recordedAt.getTime(),
    });
  });
  afterAll(async () => {
    session.close();
    await site.close();
  });

  it('asks Nova with microversion 2.47 and changes-since, and records what failed', async () => {
    const sample = await sampleProjectUsage(session, opsProjectId, {
      now: () => takenAt,
    });
    expect(sample.takenAt).toBe(takenAt.toISOString());
    expect(sample.servers.map(s => [s.name, s.flavor.vcpus])).toEqual([
      ['monitoring-probe-vm', 1],
    ]);
    expect(sample.routers.map(r => r.name)).toEqual(['ops-router']);
    // Replayed, the token is the recorded admin one: its catalog puts Cinder under the admin
    // project, for which no ops volume list was recorded. The 404 is recorded per resource.
    expect(sample.errors.map(e => [e.resource, e.kind, e.status])).toEqual([
      ['volumes', 'http', 404],
      ['snapshots', 'http', 404],
    ]);
    expect(sample.unavailable.map(u => u.resource)).toEqual(['loadBalancers']);
    expect(sample.totals.vcpus).toBe(1);
  });
});
