import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ScanStore } from '../database/ScanStore';
import { ScanService } from './ScanService';
import { RegisteredSite, SiteRegistry } from './SiteRegistry';
import { OpenStackPluginConfig } from '../config';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

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

const config: OpenStackPluginConfig = {
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
};

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
  });
});
