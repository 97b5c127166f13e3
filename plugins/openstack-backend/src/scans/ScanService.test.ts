import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ComplianceCatalogue } from '@fedstack/plugin-openstack-node';
import { ScanStore } from './ScanStore';
import { ScanService } from './ScanService';
import { RegisteredSite, SiteRegistry } from '../sites/SiteRegistry';
import { pluginConfig } from '../__testUtils__/config';
import { ABANDONED } from '../database/runLease';
import { storeTestDatabases } from '../__testUtils__/databases';
import { keystoneDownResult } from '../__testUtils__/scans';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SiteNotices } from './siteNotices';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
// The takeover of a dead backend's scan on SQLite, and on PostgreSQL when the test command runs.
const storeDatabases = storeTestDatabases();

// A site whose Keystone does not answer: nothing listens on 127.0.0.1:1.
const unreachable: RegisteredSite = {
  entityRef: 'resource:default/down',
  name: 'down',
  problems: [],
  site: {
    entityRef: 'resource:default/down',
    name: 'down',
    keystoneUrl: 'http://127.0.0.1:1/v3',
    profiles: ['tenant-platform'],
    credentials: 'set',
  },
};

const config = pluginConfig({
  credentialSets: {
    set: {
      keystoneUrls: ['http://127.0.0.1:1/v3'],
      reader: {
        type: 'password',
        username: 'u',
        password: 'p4ssw0rd',
        userDomain: 'Default',
        projectDomain: 'Default',
      },
    },
  },
  scans: {
    schedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
    concurrency: 2,
    requestTimeoutMs: 2000,
  },
  replication: {
    schedule: { frequency: { hours: 24 }, timeout: { hours: 1 } },
    landingZones: [],
    concurrency: 4,
  },
  profiles: {},
  network: {},
});

describe('ScanService and site notices', () => {
  it('tells the owners once when the third scan in a row reaches no Keystone', async () => {
    const knex = await databases.init('SQLITE_3');
    await knex.migrate.latest({
      directory: resolvePackagePath(
        '@fedstack/plugin-openstack-backend',
        'migrations',
      ),
    });
    const sent: Array<{ payload: { title: string; scope?: string } }> = [];
    const notifications = {
      send: async (n: (typeof sent)[number]) => {
        sent.push(n);
      },
    } as unknown as NotificationService;
    const service = new ScanService({
      store: new ScanStore(knex),
      registry: {
        listSites: async () => [unreachable],
        getSite: async () => unreachable,
      } as unknown as SiteRegistry,
      config,
      logger: mockServices.logger.mock(),
      siteNotices: new SiteNotices({ notifications, db: knex, digest: 'none' }),
    });
    const titles = () =>
      sent
        .filter(n => n.payload.scope?.endsWith(':scans'))
        .map(n => n.payload.title);
    try {
      for (let i = 0; i < 2; i++)
        await (
          await service.trigger(unreachable.entityRef, 'manual')
        ).done;
      expect(titles()).toEqual([]);
      await (
        await service.trigger(unreachable.entityRef, 'manual')
      ).done;
      expect(titles()).toEqual(['OpenStack site down: scans keep failing']);
      // The fourth says nothing more.
      await (
        await service.trigger(unreachable.entityRef, 'manual')
      ).done;
      expect(titles()).toHaveLength(1);
    } finally {
      service.close();
    }
  });
});

