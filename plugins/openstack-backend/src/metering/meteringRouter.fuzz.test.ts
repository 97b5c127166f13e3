import { randomUUID } from 'node:crypto';
import { Server } from 'node:http';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { buildSample } from '@fedstack/plugin-openstack-node';
import fc from 'fast-check';
import {
  anyBody,
  dotSegmentSites,
  expectNo5xx as expectNo5xxAt,
  expectRefusedBeforeCatalog,
  hostileText,
  jsonBody,
  percent,
  queryStringOf,
  recordingCatalog,
  segment,
  SentBody,
  startRefusingKeystone,
} from '../__testUtils__/hostileInput';
import { siteEntity } from '../__testUtils__/sandbox';
import { MeteringStore } from './MeteringStore';
import {
  recordedAnswers,
  recordedBody,
} from '../__testUtils__/recordedMetering';
import { startOpenStackBackend } from '../__testUtils__/backend';

// Property: whatever a client sends to the metering API, the answer is 2xx or 4xx, never 5xx.
// Neither site is the sandbox: site-a has a stand-in Keystone that counts what reaches it and
// refuses every token, so the on-demand metering the fuzz triggers ends there; site-b (a closed
// port) has no metering account. The usage and workload routes read samples built from the
// metering account's answers that `sandbox/record` recorded on site-a's ops project.
jest.setTimeout(300_000);
const RUNS = 1000;
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
let catalog: ReturnType<typeof recordingCatalog>;

const DAY_MS = 24 * 60 * 60 * 1000;
// The configured passwords: no answer may carry one.
const SECRETS = ['p4ss-reader', 'm3ter-metering'];
let keystoneHits: string[];
let keystone: Server;
let server: Server;
/** Statuses answered, by route: the fuzz must reach past validation. */
const seen: Record<string, number[]> = {};
/** 200s that carried stored rows: the fuzz must reach the samples, not only empty answers. */
const withRows: Record<string, number> = {};
/** Requests sent, by route. */
const sentCount: Record<string, number> = {};

const opsServers = recordedBody('metering-ops-compute-servers-detail-2.47')
  .servers as Array<{ tenant_id: string }>;
const opsProjectId = opsServers[0].tenant_id;

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
        credentials: 'metered',
      }),
      siteEntity({
        name: 'site-b',
        keystoneUrl: 'http://127.0.0.1:9/v3',
        profiles: 'egi-fedcloud',
        credentials: 'reader-only',
      }),
    ])).factory,
    features: [
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    ],
    openstack: {
      credentialSets: {
        metered: {
          keystoneUrls: [keystoneUrl],
          reader: {
            type: 'password',
            username: 'u',
            password: SECRETS[0],
          },
          metering: {
            type: 'password',
            username: 'm',
            password: SECRETS[1],
          },
        },
        'reader-only': {
          keystoneUrls: ['http://127.0.0.1:9/v3'],
          reader: {
            type: 'password',
            username: 'u',
            password: SECRETS[0],
          },
        },
      },
      network: { allow: ['127.0.0.0/8'] },
      // Every project the metering account may read: on demand, site-a's Keystone is asked.
      metering: { projects: 'visible' },
    },
  }));
  // Samples of ops over the past year and a half, so that generated periods hold some of them.
  const store = new MeteringStore(knex);
  const now = Date.now();
  for (const ago of [400 * DAY_MS, 30 * DAY_MS, 3 * DAY_MS, DAY_MS, 0]) {
    const takenAt = new Date(now - ago - 60_000);
    await store.addSample(
      'resource:default/site-a',
      buildSample(opsProjectId, takenAt, recordedAnswers()),
    );
  }
});

afterAll(async () => {
  await new Promise(resolve => keystone.close(resolve));
});

/** The answer must be 2xx–4xx; the statuses seen per route show the fuzz got past validation. */
async function expectNo5xx(
  route: string,
  method: 'get' | 'post',
  urlPath: string,
  sent?: SentBody,
) {
  const response = await expectNo5xxAt(server, method, urlPath, sent);
  if (SECRETS.some(secret => response.text.includes(secret)))
    throw new Error(`${urlPath} answered a configured password`);
  sentCount[route] = (sentCount[route] ?? 0) + 1;
  seen[route] = [...new Set([...(seen[route] ?? []), response.status])].sort();
  return response;
}

