import fs from 'node:fs';
import path from 'node:path';
import {
  gocdbServiceEndpointsSchema,
  gocdbServicePageSchema,
  gocdbServiceUrls,
  gocdbSitesSchema,
} from './gocdb';
import { parseXml, XmlError } from './xml';

import { getServiceEndpointXml } from './generatedDocuments';

// GOCDB's answers here are generated (see generatedDocuments.ts): no recorded answer could be made.

describe('parseXml', () => {
  it('reads elements, attributes, text, entities and CDATA', () => {
    const root = parseXml(
      `\ufeff<?xml version="1.0"?><!-- c --><a x='1' y="&lt;2&gt;"><b>t &amp; u &#65;&#x42;</b><c/><d><![CDATA[<raw>&]]></d></a>`,
    );
    expect(root.name).toBe('a');
    expect(root.attributes).toEqual({ x: '1', y: '<2>' });
    expect(root.children.map(c => [c.name, c.text])).toEqual([
      ['b', 't & u AB'],
      ['c', ''],
      ['d', '<raw>&'],
    ]);
  });

  it.each([
    ['<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>', 'DOCTYPE'],
    ['<r>&x;</r>', 'unknown entity'],
    ['<r>a & b</r>', 'bare &'],
    ['<r><s></r>', 'closes'],
    ['<r>', 'unterminated'],
    ['<r/><r/>', 'after the root'],
    ['<html><body>Service unavailable', 'unterminated'],
    ['<r><!DOCTYPE s><s/></r>', 'DOCTYPE'],
    ['<r a="&x;"/>', 'unknown entity'],
    ['<r a="a & b"/>', 'bare &'],
    ['<r a="<"/>', '< in an attribute'],
    ['<r>&#0;</r>', 'unknown entity'],
    ['<r x="1" x="2"/>', 'repeated'],
    ['<r a/>', 'boolean attribute'],
    ['', 'Start tag'],
    ['Service unavailable', 'not expected'],
    [`${'<a>'.repeat(100)}${'</a>'.repeat(100)}`, 'too deep'],
  ])('refuses %j', (xml, why) => {
    expect(() => parseXml(xml)).toThrow(XmlError);
    expect(() => parseXml(xml)).toThrow(why);
  });
});

describe('gocdbServiceEndpointsSchema', () => {
  it('reads services, their endpoints and scopes', () => {
    const xml = getServiceEndpointXml([
      {
        key: '1234G0',
        hostname: 'keystone.example.org',
        type: 'org.openstack.nova',
        url: 'https://keystone.example.org:5000/v3',
        site: 'EXAMPLE-CLOUD',
      },
      {
        key: '1235G0',
        hostname: 'caso.example.org',
        type: 'eu.egi.cloud.accounting',
        site: 'EXAMPLE-CLOUD',
        monitored: 'N',
        endpoints: [
          {
            id: '8282',
            name: 'ssm',
            url: 'https://caso.example.org/?a=1&b=2',
            type: 'eu.egi.cloud.accounting',
          },
        ],
      },
    ]);
    const parsed = gocdbServiceEndpointsSchema.safeParse(xml);
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    expect(parsed.data).toEqual([
      expect.objectContaining({
        primaryKey: '1234G0',
        serviceType: 'org.openstack.nova',
        url: 'https://keystone.example.org:5000/v3',
        inProduction: 'Y',
        nodeMonitored: 'Y',
        siteName: 'EXAMPLE-CLOUD',
        scopes: ['EGI'],
        endpoints: [],
      }),
      expect.objectContaining({
        primaryKey: '1235G0',
        url: '',
        nodeMonitored: 'N',
        endpoints: [
          {
            id: '8282',
            name: 'ssm',
            url: 'https://caso.example.org/?a=1&b=2',
            interfaceName: 'eu.egi.cloud.accounting',
            monitored: 'Y',
          },
        ],
      }),
    ]);
  });

  it('reads an empty answer (an unknown site) as no service', () => {
    const parsed = gocdbServiceEndpointsSchema.safeParse(
      '<?xml version="1.0" encoding="UTF-8"?><results/>',
    );
    expect(parsed.success && parsed.data).toEqual([]);
  });

  it('refuses what is not GOCDB XML', () => {
    const html = gocdbServiceEndpointsSchema.safeParse(
      '<html><body>down</body></html>',
    );
    expect(html.success).toBe(false);
    expect(!html.success && html.error.issues[0].message).toContain(
      '<results>',
    );
  });
});

