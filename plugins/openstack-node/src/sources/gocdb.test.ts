import { gocdbServiceEndpointsSchema } from './gocdb';
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
