import fs from 'node:fs';
import path from 'node:path';
import { OpenStackHttp } from '../client/http';
import { OpenStackSession } from '../client/session';
import { accountingFresh } from '../checks/accounting/accountingFresh';
import { ExternalSources, SiteUnderTest } from '../checks/context';
import { runChecks } from '../checks/engine';
import { registrationGocdb } from '../checks/registration/registrationGocdb';
import { registrationInfo } from '../checks/registration/registrationInfo';
import { scanContextFor } from '../checks/scan';
import { CheckResult } from '../checks/types';
import { LocalServer, startLocalServer } from '../testing/localServer';
import { AccountingPortalSource } from './accounting';
import { getServiceEndpointXml, portalTable } from './generatedDocuments';
import { createSourceCache } from './sourceCache';

/*
 * Sources read once per fleet scan: GOCDB's service lists, the information system's site list
 * and the accounting portal's tables hold every site, so with one cache two sites' scans make one
 * request to each. GOCDB's and cloud-info-api's answers are the real samples in
 * fixtures/real-world; the portal's SITE-by-VO and SITE-by-DATE tables and the accounting
 * service list are generated in their documented shape (the public portal answers recorded in
 * fixtures/real-world/accounting-portal are REGION by Year, another table).
 */
const FIXTURES = path.resolve(__dirname, '../../fixtures/real-world');
const NOVA = fs.readFileSync(
  path.join(
    FIXTURES,
    'gocdb/cloud-info-provider-get_service-nova-endpoints.xml',
  ),
  'utf8',
);
const INFO = fs.readFileSync(
  path.join(FIXTURES, 'cloud-info/cloud-info-api-sites-include_projects.json'),
  'utf8',
);
const NOW = new Date('2026-11-23T18:00:00Z');

const SITES: SiteUnderTest[] = [
  {
    name: 'bar-foo',
    keystoneUrl: 'https://horizon.baz.example.com:5000/v3',
    gocdbName: 'BAR-FOO-SITE',
  },
  {
    name: 'bifi',
    keystoneUrl: 'https://colossus.cesar.unizar.es:5000/v3',
    gocdbName: 'BIFI',
  },
];

function sourceOf(pathname: string, type: string | null): string {
  if (pathname.startsWith('/gocdbpi/')) return `gocdb:${type}`;
  if (pathname.startsWith('/info/')) return 'info';
  if (pathname.includes('/SITE/DATE/')) return 'portal:date';
  if (pathname.includes('/SITE/VO/')) return 'portal:vo';
  return 'unknown';
}

const answers: Record<string, () => string> = {
  'gocdb:org.openstack.nova': () => NOVA,
  'gocdb:eu.egi.cloud.accounting': () =>
    getServiceEndpointXml(
      SITES.map((site, i) => ({
        key: `${100 + i}G0`,
        hostname: `caso.${site.name}.example.org`,
        type: 'eu.egi.cloud.accounting',
        site: site.gocdbName!,
      })),
    ),
  info: () => INFO,
  'portal:date': () =>
    JSON.stringify(
      portalTable('SITE', 'DATE', {
        'BAR-FOO-SITE': { '2026-11': 120 },
        BIFI: { '2026-10': 80, '2026-11': 40 },
      }),
    ),
  'portal:vo': () =>
    JSON.stringify(
      portalTable('SITE', 'VO', {
        'BAR-FOO-SITE': { ops: 3 },
        BIFI: { ops: 2 },
      }),
    ),
};

