import fs from 'node:fs';
import path from 'node:path';
import { OpenStackHttp } from '@fedstack/plugin-openstack-node';
import { LocalServer, startLocalServer } from './testHelpers';
import { siteEntities } from './entities';
import { GocdbSiteSource, SiteSourceUnavailableError } from './sources';

/*
 * GOCDB's answers are real samples others wrote, in the node library's
 * fixtures/real-world/gocdb (README there names each source): GOCDB's documented get_site_list
 * example, and cloud-info-provider's two org.openstack.nova services — one with its Keystone in
 * its own <URL>, one with <URL/> empty and its Keystone on an <ENDPOINT>. The provider reads them
 * with the node library's one GOCDB reader. The two sites those services name are added to the
 * site list in its own attribute shape (no public sample lists them).
 */
const GOCDB = path.resolve(
  __dirname,
  '../../openstack-node/fixtures/real-world/gocdb',
);
const read = (name: string) => fs.readFileSync(path.join(GOCDB, name), 'utf8');
const SITE_LIST = read('gocdb-docs-get_site_list.xml').replace(
  '</results>',
  `  <SITE ID="15" PRIMARY_KEY="900G0" NAME="BAR-FOO-SITE" COUNTRY="Ireland" COUNTRY_CODE="IE" ROC="NGI_IE" SUBGRID="" GIIS_URL=""/>
  <SITE ID="16" PRIMARY_KEY="901G0" NAME="FOO-BAR-SITE" COUNTRY="Spain" COUNTRY_CODE="ES" ROC="NGI_IBERGRID" SUBGRID="" GIIS_URL=""/>
</results>`,
);
const servicesOf = (xml: string) =>
  /<SERVICE_ENDPOINT[\s\S]*<\/SERVICE_ENDPOINT>/.exec(xml)![0];
const NOVA = `<?xml version="1.0" encoding="UTF-8"?>
<results>
${servicesOf(read('cloud-info-provider-get_service-nova-endpoints.xml'))}
${servicesOf(read('cloud-info-provider-get_service-nova-url.xml'))}
${servicesOf(read('argo-connectors-get_service_endpoint.xml'))}
</results>`;