const site = fc.tuple(
  segment('default'),
  segment('site-a', 'site-b', 'nowhere'),
);
// Path separators and dots encoded every way, beside segment()'s hostile text.
const projectId = fc.oneof(
  { weight: 3, arbitrary: segment(opsProjectId, randomUUID(), 'a'.repeat(64)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'a%2Fb',
      'a%2fb',
      '..%2F..%2Fsites',
      '%2e%2e',
      '.',
      '..',
      'a'.repeat(65),
      `${opsProjectId}%00`,
      `${opsProjectId}%0A`,
      `${opsProjectId}%20`,
      '%E2%80%AE',
    ),
  },
);

// A quarter of the paths name ops on site-a, so that the queries reach its stored samples.
const project = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.constant<[[string, string], string]>([
      ['default', 'site-a'],
      opsProjectId,
    ]),
  },
  { weight: 3, arbitrary: fc.tuple(site, projectId) },
);

/** A time as a client may write it: ISO with Z or an offset, or almost ISO. */
const written = (date: Date) =>
  fc
    .constantFrom(
      (iso: string) => iso,
      (iso: string) => iso.replace('Z', '+00:00'),
      (iso: string) => iso.replace('Z', '+14:00'),
      (iso: string) => iso.replace('Z', '-12:00'),
      (iso: string) => iso.replace(/\.\d+Z$/, 'Z'),
      (iso: string) => iso.toLowerCase(),
      (iso: string) => iso.slice(0, 10),
      (iso: string) => iso.replace('T', ' '),
      (iso: string) => iso.replace('Z', ''),
      (_iso: string) => String(date.getTime()),
    )
    .map(format => format(date.toISOString()));

// Anything from year -271821 to +275760, and the weeks around the stored samples.
const anyDate = fc.oneof(
  fc.date({ noInvalidDate: true }),
  fc.date({
    noInvalidDate: true,
    min: new Date(Date.now() - 800 * DAY_MS),
    max: new Date(Date.now() + 30 * DAY_MS),
  }),
);
// From `from`: reversed, empty, a millisecond, a week, the most allowed and just over it.
const spans = fc.oneof(
  fc.constantFrom(
    -DAY_MS,
    -1,
    0,
    1,
    60 * 60 * 1000,
    7 * DAY_MS,
    366 * DAY_MS,
    366 * DAY_MS + 1,
    10 * 366 * DAY_MS,
  ),
  fc.integer({ min: -400 * DAY_MS, max: 400 * DAY_MS }),
);
const addTo = (date: Date, ms: number) => {
  const sum = new Date(date.getTime() + ms);
  return Number.isNaN(sum.getTime()) ? date : sum;
};
const timeText = fc.oneof(
  { weight: 3, arbitrary: anyDate.chain(written) },
  { weight: 1, arbitrary: hostileText },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T00:00:60Z',
      '2026-01-01T00:00:00+99:99',
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:59:59.999999999+23:59',
      '+275760-09-13T00:00:00.000Z',
      '-271821-04-20T00:00:00.000Z',
      'now',
      'yesterday',
    ),
  },
);

/** `?from=&to=`: well formed periods of every length, then the same with hostile keys around. */
const usageQuery = fc
  .tuple(
    fc.oneof(
      // A valid-looking pair: `to` at a span from `from`, each written in any way.
      anyDate
        .chain(from =>
          fc.tuple(
            written(from),
            spans.chain(span => written(addTo(from, span))),
          ),
        )
        .map(([from, to]) => [
          ['from', from],
          ['to', to],
        ]),
      fc
        .record({ from: timeText, to: timeText }, { requiredKeys: [] })
        .map(pairs => Object.entries(pairs)),
    ),
    // Sometimes more: repeated keys (arrays), brackets (objects), unknown keys.
    fc.array(
      fc.tuple(
        fc.constantFrom(
          'from',
          'to',
          'from[]',
          'to[a]',
          'from[__proto__]',
          'step',
          'bucket',
          'since',
          'limit',
          '__proto__',
          '__proto__[x]',
          'constructor[prototype][x]',
        ),
        fc.oneof(timeText, fc.constantFrom('1h', '1d', '0', '-1', '1e309')),
      ),
      { maxLength: 3 },
    ),
    fc.boolean(),
  )
  .map(([pairs, extra, withExtra]) => {
    const all = withExtra ? [...pairs, ...extra] : pairs;
    return all.length === 0
      ? ''
      : `?${all.map(([k, v]) => `${percent(k)}=${percent(v)}`).join('&')}`;
  });

