import fs from 'node:fs';
import path from 'node:path';
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
 * GOCDB's and the information system's answers are real ones others wrote (named in
 * fixtures/real-world/gocdb/README.md and cloud-info/README.md): cloud-info-provider's nova
 * services (one with its Keystone URL on an <ENDPOINT> only) and cloud-info-api's
 * `/sites/?include_projects=true`. No public sample has an eu.egi.cloud.accounting service: that
 * list comes from the generator (sources/generatedDocuments.ts), in GOCDB's documented shape.
 */
const FIXTURES = path.resolve(__dirname, '../../../fixtures/real-world');
const fixture = (name: string) =>
  fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const NOVA_ENDPOINTS = fixture(
  'gocdb/cloud-info-provider-get_service-nova-endpoints.xml',
);
const INFO_SITES = JSON.parse(
  fixture('cloud-info/cloud-info-api-sites-include_projects.json'),
);

// cloud-info-provider's sample: site BAR-FOO-SITE, nova service 00000G0, <URL/> empty, its
// endpoint at https://horizon.baz.example.com:5000/v3.
const KEYSTONE = 'https://horizon.baz.example.com:5000/v3';
const SITE: SiteUnderTest = {
  name: 'bar-foo',
  keystoneUrl: KEYSTONE,
  gocdbName: 'BAR-FOO-SITE',
};
const accountingFor = (site: string): GeneratedService => ({
  key: '1235G0',
  hostname: 'caso.example.org',
  type: 'eu.egi.cloud.accounting',
  site,
});