describe('ScanService.scanFleet', () => {
  it('scans a site whose Keystone did not answer once more, and only once', async () => {
    const knex = await databases.init('SQLITE_3');
    await knex.migrate.latest({
      directory: resolvePackagePath(
        '@fedstack/plugin-openstack-backend',
        'migrations',
      ),
    });
    const store = new ScanStore(knex);
    const registry = {
      listSites: async () => [unreachable],
      getSite: async () => unreachable,
    } as unknown as SiteRegistry;
    const service = new ScanService({
      store,
      registry,
      config,
      logger: mockServices.logger.mock(),
    });
    try {
      await service.scanFleet();
      // Scheduled scans close their site's clients: a fleet's memory does not grow with it.
      expect(service.openClients).toBe(0);
      const manual = await service.trigger(unreachable.entityRef, 'manual');
      await manual.done;
      // A manual scan keeps them, so that a scan soon after reuses the tokens.
      expect(service.openClients).toBe(1);
    } finally {
      service.close();
    }
    const scans = await store.listScans('resource:default/down', 10);
    expect(scans.map(s => [s.status, s.trigger])).toEqual([
      ['completed', 'manual'],
      ['completed', 'schedule'],
      ['completed', 'schedule'],
    ]);
    const results = await store.getResults(scans[1].id);
    expect(results.find(r => r.checkId === 'keystone.reachable')).toMatchObject(
      { status: 'fail', message: expect.stringContaining('ECONNREFUSED') },
    );
    // Each scan recorded the checks it runs: exactly those it stored a result of (what tells
    // whoever closes it after its backend died whether every check ended).
    const [{ plan }] = await knex('openstack_scans')
      .where({ id: scans[1].id })
      .select('plan');
    expect(JSON.parse(plan)).toEqual({
      checks: expect.any(Array),
      profiles: ['tenant-platform'],
      profileSettings: {},
      // The profile as scored, kept with the scan.
      definitions: [
        expect.objectContaining({
          id: 'tenant-platform',
          checks: [...JSON.parse(plan).checks],
          weights: {},
        }),
      ],
    });
    expect([...JSON.parse(plan).checks].sort()).toEqual(
      results.map(r => r.checkId).sort(),
    );
  });

  it("starts a slot's next site when a scan's checks end, while that scan is stored", async () => {
    const knex = await databases.init('SQLITE_3');
    await knex.migrate.latest({
      directory: resolvePackagePath(
        '@fedstack/plugin-openstack-backend',
        'migrations',
      ),
    });
    const sites = ['down-1', 'down-2'].map(name => ({
      ...unreachable,
      entityRef: `resource:default/${name}`,
      name,
      site: {
        ...unreachable.site!,
        entityRef: `resource:default/${name}`,
        name,
      },
    }));
    const store = new ScanStore(knex);
    const order: string[] = [];
    const siteOf = new Map<string, string>();
    let secondStarted = () => {};
    const second = new Promise<void>(resolve => {
      secondStarted = resolve;
    });
    const createScan = store.createScan.bind(store);
    jest.spyOn(store, 'createScan').mockImplementation(async row => {
      siteOf.set(row.id, row.siteRef);
      order.push(`start ${row.siteRef}`);
      if (row.siteRef === sites[1].entityRef) secondStarted();
      return createScan(row);
    });
    const completeScan = store.completeScan.bind(store);
    jest
      .spyOn(store, 'completeScan')
      .mockImplementation(async (id, outcome, options) => {
        // The first scan's storing waits (a second at most) for the next site to start.
        if (siteOf.get(id) === sites[0].entityRef)
          await Promise.race([
            second,
            new Promise(resolve => setTimeout(resolve, 1000)),
          ]);
        order.push(`stored ${siteOf.get(id)}`);
        return completeScan(id, outcome, options);
      });
    const registry = {
      listSites: async () => sites,
      getSite: async (ref: string) => sites.find(s => s.entityRef === ref),
    } as unknown as SiteRegistry;
    const service = new ScanService({
      store,
      registry,
      config: { ...config, scans: { ...config.scans, concurrency: 1 } },
      logger: mockServices.logger.mock(),
    });
    try {
      await service.scanFleet();
    } finally {
      service.close();
    }
    const [first, next] = sites.map(s => s.entityRef);
    // One slot: the second site started before the first scan was stored; each unreachable
    // site was scanned once more after the rest, and every scan was stored before the end.
    expect(order.slice(0, 3)).toEqual([
      `start ${first}`,
      `start ${next}`,
      `stored ${first}`,
    ]);
    expect(order.filter(o => o.startsWith('start')).length).toBe(4);
    expect(order.filter(o => o.startsWith('stored')).length).toBe(4);
    for (const ref of [first, next])
      expect((await store.listScans(ref, 10)).map(scan => scan.status)).toEqual(
        ['completed', 'completed'],
      );
  });
});

describe.each(storeDatabases.ids)(
  'ScanService closing a dead backend’s scans on %p',
  databaseId => {
    it('completes one whose checks all ended with their results, and keeps those of one cut short', async () => {
      const knex = await storeDatabases.migrated(databaseId);
      const store = new ScanStore(knex);
      const checks = ComplianceCatalogue.builtIn()
        .checksFor(['tenant-platform'])
        .map(c => c.metadata.id);
      const plan = {
        checks,
        profiles: ['tenant-platform' as const],
        profileSettings: {},
      };
      // Two scans a backend started an hour ago and stopped renewing: every check of the first
      // stored its result, one check of the second did not.
      const startedAt = new Date(Date.now() - 60 * 60 * 1000);
      for (const [id, siteRef, stored] of [
        ['whole', 'resource:default/whole', checks],
        ['cut', 'resource:default/cut', checks.slice(1)],
      ] as const) {
        await store.createScan({
          id,
          siteRef,
          trigger: 'schedule',
          startedAt,
          plan,
        });
        for (const checkId of stored)
          await store.saveResult(id, {
            ...keystoneDownResult(checkId, checkId),
            startedAt: new Date(startedAt.getTime() + 1000).toISOString(),
            durationMs: 2000,
          });
      }
      // A third whose stored result cannot be read: closed as abandoned all the same.
      await store.createScan({
        id: 'broken',
        siteRef: 'resource:default/broken',
        trigger: 'schedule',
        startedAt,
        plan: { ...plan, checks: ['keystone.reachable'] },
      });
      await knex('openstack_check_results').insert({
        scan_id: 'broken',
        check_id: 'keystone.reachable',
        status: 'error',
        severity: 'critical',
        area: 'identity',
        result: '{not json',
      });
      const registry = {
        listSites: async () => [],
        getSite: async () => undefined,
      } as unknown as SiteRegistry;
      const service = new ScanService({
        store,
        registry,
        config,
        logger: mockServices.logger.mock(),
      });
      try {
        // The fleet run closes stale scans first (and has no site to scan here).
        await service.scanFleet();
      } finally {
        service.close();
      }

      const whole = await store.getScan('whole');
      expect(whole).toMatchObject({
        status: 'completed',
        error: null,
        // Its last check ended 3 s after the start.
        durationMs: 3000,
        tokensIssued: null,
        requests: null,
      });
      expect(whole?.profiles).toEqual([
        expect.objectContaining({
          profileId: 'tenant-platform',
          readiness: 'not-ready',
        }),
      ]);
      expect(
        (await store.getResults('whole')).map(r => r.checkId).sort(),
      ).toEqual([...checks].sort());

      expect(await store.getScan('cut')).toMatchObject({
        status: 'failed',
        error: ABANDONED,
      });
      expect(
        (await store.getResults('cut')).map(r => r.checkId).sort(),
      ).toEqual(checks.slice(1).sort());
      expect(await store.getScan('broken')).toMatchObject({
        status: 'failed',
        error: ABANDONED,
      });
    });
  },
);
