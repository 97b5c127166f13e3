import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { MeteringStore } from './MeteringStore';
import { pluginConfig } from '../__testUtils__/config';
import { MeteringService } from './MeteringService';
import { RegisteredSite, SiteRegistry } from '../sites/SiteRegistry';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

// Sites whose Keystone does not answer: nothing listens on 127.0.0.1:1.
const site = (name: string, credentials: string): RegisteredSite => ({
  entityRef: `resource:default/${name}`,
  name,
  problems: [],
  site: {
    entityRef: `resource:default/${name}`,
    name,
    keystoneUrl: 'http://127.0.0.1:1/v3',
    profiles: ['tenant-platform'],
    credentials,
  },
});
const sites = [site('down', 'metered'), site('plain', 'readerOnly')];

const account = {
  type: 'password' as const,
  username: 'u',
  password: 'p4ssw0rd',
  userDomain: 'Default',
  projectDomain: 'Default',
};
// Only what metering reads (the replication's settings left out).
const config = pluginConfig({
  credentialSets: {
    metered: {
      keystoneUrls: ['http://127.0.0.1:1/v3'],
      reader: account,
      metering: { ...account, username: 'm' },
    },
    readerOnly: { keystoneUrls: ['http://127.0.0.1:1/v3'], reader: account },
  },
  scans: {
    schedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
    concurrency: 2,
    requestTimeoutMs: 2000,
  },
  metering: {
    schedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
    concurrency: 2,
    projects: 'tenants',
  },
  profiles: {},
  network: {},
});

async function serviceWith(targets: Array<[string, string]>) {
  const knex = await databases.init('SQLITE_3');
  await knex.migrate.latest({
    directory: resolvePackagePath(
      '@fedstack/plugin-openstack-backend',
      'migrations',
    ),
  });
  const store = new MeteringStore(knex);
  const registry = {
    listSites: async () => sites,
    getSite: async (ref: string) => sites.find(s => s.entityRef === ref),
  } as unknown as SiteRegistry;
  const logger = mockServices.logger.mock();
  const service = new MeteringService({
    store,
    registry,
    config,
    logger,
    targets: async () =>
      targets.map(([name, projectId]) => ({
        siteRef: `resource:default/${name}`,
        projectId,
      })),
  });
  return { service, store, logger };
}

describe('MeteringService', () => {
  it('meters every target; one that cannot be sampled never stops the others', async () => {
    const { service, store } = await serviceWith([
      ['down', 'p1'],
      ['gone', 'p1'],
      ['plain', 'p1'],
      ['down', 'p2'],
      ['down', 'p3'],
    ]);
    let outcomes;
    try {
      outcomes = await service.meterAll();
    } finally {
      service.close();
    }
    const byTarget = Object.fromEntries(
      outcomes.map(o => [`${o.target.siteRef} ${o.target.projectId}`, o]),
    );
    expect(byTarget['resource:default/gone p1'].error).toBe(
      'No site resource:default/gone',
    );
    expect(byTarget['resource:default/plain p1'].error).toContain(
      'no metering account',
    );
    // Every call to the unreachable site failed: no sample of zeros is stored.
    for (const project of ['p1', 'p2', 'p3']) {
      const outcome = byTarget[`resource:default/down ${project}`];
      expect(outcome.sample).toBeUndefined();
      expect(outcome.error).toMatch(/^nothing could be read: /);
      expect(outcome.error).not.toContain('p4ssw0rd');
    }
    expect(outcomes).toHaveLength(5);
    expect((await store.lastTakenAt('resource:default/down')).size).toBe(0);
  });

  it('finds no projects on a site whose Keystone does not answer, and says so', async () => {
    const { service, logger } = await serviceWith([]);
    try {
      expect(await service.projectsOfEverySite()).toEqual([]);
    } finally {
      service.close();
    }
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Metering: cannot list the projects of resource:default/down',
      ),
    );
  });
});
