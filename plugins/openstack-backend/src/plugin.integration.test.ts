import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { openstackPlugin } from './plugin';
import {
  captureConsole,
  sandboxCredentialSet,
  sandboxLive,
  sandboxPasswords,
  sandboxSiteEntity,
  siteEntity,
  waitFor,
} from './__testUtils__/sandbox';

// The backend plugin against the live sandbox: real catalog entities (in a mock catalog), real
// Keystone. Skipped when the sandbox is not running, unless the test command requires it.
const { describeLive } = sandboxLive();
jest.setTimeout(90_000);

const profiles = 'egi-fedcloud,tenant-platform';
const entities = [
  sandboxSiteEntity('site-a', { profiles }),
  sandboxSiteEntity('site-b', { profiles }),
  siteEntity({
    name: 'broken',
    keystoneUrl: 'not a url',
    region: 'RegionOne',
    profiles,
    credentials: 'sandbox',
  }),
];

const passwords = sandboxPasswords();

// Every log line the backend writes during these tests (the mock logger writes to the console).
const logLines = captureConsole();

async function startBackend() {
  const backend = await startTestBackend({
    features: [
      openstackPlugin,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          openstack: {
            credentialSets: {
              sandbox: sandboxCredentialSet('replicator', 'metering'),
            },
            // The schedule fires at once: the test waits for the fleet scan to land.
            scans: {
              schedule: { frequency: { minutes: 30 }, timeout: { minutes: 5 } },
            },
          },
        },
      }),
      mockServices.rootLogger.factory({ level: 'debug' }),
    ],
  });
  return { server: backend.server, stop: () => backend.stop() };
}

describeLive('the OpenStack backend on the live sandbox', () => {
  it('scans both sites on schedule, serves the results, and never a secret', async () => {
    const { server, stop } = await startBackend();
    try {
      const sites = await waitFor(async () => {
        const res = await request(server).get('/api/openstack/sites');
        const items = res.body.items as Array<{
          entityRef: string;
          latestScan: unknown;
        }>;
        const scanned = items.filter(item => item.latestScan);
        return scanned.length === 2 ? res : undefined;
      }, 'the scheduled scans of site-a and site-b');
      const byRef = Object.fromEntries(
        sites.body.items.map((item: any) => [item.entityRef, item]),
      );
      expect(byRef['resource:default/broken']).toMatchObject({
        latestScan: null,
        problems: [
          expect.stringContaining('openstack.fedstack.io/keystone-url'),
        ],
      });
      const tenantPlatform = (ref: string) =>
        byRef[ref].latestScan.profiles.find(
          (p: any) => p.profileId === 'tenant-platform',
        );
      expect(tenantPlatform('resource:default/site-a').blocking).toEqual([]);
      expect(tenantPlatform('resource:default/site-b')).toMatchObject({
        ready: false,
        blocking: expect.arrayContaining(['accounts.replicator']),
      });

      const detail = await request(server).get(
        '/api/openstack/sites/default/site-b',
      );
      expect(detail.status).toBe(200);
      const replicator = detail.body.results.find(
        (r: any) => r.checkId === 'accounts.replicator',
      );
      expect(replicator).toMatchObject({ status: 'fail' });
      expect(replicator.evidence.length).toBeGreaterThan(0);

      // A manual scan; a second trigger joins it; it lands with what changed.
      const first = await request(server).post(
        '/api/openstack/sites/default/site-a/scans',
      );
      const second = await request(server).post(
        '/api/openstack/sites/default/site-a/scans',
      );
      expect(first.status).toBe(202);
      expect(second.body).toEqual({
        scanId: first.body.scanId,
        joined: true,
      });
      const events = await request(server)
        .get(`/api/openstack/scans/${first.body.scanId}/events`)
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          res.on('end', () => done(null, text));
        });
      expect(events.headers['content-type']).toContain('text/event-stream');
      expect(events.body).toContain('"type":"scan-finished"');
      const scan = await request(server).get(
        `/api/openstack/scans/${first.body.scanId}`,
      );
      expect(scan.body.scan).toMatchObject({
        status: 'completed',
        trigger: 'manual',
        changes: [],
      });

      const csv = await request(server).get('/api/openstack/export?format=csv');
      expect(csv.text.split('\r\n')[0]).toBe(
        'site,keystone_url,scanned_at,check,severity,status,message',
      );
      expect(csv.text).toContain('\r\nresource:default/site-b,');

      const junit = await request(server).get(
        '/api/openstack/export?format=junit',
      );
      expect(junit.text).toContain('<testsuite name="resource:default/site-b"');
      expect(junit.text).toMatch(
        /<testcase classname="accounts" name="accounts\.replicator: [^"]*"[^>]*>\s*<failure /,
      );

      const everything = [
        junit.text,
        sites.text,
        detail.text,
        scan.text,
        csv.text,
        events.text,
      ].join('\n');
      expect(logLines.length).toBeGreaterThan(0);
      for (const password of passwords) {
        expect(everything).not.toContain(password);
        expect(logLines.join('\n')).not.toContain(password);
      }
    } finally {
      await stop();
    }
  });

  it('answers bad input with 400 naming the field, and unknown sites with 404', async () => {
    const { server, stop } = await startBackend();
    try {
      const badQuery = await request(server).get(
        '/api/openstack/sites/default/site-a/scans?limit=nope',
      );
      expect(badQuery.status).toBe(400);
      expect(badQuery.body.error.message).toContain('limit');
      const badId = await request(server).get('/api/openstack/scans/x');
      expect(badId.status).toBe(400);
      expect(badId.body.error.message).toContain('id');
      const unknown = await request(server).post(
        '/api/openstack/sites/default/nowhere/scans',
      );
      expect(unknown.status).toBe(404);
      const broken = await request(server).post(
        '/api/openstack/sites/default/broken/scans',
      );
      expect(broken.status).toBe(400);
      expect(broken.body.error.message).toContain('cannot be scanned');
    } finally {
      await stop();
    }
  });
});