describe("GOCDB's answers written by others (fixtures/real-world/gocdb)", () => {
  const FIXTURES = path.resolve(__dirname, '../../fixtures/real-world/gocdb');
  const read = (name: string) =>
    fs.readFileSync(path.join(FIXTURES, name), 'utf8');

  it("reads a nova service's Keystone URL from its endpoint when its own <URL/> is empty (cloud-info-provider's sample)", () => {
    const parsed = gocdbServiceEndpointsSchema.parse(
      read('cloud-info-provider-get_service-nova-endpoints.xml'),
    );
    expect(parsed).toHaveLength(1);
    expect(parsed[0]).toMatchObject({
      primaryKey: '00000G0',
      siteName: 'BAR-FOO-SITE',
      url: '',
      country: 'Ireland',
      roc: 'NGI_IE',
    });
    expect(gocdbServiceUrls(parsed[0])).toEqual([
      'https://horizon.baz.example.com:5000/v3',
    ]);
    const own = gocdbServiceEndpointsSchema.parse(
      read('cloud-info-provider-get_service-nova-url.xml'),
    );
    expect(gocdbServiceUrls(own[0])).toEqual([
      'https://keystone.example.com:5000/v2.0/?image=18d99a06-c3e5-4157-a0e3-37ec34bdfc24&resource=m1.tiny',
    ]);
  });

  it("reads every service of ARGO's get_service_endpoint sample and GOCDB's documented example", () => {
    const argo = gocdbServiceEndpointsSchema.parse(
      read('argo-connectors-get_service_endpoint.xml'),
    );
    expect(argo.map(s => s.primaryKey)).toEqual(
      [
        ...read('argo-connectors-get_service_endpoint.xml').matchAll(
          /<SERVICE_ENDPOINT PRIMARY_KEY="([^"]+)"/g,
        ),
      ].map(m => m[1]),
    );
    expect(argo[0]).toMatchObject({
      hostname: 'grid13.gsi.de',
      serviceType: 'CE',
      siteName: 'GSI-LCG2',
      scopes: ['EGI', 'wlcg', 'tier2', 'alice'],
    });
    expect(gocdbServiceUrls(argo[0])).toEqual([]);
    const docs = gocdbServiceEndpointsSchema.parse(
      read('gocdb-docs-get_service.xml'),
    );
    expect(docs[0]).toMatchObject({
      primaryKey: '1G0',
      siteName: 'Torch',
      endpoints: [expect.objectContaining({ id: '1', url: '' })],
    });
    expect(gocdbServiceUrls(docs[0])).toEqual([]);
  });

  it("reads get_site (children) and a paged answer's next link", () => {
    const sites = gocdbSitesSchema.parse(read('argo-connectors-get_site.xml'));
    expect(sites[0]).toEqual({
      name: 'TU-Kosice',
      primaryKey: '73G0',
      country: 'Slovakia',
      roc: 'NGI_SK',
    });
    expect(sites.map(s => s.name)).toContain('IISAS-Bratislava');
    const paged = gocdbServicePageSchema.parse(
      read('argo-connectors-paged-get_site.xml'),
    );
    expect(paged.next).toBe(
      'https://goc-sdc.argo.grnet.gr/private/?method=get_site&scope=&next_cursor=134',
    );
    expect(
      gocdbServicePageSchema.parse(
        '<results><meta><link rel="next" href="x"/><count>0</count></meta></results>',
      ).next,
    ).toBeUndefined();
  });
});