describe('external sources read once per fleet scan (one SourceCache)', () => {
  let server: LocalServer;
  // Answers the sources give; a status other than 200 is answered as an outage.
  let down = new Set<string>();

  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      const url = new URL(req.url ?? '/', server.url);
      const type = url.searchParams.get('service_type');
      const source = sourceOf(url.pathname, type);
      if (down.has(source) || source === 'unknown') {
        res.writeHead(503, { 'content-type': 'text/html' });
        res.end('<html>Service Unavailable</html>');
        return;
      }
      const body = answers[source]?.() ?? '';
      res.writeHead(200, {
        'content-type': source.startsWith('gocdb:')
          ? 'text/xml'
          : 'application/json',
      });
      res.end(body);
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    down = new Set();
  });

  const sourcesWith = (cache?: ExternalSources['cache']): ExternalSources => ({
    gocdbUrl: `${server.url}/gocdbpi/public/`,
    cloudInfoUrl: `${server.url}/info`,
    accounting: { kind: 'accounting-portal', location: `${server.url}/portal` },
    cache,
  });

  async function scan(
    site: SiteUnderTest,
    sources: ExternalSources,
  ): Promise<Record<string, CheckResult>> {
    const reader = new OpenStackSession({
      keystoneUrl: 'http://127.0.0.1:9/v3',
      credential: { type: 'password', username: 'unused', password: 'unused' },
      httpOptions: { timeoutMs: 2000 },
    });
    try {
      const results = await runChecks(
        [registrationGocdb, registrationInfo, accountingFresh],
        {
          contextFor: scanContextFor({
            site,
            sessions: { reader },
            sources,
            now: () => NOW,
          }),
        },
      );
      return Object.fromEntries(results.map(r => [r.checkId, r]));
    } finally {
      reader.close();
    }
  }

  const requestsBySource = () => {
    const counts: Record<string, number> = {};
    for (const { url } of server.requests) {
      const key = url.replace(/[?&]next_cursor=\d+/, '');
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };

  it('two sites scanned together with one cache make one request to each source, and the later site still shows the read', async () => {
    const cache = createSourceCache({ ttlMs: 60_000 });
    const [first, second] = await Promise.all(
      SITES.map(site => scan(site, sourcesWith(cache))),
    );
    const counts = requestsBySource();
    expect(Object.keys(counts)).toHaveLength(4);
    expect(Object.values(counts)).toEqual([1, 1, 1, 1]);

    expect(first['registration.gocdb'].status).toBe('pass');
    expect(second['registration.info'].status).toBe('pass');
    expect(second['accounting.fresh'].status).toBe('pass');
    // Each check of each site carries the read's requests as evidence (one of the two made
    // it), each answer's body being what it says about that site, not every site's list.
    const requests = (result: CheckResult) =>
      result.evidence.map(e => `${e.method} ${e.url} ${e.status} ${e.at}`);
    const bodies = (result: CheckResult) =>
      result.evidence.map(e => e.responseBody ?? '').join('\n');
    for (const id of [
      'registration.gocdb',
      'registration.info',
      'accounting.fresh',
    ]) {
      expect(first[id].evidence.length).toBeGreaterThan(0);
      expect(requests(second[id])).toEqual(requests(first[id]));
      expect(bodies(first[id])).toContain('BAR-FOO-SITE');
      expect(bodies(first[id])).not.toContain('BIFI');
      expect(bodies(second[id])).toContain('BIFI');
      expect(bodies(second[id])).not.toContain('BAR-FOO-SITE');
    }
    // What the operator reads: the site's own entry of the information system's answer.
    const info = JSON.parse(
      second['registration.info'].evidence.at(-1)!.responseBody!,
    );
    expect(info).toMatchObject({
      site: 'BIFI',
      entries: [
        { name: 'BIFI', url: 'https://colossus.cesar.unizar.es:5000/v3' },
      ],
    });
    expect(info.of).toBe(1);
    const shared = [first, second].map(
      r => (r['registration.info'].details?.read as { shared: boolean }).shared,
    );
    expect(shared.sort()).toEqual([false, true]);
    expect(second['registration.info'].details?.read).toMatchObject({
      url: `${server.url}/info/sites/?include_projects=true`,
      readAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    // A third site later in the same fleet scan reads nothing.
    await scan(SITES[0], sourcesWith(cache));
    expect(Object.values(requestsBySource())).toEqual([1, 1, 1, 1]);
  });

  it('reads once per scan without a cache (the CLI)', async () => {
    await scan(SITES[0], sourcesWith());
    await scan(SITES[1], sourcesWith());
    expect(Object.values(requestsBySource())).toEqual([2, 2, 2, 2]);
  });

  it('does not keep a failed read: the next site reads again', async () => {
    const cache = createSourceCache({ ttlMs: 60_000 });
    down = new Set(['gocdb:org.openstack.nova', 'info', 'portal:date']);
    const first = await scan(SITES[0], sourcesWith(cache));
    expect(first['registration.gocdb']).toMatchObject({
      status: 'error',
      message: expect.stringContaining(
        "Could not read GOCDB's org.openstack.nova services",
      ),
    });
    expect(first['registration.info'].status).toBe('error');
    expect(first['accounting.fresh'].status).toBe('error');

    down = new Set();
    const second = await scan(SITES[0], sourcesWith(cache));
    expect(second['registration.gocdb'].status).toBe('pass');
    expect(second['registration.info'].status).toBe('fail');
    expect(second['accounting.fresh'].status).toBe('pass');
    const counts = requestsBySource();
    // The accounting list was read well the first time and kept; the others were read twice.
    expect(
      counts[
        '/gocdbpi/public/?method=get_service_endpoint&service_type=eu.egi.cloud.accounting'
      ],
    ).toBe(1);
    expect(
      counts[
        '/gocdbpi/public/?method=get_service_endpoint&service_type=org.openstack.nova'
      ],
    ).toBe(2);
    expect(counts['/info/sites/?include_projects=true']).toBe(2);
  });

  it("reads the portal's SITE/VO table once for every site", async () => {
    const cache = createSourceCache({ ttlMs: 60_000 });
    const http = new OpenStackHttp({ timeoutMs: 2000 });
    try {
      const period = { start: new Date('2026-10-24T18:00:00Z'), end: NOW };
      const source = new AccountingPortalSource(`${server.url}/portal`, {
        http,
        now: () => NOW,
        cache,
      });
      const [a, b] = await Promise.all(
        ['BAR-FOO-SITE', 'BIFI'].map(name =>
          source.accountedVos({ name, projects: [] }, period),
        ),
      );
      expect(a.ok && a.vos).toEqual(['ops']);
      expect(b.ok && b.details?.read).toMatchObject({ shared: true });
      expect(server.requests).toHaveLength(1);
    } finally {
      http.close();
    }
  });
});
