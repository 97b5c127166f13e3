import http from 'node:http';
import { AddressInfo } from 'node:net';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { openstackPlugin } from './plugin';
import {
  sandboxCredentialSet,
  sandboxLive,
  sandboxSiteEntity,
  waitFor,
} from './__testUtils__/sandbox';

// A scheduled fleet scan reads GOCDB, the information system and the accounting portal once
// for all its sites: the sandbox's stand-ins behind a proxy that counts what each URL is asked.
const { describeLive } = sandboxLive();
jest.setTimeout(120_000);

const STAND_INS = {
  gocdb: 'http://127.0.0.1:8301',
  cloudInfo: 'http://127.0.0.1:8302',
  accounting: 'http://127.0.0.1:8303',
};

/** Forwards to `target`, counting each path+query asked. */
async function countingProxy(target: string) {
  const asked = new Map<string, number>();
  const server = http.createServer((req, res) => {
    asked.set(req.url!, (asked.get(req.url!) ?? 0) + 1);
    const upstream = http.request(
      `${target}${req.url}`,
      {
        method: req.method,
        headers: { ...req.headers, host: new URL(target).host },
      },
      answer => {
        const headers = { ...answer.headers };
        // Same-host redirects stay on the proxy.
        if (headers.location?.startsWith(target))
          headers.location = headers.location.slice(target.length);
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    asked,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

describeLive('a scheduled fleet scan and the external sources', () => {
  it('reads each source once for every site', async () => {
    const proxies = {
      gocdb: await countingProxy(STAND_INS.gocdb),
      cloudInfo: await countingProxy(STAND_INS.cloudInfo),
      accounting: await countingProxy(STAND_INS.accounting),
    };
    const withGocdbName = (site: 'site-a' | 'site-b', gocdbName: string) =>
      sandboxSiteEntity(site, { profiles: 'egi-fedcloud', gocdbName });
    const backend = await startTestBackend({
      features: [
        openstackPlugin,
        catalogServiceMock.factory({
          entities: [
            withGocdbName('site-a', 'SANDBOX-SITE-A'),
            withGocdbName('site-b', 'SANDBOX-SITE-B'),
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            openstack: {
              credentialSets: { sandbox: sandboxCredentialSet() },
              // The schedule fires at once.
              scans: {
                schedule: {
                  frequency: { minutes: 30 },
                  timeout: { minutes: 5 },
                },
              },
              sources: {
                gocdb: { url: `${proxies.gocdb.url}/gocdbpi/public/` },
                cloudInfo: { url: `${proxies.cloudInfo.url}/` },
                accounting: {
                  kind: 'accounting-portal',
                  url: proxies.accounting.url,
                },
              },
            },
          },
        }),
      ],
    });
    try {
      const sites = await waitFor(async () => {
        const res = await request(backend.server).get('/api/openstack/sites');
        const items = res.body.items as Array<{ latestScan: unknown }>;
        return items.filter(item => item.latestScan).length === 2
          ? items
          : undefined;
      }, 'the scheduled scans of both sites');
      expect(sites).toHaveLength(2);
      for (const [source, proxy] of Object.entries(proxies)) {
        expect(proxy.asked.size).toBeGreaterThan(0);
        const twice = [...proxy.asked].filter(([, n]) => n > 1);
        expect(`${source}: ${JSON.stringify(twice)}`).toBe(`${source}: []`);
      }
      // Each site's check still carries the answer it was judged on.
      const detail = await request(backend.server).get(
        '/api/openstack/sites/default/site-b',
      );
      const gocdb = detail.body.results.find(
        (r: any) => r.checkId === 'registration.gocdb',
      );
      expect(gocdb.status).toBe('fail');
      expect(gocdb.evidence.length).toBeGreaterThan(0);
      // Its full evidence: GOCDB's requests, each list's body cut to what concerns site-b,
      // not every site's services once per site.
      const full = await request(backend.server).get(
        `/api/openstack/scans/${detail.body.site.latestScan.id}/checks/registration.gocdb`,
      );
      expect(full.body.evidenceDetail).toBe('full');
      const requests = full.body.result.evidence as Array<{
        url: string;
        status?: number;
        responseBody?: string;
      }>;
      expect(requests.map(e => e.url).sort()).toEqual([
        expect.stringContaining('service_type=eu.egi.cloud.accounting'),
        expect.stringContaining('service_type=org.openstack.nova'),
      ]);
      for (const e of requests) {
        expect(e.status).toBe(200);
        expect(JSON.parse(e.responseBody!)).toMatchObject({
          site: 'SANDBOX-SITE-B',
          of: expect.any(Number),
          entries: expect.any(Array),
        });
        expect(e.responseBody).not.toContain('SANDBOX-SITE-A');
      }
    } finally {
      await backend.stop();
      await Promise.all(Object.values(proxies).map(p => p.close()));
    }
  });
});