describe('registration checks (real GOCDB and cloud-info-api answers)', () => {
  let server: LocalServer;
  let novaXml = NOVA_ENDPOINTS;
  let accountingXml = getServiceEndpointXml([accountingFor('BAR-FOO-SITE')]);
  let infoSites: unknown = INFO_SITES;
  let novaPages: Record<string, string> | undefined;

  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      const url = new URL(req.url ?? '/', server.url);
      const type = url.searchParams.get('service_type');
      if (url.pathname === '/gocdbpi/public/' && type) {
        res.writeHead(200, { 'content-type': 'text/xml' });
        const cursor = url.searchParams.get('next_cursor') ?? 'first';
        const nova = novaPages ? novaPages[cursor] : novaXml;
        res.end(type === 'org.openstack.nova' ? nova : accountingXml);
      } else if (
        url.pathname === '/info/sites/' &&
        url.searchParams.get('include_projects') === 'true'
      ) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(infoSites));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"detail":"Not Found"}');
      }
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    novaXml = NOVA_ENDPOINTS;
    accountingXml = getServiceEndpointXml([accountingFor('BAR-FOO-SITE')]);
    infoSites = INFO_SITES;
    novaPages = undefined;
  });

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

  it("passes a nova service whose Keystone URL is on its endpoint only (<URL/> empty), reading GOCDB's lists of the two service types", async () => {
    const results = await run();
    expect(results['registration.gocdb']).toMatchObject({
      status: 'pass',
      message: expect.stringContaining(
        `org.openstack.nova 00000G0 at ${KEYSTONE}`,
      ),
    });
    expect(
      server.requests
        .filter(r => r.url.startsWith('/gocdbpi/'))
        .map(r => r.url)
        .sort(),
    ).toEqual([
      '/gocdbpi/public/?method=get_service_endpoint&service_type=eu.egi.cloud.accounting',
      '/gocdbpi/public/?method=get_service_endpoint&service_type=org.openstack.nova',
    ]);
    expect(results['registration.gocdb'].evidence).toHaveLength(2);
    expect(results['registration.gocdb'].details?.reads).toEqual([
      expect.objectContaining({ shared: false }),
      expect.objectContaining({ shared: false }),
    ]);
  });

  it.each([
    [
      `${KEYSTONE}/`,
      'pass',
      /spelt with a different trailing slash, which EGI's tools read alike/,
    ],
    [
      'HTTPS://horizon.baz.example.com:5000/v3',
      'pass',
      /different scheme case/,
    ],
    [
      'https://Horizon.Baz.example.com:5000/v3',
      'warn',
      /different host case: cloud-info-provider compares host and port as written/,
    ],
    [
      'https://horizon.baz.example.com:5000/V3',
      'fail',
      /no org.openstack.nova service has the URL/,
    ],
  ] as const)(
    "judges the site URL %s against GOCDB's: %s",
    async (keystoneUrl, status, message) => {
      const results = await run({ ...SITE, keystoneUrl });
      expect(results['registration.gocdb']).toMatchObject({
        status,
        message: expect.stringMatching(message),
      });
    },
  );

  it('warns for an explicit default port, one normalisation for every comparison', async () => {
    novaXml = getServiceEndpointXml([
      {
        key: '1234G0',
        hostname: 'keystone.example.org',
        type: 'org.openstack.nova',
        url: 'https://keystone.example.org/v3',
        site: 'BAR-FOO-SITE',
      },
    ]);
    const results = await run({
      ...SITE,
      keystoneUrl: 'https://keystone.example.org:443/v3',
    });
    expect(results['registration.gocdb']).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('different default port'),
      details: expect.objectContaining({ urlSpelling: ['default port'] }),
    });
  });

  it('follows GOCDB paging (<meta> and its next link, as GOCDB writes them)', async () => {
    // The real <meta> block of a paged answer (ARGO's sample), its links pointed at this server.
    const paged = fixture('gocdb/argo-connectors-paged-get_site.xml');
    const meta = /<meta>[\s\S]*?<\/meta>/
      .exec(paged)![0]
      .replace(
        /https:\/\/goc-sdc\.argo\.grnet\.gr\/private\/\?method=get_site&amp;scope=&amp;/g,
        `${server.url}/gocdbpi/public/?method=get_service_endpoint&amp;service_type=org.openstack.nova&amp;`,
      );
    const services = /<SERVICE_ENDPOINT[\s\S]*<\/SERVICE_ENDPOINT>/.exec(
      NOVA_ENDPOINTS,
    )![0];
    novaPages = {
      // A first page without the site's service, then the page next_cursor=134 names.
      first: `<results>${meta}</results>`,
      '134': `<results><meta><count>1</count></meta>${services}</results>`,
    };
    const results = await run();
    expect(
      server.requests.filter(r => r.url.includes('next_cursor=134')),
    ).toHaveLength(1);
    expect(results['registration.gocdb']).toMatchObject({
      status: 'pass',
      details: expect.objectContaining({
        reads: expect.arrayContaining([expect.objectContaining({ pages: 2 })]),
      }),
    });
  });

  it.each([
    [
      'not in production',
      [{ ...novaService(), production: 'N' as const }],
      /is not in production/,
    ],
    [
      'neither in production nor monitored',
      [{ ...novaService(), production: 'N' as const, monitored: 'N' as const }],
      /not in production and monitored/,
    ],
  ])('fails with %s', async (_case, services, message) => {
    novaXml = getServiceEndpointXml(services);
    expect((await run())['registration.gocdb']).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(message),
    });
  });

  it('fails without an accounting service, or without any service of the site', async () => {
    accountingXml = getServiceEndpointXml([accountingFor('OTHER-SITE')]);
    expect((await run())['registration.gocdb']).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/no eu.egi.cloud.accounting service/),
    });
    expect(
      (await run({ ...SITE, gocdbName: 'NOT-IN-GOCDB' }))['registration.gocdb'],
    ).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('for site NOT-IN-GOCDB'),
    });
  });

  it('reports an error, not a verdict, when GOCDB answers something else', async () => {
    novaXml = '<html><body>Service Unavailable</body></html>';
    expect((await run())['registration.gocdb']).toMatchObject({
      status: 'error',
      message: expect.stringContaining('expected <results>'),
    });
  });

  describe('registration.info (cloud-info-api, keyed by site name)', () => {
    const BIFI: SiteUnderTest = {
      name: 'bifi',
      keystoneUrl: 'https://colossus.cesar.unizar.es:5000/v3',
      gocdbName: 'BIFI',
    };

    it('reads /sites/?include_projects=true once and finds the site by name, with its projects', async () => {
      const result = (await run(BIFI))['registration.info'];
      expect(result).toMatchObject({
        status: 'pass',
        message: expect.stringContaining('with 1 project(s): ops'),
        details: expect.objectContaining({
          projects: [{ id: '038db3eeca5c4960a443a89b92373cd2', vo: 'ops' }],
        }),
      });
      expect(
        server.requests.filter(r => r.url.startsWith('/info/')).map(r => r.url),
      ).toEqual(['/info/sites/?include_projects=true']);
    });

    it('tells two Keystones under one GOCDB name apart by URL, ignoring the spelling', async () => {
      infoSites = [
        {
          ...INFO_SITES[0],
          id: '99999G0',
          url: 'https://other.cesar.unizar.es:5000/v3',
          projects: [],
        },
        INFO_SITES[0],
      ];
      const result = (
        await run({ ...BIFI, keystoneUrl: `${BIFI.keystoneUrl}/` })
      )['registration.info'];
      expect(result).toMatchObject({
        status: 'pass',
        message: expect.stringContaining('different trailing slash'),
      });
    });

    it('warns without projects, fails when not listed or at another URL', async () => {
      infoSites = [{ ...INFO_SITES[0], projects: [] }];
      expect((await run(BIFI))['registration.info'].status).toBe('warn');
      infoSites = [{ ...INFO_SITES[0], url: 'https://old.example.org/v3' }];
      expect((await run(BIFI))['registration.info']).toMatchObject({
        status: 'fail',
        message: expect.stringContaining(`not at ${BIFI.keystoneUrl}`),
      });
      infoSites = [];
      expect((await run(BIFI))['registration.info']).toMatchObject({
        status: 'fail',
        message: 'The cloud information system does not list site BIFI',
      });
    });

    it('reports an error when the answer carries no projects (not cloud-info-api)', async () => {
      const { projects: _, ...withoutProjects } = INFO_SITES[0];
      infoSites = [withoutProjects];
      expect((await run(BIFI))['registration.info']).toMatchObject({
        status: 'error',
        message: expect.stringContaining("without the sites' projects"),
      });
    });
  });
});

function novaService(): GeneratedService {
  return {
    key: '00000G0',
    hostname: 'www.baz.example.com',
    type: 'org.openstack.nova',
    url: KEYSTONE,
    site: 'BAR-FOO-SITE',
  };
}
