import { TestDatabaseId } from '@backstage/backend-test-utils';
import { ProjectUsageSample } from '@fedstack/plugin-openstack-node';
import { MeteringStore } from './MeteringStore';
import { storeTestDatabases } from '../__testUtils__/databases';

// The store on SQLite and on PostgreSQL (the sandbox's, when the test command runs).
const databases = storeTestDatabases();

async function storeFor(id: TestDatabaseId) {
  return new MeteringStore(await databases.migrated(id));
}

function sample(
  projectId: string,
  takenAt: string,
  vcpus: number,
): ProjectUsageSample {
  return {
    projectId,
    takenAt,
    servers: [
      {
        id: 'server-1',
        name: 'vm',
        status: 'ACTIVE',
        flavor: { name: 'm1', vcpus, ram: 2048 * vcpus, disk: 10 },
        deleted: false,
        createdAt: '2026-11-01T00:00:00Z',
        workload: { 'eu.egi.cloud.orchestrator.id': 'inf-1' },
      },
    ],
    volumes: [{ id: 'v', size: 5, status: 'in-use' }],
    snapshots: [],
    floatingIps: [],
    routers: [],
    loadBalancers: [],
    images: [{ id: 'i', size: 5 * 1024 ** 3, status: 'active' }],
    totals: {
      servers: 1,
      vcpus,
      ramMb: 2048 * vcpus,
      diskGb: 10,
      volumes: 1,
      volumeGb: 5,
      snapshots: 0,
      snapshotGb: 0,
      floatingIps: 0,
      routers: 0,
      loadBalancers: 0,
      images: 1,
      // Over 2^31: a bigint column.
      imageBytes: 5 * 1024 ** 3,
    },
    unavailable: [
      {
        resource: 'loadBalancers',
        reason: 'no load-balancer service in the catalog',
      },
    ],
    errors:
      vcpus === 4
        ? [{ resource: 'volumes', kind: 'http', status: 503, message: 'down' }]
        : [],
  };
}

describe.each(databases.ids)('MeteringStore on %p', databaseId => {
  it('keeps samples per project and lists a period with the sample before it', async () => {
    const store = await storeFor(databaseId);
    const site = 'resource:default/site-a';
    for (const [hour, vcpus] of [
      [9, 1],
      [10, 2],
      [11, 4],
      [12, 8],
    ]) {
      await store.addSample(
        site,
        sample(
          'ops',
          `2026-11-23T${String(hour).padStart(2, '0')}:00:00.000Z`,
          vcpus,
        ),
      );
    }
    await store.addSample(site, sample('other', '2026-11-23T10:30:00Z', 16));
    await store.addSample(
      'resource:default/site-b',
      sample('ops', '2026-11-23T10:30:00Z', 32),
    );

    const { before, samples } = await store.listSamples(site, 'ops', {
      from: new Date('2026-11-23T10:00:00Z'),
      to: new Date('2026-11-23T12:00:00Z'),
    });
    expect(before).toMatchObject({
      takenAt: '2026-11-23T09:00:00.000Z',
      totals: { vcpus: 1 },
    });
    expect(samples.map(s => [s.takenAt, s.totals.vcpus])).toEqual([
      ['2026-11-23T10:00:00.000Z', 2],
      ['2026-11-23T11:00:00.000Z', 4],
    ]);
    expect(samples[1]).toMatchObject({
      siteRef: site,
      projectId: 'ops',
      totals: { imageBytes: 5 * 1024 ** 3, volumeGb: 5, ramMb: 8192 },
      errors: [{ resource: 'volumes', status: 503 }],
      unavailable: [{ resource: 'loadBalancers' }],
    });

    const latest = await store.latestSample(site, 'ops');
    expect(latest).toEqual(sample('ops', '2026-11-23T12:00:00.000Z', 8));

    const last = await store.lastTakenAt(site);
    expect(
      Object.fromEntries([...last].map(([p, at]) => [p, at.toISOString()])),
    ).toEqual({
      ops: '2026-11-23T12:00:00.000Z',
      other: '2026-11-23T10:30:00.000Z',
    });

    expect(await store.latestSample(site, 'nobody')).toBeUndefined();
    expect(await store.prune(new Date('2026-11-23T10:00:00Z'))).toBe(1);
    expect(
      (
        await store.listSamples(site, 'ops', {
          from: new Date('2026-11-23T10:00:00Z'),
          to: new Date('2026-11-24T00:00:00Z'),
        })
      ).before,
    ).toBeUndefined();
  });
});
