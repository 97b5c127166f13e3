import {
  GocdbFormatError,
  parseGocdbNovaServices,
  parseGocdbSiteList,
} from './gocdb';
import { siteEntities } from './entities';
import { gocdbResult } from './sources';
import { parseXml, XmlError } from '@fedstack/plugin-openstack-node';

// No real GOCDB can be reached from the test machines, and no answer of it was recorded: these
// documents are built from GOCDB's documentation of its read API (https://gocdb.github.io/api/
// read/get_site_list and get_service, "Example Output"), with the fields an org.openstack.nova
// service of the EGI federation carries. So these tests stay with parsing and the join; the
// fetching is the same OpenStackHttp request the URL source's tests exercise against a server.
const SITE_LIST = `<?xml version="1.0" encoding="UTF-8"?>
<results>
  <SITE ID="11" PRIMARY_KEY="523G0" NAME="IFCA-LCG2" COUNTRY="Spain" COUNTRY_CODE="ES" ROC="NGI_IBERGRID" SUBGRID="" GIIS_URL="ldap://example.org:2170/mds-vo-name=IFCA-LCG2,o=grid"/>
  <SITE ID="12" PRIMARY_KEY="200G0" NAME="Izola MRF" COUNTRY="Slovenia" COUNTRY_CODE="SI" ROC="NGI_SI" SUBGRID="" GIIS_URL=""/>
  <SITE ID="13" PRIMARY_KEY="351G0" NAME="R&amp;D-CLOUD" COUNTRY="Slovenia" COUNTRY_CODE="SI" ROC="NGI_SI" SUBGRID="" GIIS_URL=""/>
</results>
`;

function novaService(options: {
  key: string;
  host: string;
  site: string;
  url: string;
  production?: 'Y' | 'N';
  type?: string;
}): string {
  return `  <SERVICE_ENDPOINT PRIMARY_KEY="${options.key}">
    <PRIMARY_KEY>${options.key}</PRIMARY_KEY>
    <HOSTNAME>${options.host}</HOSTNAME>
    <GOCDB_PORTAL_URL>https://goc.egi.eu/portal/index.php?Page_Type=Service&amp;id=1</GOCDB_PORTAL_URL>
    <BETA>N</BETA>
    <SERVICE_TYPE>${options.type ?? 'org.openstack.nova'}</SERVICE_TYPE>
    <CORE/>
    <IN_PRODUCTION>${options.production ?? 'Y'}</IN_PRODUCTION>
    <NODE_MONITORED>Y</NODE_MONITORED>
    <NOTIFICATIONS>Y</NOTIFICATIONS>
    <SITENAME>${options.site}</SITENAME>
    <COUNTRY_NAME>Spain</COUNTRY_NAME>
    <COUNTRY_CODE>ES</COUNTRY_CODE>
    <ROC_NAME>NGI_IBERGRID</ROC_NAME>
    <URL>${options.url}</URL>
    <ENDPOINTS>
      <ENDPOINT>
        <ID>1</ID>
        <NAME>keystone</NAME>
        <EXTENSIONS/>
        <URL>${options.url}</URL>
        <INTERFACENAME>org.openstack.nova</INTERFACENAME>
        <ENDPOINT_MONITORED>Y</ENDPOINT_MONITORED>
      </ENDPOINT>
    </ENDPOINTS>
    <SCOPES>
      <SCOPE>EGI</SCOPE>
      <SCOPE>FedCloud</SCOPE>
    </SCOPES>
    <EXTENSIONS/>
  </SERVICE_ENDPOINT>
`;
}

const SERVICES = `<?xml version="1.0" encoding="UTF-8"?>
<results>
${novaService({
  key: '7513G0',
  host: 'api.cloud.ifca.es',
  site: 'IFCA-LCG2',
  url: 'https://api.cloud.ifca.es:5000/v3/',
})}${novaService({
  key: '8000G0',
  host: 'cloud.izola.si',
  site: 'Izola MRF',
  url: 'https://cloud.izola.si:5000/v3',
})}${novaService({
  key: '8001G0',
  host: 'test.izola.si',
  site: 'Izola MRF',
  url: 'https://test.izola.si:5000/v3',
  production: 'N',
})}${novaService({
  key: '8002G0',
  host: 'bad.example.org',
  site: 'R&amp;D-CLOUD',
  url: 'bad.example.org:5000',
})}${novaService({
  key: '8003G0',
  host: 'ce.example.org',
  site: 'IFCA-LCG2',
  url: 'https://ce.example.org',
  type: 'CE',
})}</results>
`;

