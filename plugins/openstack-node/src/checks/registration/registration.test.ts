import { OpenStackSession } from '../../client/session';
import {
  GeneratedService,
  getServiceEndpointXml,
} from '../../sources/generatedDocuments';
import { LocalServer, startLocalServer } from '../../testing/localServer';
import { ExternalSources, SiteUnderTest } from '../context';
import { runChecks } from '../engine';
import { scanContextFor } from '../scan';
import { CheckResult } from '../types';
import { registrationGocdb } from './registrationGocdb';
import { registrationInfo } from './registrationInfo';

/*
 * Neither GOCDB nor the cloud information system can be reached from here (no internet), so no
 * recorded answer of theirs could be made: GOCDB's XML comes from the generator in
 * sources/generatedDocuments.ts, the information system's JSON is written below in the shape of
 * cloud-info-api's `/sites/` (`{id, name, url, state}`) and `/site/{id}/projects`
 * (`{id, name}`). These tests cover parsing and judging.
 */
const KEYSTONE = 'https://keystone.example.org:5000/v3';
const SITE: SiteUnderTest = {
  name: 'example',
  keystoneUrl: KEYSTONE,
  gocdbName: 'EXAMPLE-CLOUD',
};

const nova = (over: Partial<GeneratedService> = {}): GeneratedService => ({
  key: '1234G0',
  hostname: 'keystone.example.org',
  type: 'org.openstack.nova',
  url: KEYSTONE,
  site: 'EXAMPLE-CLOUD',
  ...over,
});
const accounting: GeneratedService = {
  key: '1235G0',
  hostname: 'caso.example.org',
  type: 'eu.egi.cloud.accounting',
  site: 'EXAMPLE-CLOUD',
};

describe('registration checks (generated answers: no recorded GOCDB or information system)', () => {
  let server: LocalServer;
  let gocdbXml = '';
  let infoSites: unknown = [];
  let infoProjects: unknown = [];

  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      const url = new URL(req.url ?? '/', server.url);
      if (url.pathname === '/gocdbpi/public/') {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(gocdbXml);
      } else if (url.pathname === '/info/sites/') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(infoSites));
      } else if (url.pathname === '/info/site/1234G0/projects') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(infoProjects));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"detail":"Not Found"}');
      }
    });
  });
  afterAll(() => server.close());

  async function run(
    site: SiteUnderTest = SITE,
    sources: ExternalSources = {
      gocdbUrl: `${server.url}/gocdbpi/public/`,
      cloudInfoUrl: `${server.url}/info`,
    },
  ): Promise<Record<string, CheckResult>> {
    // Keystone is never asked: the checks use only the scan's http.
    const reader = new OpenStackSession({
      keystoneUrl: 'http://127.0.0.1:9/v3',
      credential: { type: 'password', username: 'unused', password: 'unused' },
      httpOptions: { timeoutMs: 2000 },
    });
    try {
      const results = await runChecks([registrationGocdb, registrationInfo], {
        contextFor: scanContextFor({ site, sessions: { reader }, sources }),
      });
      return Object.fromEntries(results.map(r => [r.checkId, r]));
    } finally {
      reader.close();
    }
  }

  it('skips without a GOCDB name or without the services configured', async () => {
    const noName = await run({ name: 'x', keystoneUrl: KEYSTONE });
    expect(noName['registration.gocdb'].status).toBe('skip');
    expect(noName['registration.info'].status).toBe('skip');
    const noUrls = await run(SITE, {});
    expect(noUrls['registration.gocdb'].message).toContain('No GOCDB API URL');
    expect(noUrls['registration.info'].message).toContain(
      'No cloud information system URL',
    );
  });

  it('passes a site registered as EGI expects, asking GOCDB by site name', async () => {
    gocdbXml = getServiceEndpointXml([nova(), accounting]);
    const results = await run();
    expect(results['registration.gocdb']).toMatchObject({
      status: 'pass',
      message: expect.stringContaining('org.openstack.nova 1234G0'),
    });
    const asked = server.requests.find(r => r.url.startsWith('/gocdbpi/'));
    expect(asked?.url).toBe(
      '/gocdbpi/public/?method=get_service_endpoint&sitename=EXAMPLE-CLOUD',
    );
    expect(results['registration.gocdb'].evidence[0].status).toBe(200);
  });

  it.each([
    [
      'a URL that differs by a slash',
      [nova({ url: `${KEYSTONE}/` }), accounting],
      /no org.openstack.nova service has the URL/,
    ],
    [
      'not in production',
      [nova({ production: 'N' }), accounting],
      /is not in production/,
    ],
    [
      'neither in production nor monitored',
      [nova({ monitored: 'N', production: 'N' }), accounting],
      /not in production and monitored/,
    ],
    ['no accounting service', [nova()], /no eu.egi.cloud.accounting service/],
    ['no nova service', [accounting], /no org.openstack.nova service/],
    ['no service at all', [], /GOCDB lists no service for site EXAMPLE-CLOUD/],
  ] as const)('fails with %s', async (_case, services, message) => {
    gocdbXml = getServiceEndpointXml([...services]);
    const results = await run();
    expect(results['registration.gocdb']).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(message),
    });
  });

  it("accepts the Keystone URL on one of the service's endpoints", async () => {
    gocdbXml = getServiceEndpointXml([
      nova({
        url: undefined,
        endpoints: [
          {
            id: '8282',
            name: 'keystone',
            url: KEYSTONE,
            type: 'org.openstack.nova',
          },
        ],
      }),
      accounting,
    ]);
    expect((await run())['registration.gocdb'].status).toBe('pass');
  });

  it('reports an error, not a verdict, when GOCDB answers something else', async () => {
    gocdbXml = '<html><body>Service Unavailable</body></html>';
    const results = await run();
    expect(results['registration.gocdb']).toMatchObject({
      status: 'error',
      message: expect.stringContaining('expected <results>'),
    });
  });

  it('judges the cloud information system: listed, same URL, projects', async () => {
    infoSites = [
      { id: '1234G0', name: 'EXAMPLE-CLOUD', url: KEYSTONE, state: '' },
      {
        id: '9999G0',
        name: 'OTHER',
        url: 'https://other.example.org:5000/v3',
        state: '',
      },
    ];
    infoProjects = [
      { id: 'f42fad5b8d4b450b931f936d227e6e53', name: 'ops' },
      { id: 'c21e15992b074fd186d922187ad95ea2', name: 'vo.access.egi.eu' },
    ];
    expect((await run())['registration.info']).toMatchObject({
      status: 'pass',
      message: expect.stringContaining('2 project(s): ops, vo.access.egi.eu'),
    });

    infoProjects = [];
    expect((await run())['registration.info'].status).toBe('warn');

    infoSites = [
      {
        id: '1234G0',
        name: 'EXAMPLE-CLOUD',
        url: 'https://old.example.org:5000/v3',
        state: '',
      },
    ];
    expect((await run())['registration.info']).toMatchObject({
      status: 'fail',
      message: expect.stringContaining(
        'not at https://keystone.example.org:5000/v3',
      ),
    });

    infoSites = [];
    expect((await run())['registration.info']).toMatchObject({
      status: 'fail',
      message: 'The cloud information system does not list site EXAMPLE-CLOUD',
    });
  });
});
