import { sandboxLive, sandboxSettings } from '../testing/sandboxCredentials';
import { SANDBOX_SITES, sandboxSessions } from '../testing/sandboxSites';
import { sandboxSiteAVerdicts } from '../testing/sandboxVerdicts';
import { scanSite } from './scan';
import { CheckResult } from './types';

// Scans the live sandbox's two sites with every implemented check. site-b carries all of its
// documented defects (sandbox/defects.json) unless a test re-seeds it.
const settings = sandboxSettings();
const { live, describeLive } = sandboxLive(SANDBOX_SITES['site-a'].keystoneUrl);

jest.setTimeout(60_000);

async function scan(siteName: keyof typeof SANDBOX_SITES) {
  const site = SANDBOX_SITES[siteName];
  const { sessions, http, passwords } = sandboxSessions(site, settings);
  try {
    const report = await scanSite({
      site,
      profiles: ['egi-fedcloud', 'tenant-platform'],
      sessions,
    });
    return { report, passwords };
  } finally {
    http.close();
  }
}

const statuses = (results: CheckResult[]) =>
  Object.fromEntries(results.map(r => [r.checkId, r.status]));

describeLive(
  `a scan of the live sandbox${live ? '' : ' (SKIPPED: sandbox not running)'}`,
  () => {
    it('passes site-a on every implemented check, with one token per account', async () => {
      const { report, passwords } = await scan('site-a');
      // No accounting source, GOCDB or cloud information system here: not applicable.
      expect(statuses(report.results)).toEqual(
        sandboxSiteAVerdicts({ sources: false }),
      );
      // One token per account (reader, replicator, metering), two for accounting (its own
      // scope, then the system scope cASO's calls need).
      expect(report.tokensIssued).toBeLessThanOrEqual(5);
      // Every verdict shows what it saw. Asking nothing: a check that does not apply, and
      // keystone.tls, which judges an http URL from the URL alone.
      const asked = report.results.filter(
        r => r.status !== 'skip' && r.checkId !== 'keystone.tls',
      );
      for (const result of asked) {
        expect([result.checkId, result.evidence.length > 0]).toEqual([
          result.checkId,
          true,
        ]);
      }
      const everything = JSON.stringify(report);
      for (const password of passwords) {
        expect(everything).not.toContain(password);
      }
    });

    it('finds site-b’s defects, each with a message an operator can act on', async () => {
      const { report } = await scan('site-b');
      const byId = Object.fromEntries(report.results.map(r => [r.checkId, r]));
      expect(byId['keystone.catalog']).toMatchObject({
        status: 'fail',
        message: expect.stringContaining('volumev3 or block-storage'),
      });
      expect(byId['federation.idp']).toMatchObject({
        status: 'fail',
        message: expect.stringMatching(/disabled.*no remote id/),
      });
      expect(byId['federation.protocol']).toMatchObject({
        status: 'fail',
        message: expect.stringContaining(
          'has no protocol openid (it has oidc)',
        ),
      });
      // The misnamed protocol still binds the mapping: it is judged all the same.
      expect(byId['federation.mapping']).toMatchObject({
        status: 'fail',
        message: expect.stringMatching(
          /do not guard on HTTP_OIDC_ISS[\s\S]*vo\.missing\.egi\.eu, which does not exist/,
        ),
      });
      expect(byId['vo.ops'].status).toBe('fail');
      expect(byId['vo.community'].status).toBe('fail');
      // site-b's own Nova (nova-api-b, its compute at :18774 under nonstandard-compute-port)
      // takes site-b's token: its flavors are read, m1.monitoring among them.
      expect(byId['vo.monitoring-flavor']).toMatchObject({
        status: 'pass',
        message: expect.stringContaining('m1.monitoring'),
      });
      expect(byId['accounts.replicator']).toMatchObject({
        status: 'fail',
        message: expect.stringContaining('holds no admin role'),
      });
      expect(byId['accounts.metering']).toMatchObject({
        status: 'fail',
        message: expect.stringContaining('cannot read'),
      });
      const egi = report.profiles.find(p => p.profileId === 'egi-fedcloud')!;
      expect(egi.ready).toBe(false);
      expect(egi.blocking).toEqual(
        expect.arrayContaining(['keystone.catalog', 'federation.idp']),
      );
    });
  },
);
