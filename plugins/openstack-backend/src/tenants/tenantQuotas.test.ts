import { Server } from 'node:http';
import { ConfigReader } from '@backstage/config';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { readOpenStackConfig } from '../config';
import {
  closedSiteConfig,
  closedSiteEntity,
  startOpenStackBackend,
} from '../__testUtils__/backend';

// Issue 17 item 2: a landing zone's ceilings bind every quota key of a request, not only the
// keys it lists. Site-b's Keystone is a closed port: approved requests replicate nowhere.
jest.setTimeout(60_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const workspace = 'group:default/team-a';
const landingZones = [
  {
    id: 'quick',
    title: 'Quick',
    quotas: { compute: { cores: 4, key_pairs: 10 } },
    maxQuotas: { compute: { cores: 32 } },
    autoApproveUpTo: { compute: { cores: 8 } },
  },
  {
    id: 'open',
    title: 'Unlimited allowed',
    quotas: { blockStorage: { gigabytes_ssd: 10 } },
    autoApproveUpTo: { compute: { cores: 8 } },
    allowUnlimitedQuotas: true,
  },
];
let server: Server;

beforeAll(async () => {
  const knex = await databases.init('SQLITE_3');
  ({ server } = await startOpenStackBackend({
    knex,
    features: [
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    ],
    sites: [closedSiteEntity('site-b')],
    ownership: user => [user, workspace],
    openstack: {
      ...closedSiteConfig('replicator'),
      replication: { landingZones },
    },
    logLevel: 'none',
  }));
});

let project = 0;
const ask = (landingZone: string, extra: object) =>
  request(server)
    .post('/api/openstack/tenants')
    .set('Content-Type', 'application/json')
    .send(
      JSON.stringify({
        workspace,
        site: 'resource:default/site-b',
        project: `p${++project}`,
        landingZone,
        members: [{ euid: 'abc@egi.eu', role: 'admin' }],
        ...extra,
      }),
    );

describe('a tenant request’s quotas', () => {
  it.each([
    ['blockStorage', 'snapshots'],
    ['network', 'port'],
    ['compute', 'cores'],
  ])(
    '-1 for %s.%s: 400 naming it, unless the zone allows unlimited',
    async (service, key) => {
      const response = await ask('quick', {
        quotas: { [service]: { [key]: -1 } },
      });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain(
        `quotas.${service}.${key}: -1 (unlimited) is not allowed by landing zone quick`,
      );
    },
  );

  it('above the zone’s default for a key it does not cap: waits for approval', async () => {
    const response = await ask('quick', {
      quotas: { compute: { key_pairs: 1e9 } },
    });
    expect(response.status).toBe(201);
    expect(response.body.status).toBe('requires-approval');
    const within = await ask('quick', {
      quotas: { compute: { key_pairs: 10 } },
    });
    expect(within.body.status).toBe('requested');
  });

  it('a key the zone names nowhere: waits for approval', async () => {
    const response = await ask('quick', { quotas: { network: { router: 1 } } });
    expect(response.status).toBe(201);
    expect(response.body.status).toBe('requires-approval');
  });

  it.each([
    ['compute', 'constructor', 'not a Nova quota key'],
    ['compute', 'toString', 'not a Nova quota key'],
    ['network', 'cores', 'not a Neutron quota key'],
    ['blockStorage', 'port', 'not a Cinder quota key'],
  ])('%s.%s: 400 naming the key', async (service, key, why) => {
    const response = await ask('quick', {
      quotas: { [service]: { [key]: 1 } },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain(
      `quotas.${service}.${key}: ${why}`,
    );
  });

  it('a __proto__ key: 400 naming it, not dropped', async () => {
    const response = await request(server)
      .post('/api/openstack/tenants')
      .set('Content-Type', 'application/json')
      .send(
        `{"workspace":"${workspace}","site":"resource:default/site-b","project":"proto","landingZone":"quick","quotas":{"compute":{"__proto__":1000}}}`,
      );
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain(
      'quotas.compute.__proto__: not a quota key',
    );
  });

  it('a volume type key only when the zone names it', async () => {
    const unnamed = await ask('quick', {
      quotas: { blockStorage: { gigabytes_ssd: 5 } },
    });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.error.message).toContain(
      'quotas.blockStorage.gigabytes_ssd: landing zone quick names no quota for this volume type',
    );
    const named = await ask('open', {
      quotas: { blockStorage: { gigabytes_ssd: 5 } },
    });
    expect(named.status).toBe(201);
    expect(named.body.status).toBe('requested');
  });

  it('-1 where the zone allows unlimited: accepted, but waits for approval', async () => {
    const response = await ask('open', { quotas: { compute: { cores: -1 } } });
    expect(response.status).toBe(201);
    expect(response.body.status).toBe('requires-approval');
  });

  it('a member role inherited from Object.prototype: 400', async () => {
    const response = await ask('quick', {
      members: [{ euid: 'abc@egi.eu', role: 'constructor' }],
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain(
      'members.0.role: constructor is not a role of landing zone quick',
    );
  });
});

describe('landing zones at start', () => {
  it('refuse a quota key the service does not have, naming it', () => {
    const read = () =>
      readOpenStackConfig(
        new ConfigReader({
          openstack: {
            replication: {
              landingZones: [
                {
                  id: 'bad',
                  title: 'Bad',
                  quotas: { compute: { cores: 4, floatingip: 2 } },
                  autoApproveUpTo: { network: { ports: 10 } },
                },
              ],
            },
          },
        }),
      );
    expect(read).toThrow(
      /replication\.landingZones\.0\.quotas\.compute\.floatingip: not a Nova quota key/,
    );
    expect(read).toThrow(
      /replication\.landingZones\.0\.autoApproveUpTo\.network\.ports: not a Neutron quota key/,
    );
  });
});
