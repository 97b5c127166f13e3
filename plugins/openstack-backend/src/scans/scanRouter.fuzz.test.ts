import { randomUUID } from 'node:crypto';
import { Server } from 'node:http';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import fc from 'fast-check';
import {
  anyBody,
  dotSegmentSites,
  expectNo5xx as expectNo5xxAt,
  expectRefusedBeforeCatalog,
  queryStringOf,
  recordingCatalog,
  segment,
  SentBody,
} from '../__testUtils__/hostileInput';
import { keystoneDownResult, storeFinishedScan } from '../__testUtils__/scans';
import { openstackPlugin } from '../plugin';
import { localSite } from '../__testUtils__/localSite';

// Property: whatever a client sends to the scan API, the answer is 2xx or 4xx, never 5xx.
// The one registered site points at a closed port on loopback and the network policy allows
// loopback only, so a scan the fuzz triggers fails at once without leaving the machine.
jest.setTimeout(120_000);
const RUNS = 1000;
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const registered = localSite('http://127.0.0.1:9/v3');
const catalog = recordingCatalog([registered.entity]);

let server: Server;
let scanId: string;

beforeAll(async () => {
  const knex = await databases.init('SQLITE_3');
  ({ server } = await startTestBackend({
    features: [
      openstackPlugin,
      mockServices.database.factory({ knex }),
      catalog.factory,
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootConfig.factory({
        data: {
          openstack: {
            ...registered.config,
            network: { allow: ['127.0.0.0/8'] },
          },
        },
      }),
    ],
  }));
  // A finished scan, so that some generated ids and check ids reach the database rows.
  scanId = await storeFinishedScan(knex, 'resource:default/site-a', [
    keystoneDownResult('keystone.tls', 'Keystone is served over valid TLS'),
  ]);
});

const queryString = queryStringOf(
  [
    'limit',
    'format',
    'limit[]',
    'limit[a]',
    'format[0]',
    'format[__proto__]',
    '__proto__',
    '__proto__[x]',
    'constructor[prototype][x]',
  ],
  ['1', '50', '500', '501', '0', '-1', 'json', 'csv', 'junit'],
);

// The scan router reads JSON bodies up to 64 kB.
const body = anyBody(64 * 1024);

const expectNo5xx = (method: 'get' | 'post', path: string, sent?: SentBody) =>
  expectNo5xxAt(server, method, path, sent);

const site = fc.tuple(segment('default'), segment('site-a', 'nowhere'));
const scan = () => segment(scanId, randomUUID());

// Properties are made inside the test: the generators need the scan id made in beforeAll.
const routes: Array<[string, () => fc.IAsyncProperty<any>]> = [
  [
    'GET /sites',
    () =>
      fc.asyncProperty(queryString, async query => {
        await expectNo5xx('get', `/sites${query}`);
      }),
  ],
  [
    'GET /sites/:namespace/:name',
    () =>
      fc.asyncProperty(site, queryString, async ([namespace, name], query) => {
        await expectNo5xx('get', `/sites/${namespace}/${name}${query}`);
      }),
  ],
  [
    'GET /sites/:namespace/:name/scans?limit',
    () =>
      fc.asyncProperty(site, queryString, async ([namespace, name], query) => {
        await expectNo5xx('get', `/sites/${namespace}/${name}/scans${query}`);
      }),
  ],
  [
    'POST /sites/:namespace/:name/scans',
    () =>
      fc.asyncProperty(site, body, async ([namespace, name], sent) => {
        await expectNo5xx('post', `/sites/${namespace}/${name}/scans`, sent);
      }),
  ],
  [
    'GET /scans/:id',
    () =>
      fc.asyncProperty(scan(), queryString, async (id, query) => {
        await expectNo5xx('get', `/scans/${id}${query}`);
      }),
  ],
  [
    'GET /scans/:id/checks/:checkId',
    () =>
      fc.asyncProperty(
        scan(),
        segment('keystone.tls', 'keystone.v3'),
        async (id, checkId) => {
          await expectNo5xx('get', `/scans/${id}/checks/${checkId}`);
        },
      ),
  ],
  [
    'GET /export?format',
    () =>
      fc.asyncProperty(queryString, async query => {
        await expectNo5xx('get', `/export${query}`);
      }),
  ],
  [
    'GET /scans/:id/events',
    () =>
      fc.asyncProperty(scan(), async id => {
        await expectNo5xx('get', `/scans/${id}/events`);
      }),
  ],
];

describe('the scan API never answers 5xx', () => {
  it.each(routes)('%s', async (_route, property) => {
    await expect(
      fc.assert(property(), { numRuns: RUNS }),
    ).resolves.toBeUndefined();
  });
});

describe('a dot segment as a site namespace or name is refused before any catalog call', () => {
  it.each([
    ['get', (at: string) => at],
    ['get', (at: string) => `${at}/scans`],
    ['post', (at: string) => `${at}/scans`],
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