describe('GOCDB answers', () => {
  it('reads the sites of get_site_list', () => {
    expect(parseGocdbSiteList(SITE_LIST)).toEqual([
      {
        name: 'IFCA-LCG2',
        primaryKey: '523G0',
        country: 'Spain',
        roc: 'NGI_IBERGRID',
      },
      {
        name: 'Izola MRF',
        primaryKey: '200G0',
        country: 'Slovenia',
        roc: 'NGI_SI',
      },
      {
        name: 'R&D-CLOUD',
        primaryKey: '351G0',
        country: 'Slovenia',
        roc: 'NGI_SI',
      },
    ]);
  });

  it('reads the org.openstack.nova services of get_service_endpoint', () => {
    const services = parseGocdbNovaServices(SERVICES);
    expect(services).toHaveLength(4);
    expect(services[0]).toEqual({
      primaryKey: '7513G0',
      hostname: 'api.cloud.ifca.es',
      siteName: 'IFCA-LCG2',
      url: 'https://api.cloud.ifca.es:5000/v3/',
      inProduction: true,
      country: 'Spain',
      roc: 'NGI_IBERGRID',
    });
    expect(services[2].inProduction).toBe(false);
    expect(services[3].siteName).toBe('R&D-CLOUD');
  });

  it('joins them into sites: production services with an http(s) URL', () => {
    const result = gocdbResult(
      parseGocdbSiteList(SITE_LIST),
      parseGocdbNovaServices(SERVICES),
      'https://goc.example/gocdbpi/public/?method=get_service_endpoint',
    );
    expect(result.sites.map(s => [s.gocdbName, s.keystoneUrl])).toEqual([
      ['IFCA-LCG2', 'https://api.cloud.ifca.es:5000/v3/'],
      ['Izola MRF', 'https://cloud.izola.si:5000/v3'],
    ]);
    expect(result.problems).toEqual([
      {
        where: 'GOCDB service 8002G0 of R&D-CLOUD',
        problem: 'URL: "bad.example.org:5000" is not an http or https URL',
      },
    ]);

    const { entities, problems } = siteEntities(result.sites, {
      credentials: 'egi-reader',
      profiles: ['egi-fedcloud', 'tenant-platform'],
      owner: 'group:default/egi-operations',
    });
    expect(problems).toEqual([]);
    const izola = entities.find(e => e.metadata.name === 'izola-mrf')!;
    expect(izola.metadata.title).toBe('Izola MRF');
    expect(izola.metadata.description).toBe(
      'OpenStack site Izola MRF registered in GOCDB (Slovenia, NGI_SI)',
    );
    expect(izola.metadata.annotations).toEqual({
      'backstage.io/managed-by-location':
        'url:https://goc.example/gocdbpi/public/?method=get_service_endpoint',
      'backstage.io/managed-by-origin-location':
        'url:https://goc.example/gocdbpi/public/?method=get_service_endpoint',
      'openstack.fedstack.io/keystone-url': 'https://cloud.izola.si:5000/v3',
      'openstack.fedstack.io/gocdb-name': 'Izola MRF',
      'openstack.fedstack.io/profiles': 'egi-fedcloud,tenant-platform',
      'openstack.fedstack.io/credentials': 'egi-reader',
    });
  });

  it('refuses what is not a GOCDB answer', () => {
    expect(() => parseGocdbSiteList('<html><body>down</body></html>')).toThrow(
      /expected <results>, got <html>/,
    );
    expect(() => parseGocdbNovaServices('Service unavailable')).toThrow(
      GocdbFormatError,
    );
  });
});

describe('parseXml', () => {
  it('reads elements, attributes, text, CDATA and entities', () => {
    const root = parseXml(
      `\uFEFF<?xml version="1.0"?><!-- c --><a x='1 &lt; 2'><b>t&#233;&#x41;<![CDATA[<raw>]]></b><c/></a>`,
    );
    expect(root.name).toBe('a');
    expect(root.attributes).toEqual({ x: '1 < 2' });
    expect(root.children.map(c => c.name)).toEqual(['b', 'c']);
    expect(root.children[0].text).toBe('téA<raw>');
  });

  it.each([
    ['a DOCTYPE', '<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>', /DOCTYPE/],
    ['an unknown entity', '<r>&x;</r>', /unknown entity/],
    ['a bare &', '<r>a & b</r>', /bare &/],
    ['mismatched tags', '<r><a></b></r>', /closes <a>/],
    ['an unterminated element', '<r><a>', /unterminated/],
    ['trailing content', '<r/><s/>', /after the root/],
    ['deep nesting', `${'<a>'.repeat(100)}${'</a>'.repeat(100)}`, /too deep/],
  ])('refuses %s', (_what, xml, message) => {
    expect(() => parseXml(xml)).toThrow(XmlError);
    expect(() => parseXml(xml)).toThrow(message);
  });
});