const anyQuery = fc.oneof(
  { weight: 3, arbitrary: usageQuery },
  {
    weight: 1,
    arbitrary: queryStringOf(
      ['from', 'to', 'from[]', 'to[a]', 'step', '__proto__[x]'],
      [new Date().toISOString(), '2026-11-01T00:00:00Z', '1h'],
    ),
  },
);

// The POST reads no body; the JSON parser before it (the tenant router's) reads up to 256 kB.
const runBody = fc.oneof(
  {
    weight: 1,
    arbitrary: fc
      .record(
        {
          projects: fc.oneof(
            fc.array(fc.constantFrom(opsProjectId, 'never', '*')),
            fc.jsonValue(),
          ),
          dryRun: fc.jsonValue(),
          siteRef: fc.constantFrom(
            'resource:default/site-b',
            'resource:default/nowhere',
          ),
        },
        { requiredKeys: [] },
      )
      .map(jsonBody),
  },
  { weight: 1, arbitrary: anyBody(256 * 1024) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const routes: Array<[string, () => fc.IAsyncProperty<any>]> = [
  [
    'GET /sites/:namespace/:name/projects/:projectId/usage',
    () =>
      fc.asyncProperty(
        project,
        anyQuery,
        async ([[namespace, name], id], query) => {
          const response = await expectNo5xx(
            'usage',
            'get',
            `/sites/${namespace}/${name}/projects/${id}/usage${query}`,
          );
          if (response.status === 200 && response.body.samples?.length > 0)
            withRows.usage = (withRows.usage ?? 0) + 1;
        },
      ),
  ],
  [
    'GET /sites/:namespace/:name/projects/:projectId/workloads',
    () =>
      fc.asyncProperty(
        project,
        anyQuery,
        async ([[namespace, name], id], query) => {
          const response = await expectNo5xx(
            'workloads',
            'get',
            `/sites/${namespace}/${name}/projects/${id}/workloads${query}`,
          );
          if (response.status === 200 && response.body.items?.length > 0)
            withRows.workloads = (withRows.workloads ?? 0) + 1;
        },
      ),
  ],
  [
    'POST /sites/:namespace/:name/metering',
    () =>
      fc.asyncProperty(
        site,
        anyQuery,
        runBody,
        async ([namespace, name], query, sent) => {
          await expectNo5xx(
            'metering',
            'post',
            `/sites/${namespace}/${name}/metering${query}`,
            sent,
          );
        },
      ),
  ],
];

describe('the metering API never answers 5xx', () => {
  it.each(routes)('%s', async (_route, property) => {
    await expect(
      fc.assert(property(), { numRuns: RUNS }),
    ).resolves.toBeUndefined();
  });

  it('got past validation: stored samples and workloads served, sites metered', () => {
    for (const route of ['usage', 'workloads', 'metering'])
      expect(sentCount[route]).toBeGreaterThanOrEqual(RUNS);
    expect(seen.usage).toEqual(expect.arrayContaining([200, 400, 404]));
    expect(seen.workloads).toEqual(expect.arrayContaining([200, 400, 404]));
    expect(seen.metering).toEqual(expect.arrayContaining([200, 400, 404]));
    expect(withRows.usage).toBeGreaterThan(0);
    expect(withRows.workloads).toBeGreaterThan(0);
  });

  it('reached only the stand-in Keystone, and only to ask for a token', () => {
    expect(keystoneHits.length).toBeGreaterThan(0);
    expect(
      keystoneHits.filter(hit => !hit.startsWith('POST /v3/auth/tokens')),
    ).toEqual([]);
  });
});

describe('a dot segment as a site namespace or name is refused before any catalog call', () => {
  it.each([
    ['get', (at: string) => `${at}/projects/p1/usage`],
    ['get', (at: string) => `${at}/projects/p1/workloads`],
    ['post', (at: string) => `${at}/metering`],
  ] as const)('%s /sites/:namespace/:name…', async (method, pathOf) => {
    for (const [namespace, name, part] of dotSegmentSites('default', 'site-a'))
      await expectRefusedBeforeCatalog(
        server,
        catalog,
        method,
        pathOf(`/sites/${namespace}/${name}`),
        part,
      );
    expect(catalog.dotted()).toEqual([]);
  });

  it('and none reached the catalog during the fuzz either', () => {
    expect(catalog.dotted()).toEqual([]);
  });
});