describe('GocdbSiteSource (real GOCDB answers, the node library reader)', () => {
  let server: LocalServer;
  let http: OpenStackHttp;
  let answers: Record<string, { status: number; body: string }> = {};

  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const answer = answers[url.searchParams.get('method') ?? ''] ?? {
        status: 404,
        body: 'not found',
      };
      res.writeHead(answer.status, { 'content-type': 'text/xml' });
      res.end(answer.body);
    });
    http = new OpenStackHttp({ timeoutMs: 2000 });
  });
  afterAll(async () => {
    http.close();
    await server.close();
  });
  beforeEach(() => {
    answers = {
      get_site_list: { status: 200, body: SITE_LIST },
      get_service_endpoint: { status: 200, body: NOVA },
    };
  });

  it('imports a nova service whose Keystone is on its endpoint only (<URL/> empty), and one with its own URL', async () => {
    const source = new GocdbSiteSource(`${server.url}/gocdbpi/public/`, http);
    const result = await source.read();
    expect(result.sites.map(s => [s.gocdbName, s.keystoneUrl])).toEqual([
      ['BAR-FOO-SITE', 'https://horizon.baz.example.com:5000/v3'],
      [
        'FOO-BAR-SITE',
        'https://keystone.example.com:5000/v2.0/?image=18d99a06-c3e5-4157-a0e3-37ec34bdfc24&resource=m1.tiny',
      ],
    ]);
    // ARGO's sample services are of other types: not sites; nothing is reported for them.
    expect(result.problems).toEqual([]);
    expect(server.requests.map(r => r.url).sort()).toEqual([
      '/gocdbpi/public/?method=get_service_endpoint&service_type=org.openstack.nova',
      '/gocdbpi/public/?method=get_site_list',
    ]);

    const { entities, problems } = siteEntities(result.sites, {
      credentials: 'egi-reader',
      profiles: ['egi-fedcloud'],
      owner: 'group:default/egi-operations',
    });
    expect(problems).toEqual([]);
    const barFoo = entities.find(e => e.metadata.name === 'bar-foo-site')!;
    expect(barFoo.metadata.description).toBe(
      'OpenStack site BAR-FOO-SITE registered in GOCDB (Ireland, NGI_IE)',
    );
    expect(barFoo.metadata.annotations).toMatchObject({
      'openstack.fedstack.io/keystone-url':
        'https://horizon.baz.example.com:5000/v3',
      'openstack.fedstack.io/gocdb-name': 'BAR-FOO-SITE',
      // GOCDB's ROC: the NGI the fleet page groups the site under.
      'openstack.fedstack.io/ngi': 'NGI_IE',
    });
  });

  it('leaves out services not in production, of unknown sites, or without an http(s) URL, each with a problem', async () => {
    const endpoints = read(
      'cloud-info-provider-get_service-nova-endpoints.xml',
    );
    answers.get_service_endpoint = {
      status: 200,
      body: endpoints.replace('</results>', '').concat(
        servicesOf(endpoints)
          .replace(/00000G0/g, '00001G0')
          .replace('<IN_PRODUCTION>Y', '<IN_PRODUCTION>N'),
        servicesOf(endpoints)
          .replace(/00000G0/g, '00002G0')
          .replace('BAR-FOO-SITE', 'NOT-LISTED'),
        servicesOf(endpoints)
          .replace(/00000G0/g, '00003G0')
          .replace(
            'https://horizon.baz.example.com:5000/v3',
            'horizon.baz.example.com:5000/v3',
          ),
        servicesOf(read('gocdb-docs-get_service.xml'))
          .replace(
            'Local-LFC</SERVICE_TYPE>',
            'org.openstack.nova</SERVICE_TYPE>',
          )
          .replace('<IN_PRODUCTION>N', '<IN_PRODUCTION>Y')
          .replace('<SITENAME>Torch<', '<SITENAME>BAR-FOO-SITE<'),
        '</results>',
      ),
    };
    const result = await new GocdbSiteSource(
      `${server.url}/gocdbpi/public/`,
      http,
    ).read();
    expect(result.sites.map(s => s.where)).toEqual([
      'GOCDB service 00000G0 of BAR-FOO-SITE',
    ]);
    expect(result.problems).toEqual([
      {
        where: 'GOCDB service 00002G0 of NOT-LISTED',
        problem: 'SITENAME: "NOT-LISTED" is not in get_site_list',
      },
      {
        where: 'GOCDB service 00003G0 of BAR-FOO-SITE',
        problem:
          'URL: "horizon.baz.example.com:5000/v3" is not an http or https URL',
      },
      {
        where: 'GOCDB service 1G0 of BAR-FOO-SITE',
        problem: 'URL: the service and its endpoints have no URL',
      },
    ]);
  });

  it('makes the whole read fail (keeping the catalog) when GOCDB is down or answers something else', async () => {
    const source = new GocdbSiteSource(`${server.url}/gocdbpi/public/`, http);
    answers.get_service_endpoint = { status: 503, body: 'down' };
    await expect(source.read()).rejects.toThrow(SiteSourceUnavailableError);
    answers.get_service_endpoint = {
      status: 200,
      body: '<html><body>down</body></html>',
    };
    await expect(source.read()).rejects.toThrow(
      /expected <results>, got <html>/,
    );
  });

  // The node library's XML reader is strict (its own tests list every refusal): an answer it
  // refuses fails the read like an outage, and nothing it declares is expanded.
  it.each([
    [
      'a DOCTYPE',
      '<!DOCTYPE r [<!ENTITY x "y">]><results>&x;</results>',
      /DOCTYPE/,
    ],
    ['an unknown entity', '<results>&x;</results>', /unknown entity/],
    ['a bare &', '<results>a & b</results>', /bare &/],
  ])('refuses an answer with %s', async (_what, body, message) => {
    const source = new GocdbSiteSource(`${server.url}/gocdbpi/public/`, http);
    answers.get_service_endpoint = { status: 200, body };
    await expect(source.read()).rejects.toThrow(SiteSourceUnavailableError);
    await expect(source.read()).rejects.toThrow(message);
  });
});
