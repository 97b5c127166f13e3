import { startCuttableProxy } from '../testing/cuttableProxy';
import { sandboxLive, sandboxSettings } from '../testing/sandboxCredentials';
import { SANDBOX_SITES, sandboxSessions } from '../testing/sandboxSites';
import { ScanReport, scanSite } from './scan';

// Keystone goes away in the middle of a scan of the live site-a: the scan must still end, in
// bounded time, with the checks it could not finish marked `error` (with what they saw), and
// the site must pass again once Keystone is back.
const settings = sandboxSettings();
const { live, describeLive } = sandboxLive(SANDBOX_SITES['site-a'].keystoneUrl);

jest.setTimeout(120_000);

const statuses = (report: ScanReport) =>
  Object.fromEntries(report.results.map(r => [r.checkId, r.status]));

describeLive(
  `a scan when Keystone goes away${
    live ? '' : ' (SKIPPED: sandbox not running)'
  }`,
  () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    beforeAll(() => process.on('unhandledRejection', onUnhandled));
    afterAll(() => {
      process.off('unhandledRejection', onUnhandled);
    });

    it('ends in bounded time with the cut checks in error, and passes once Keystone is back', async () => {
      const proxy = await startCuttableProxy(5000);
      const site = {
        ...SANDBOX_SITES['site-a'],
        keystoneUrl: `http://127.0.0.1:${proxy.port}/v3`,
      };
      const scan = async () => {
        const { sessions, http, passwords } = sandboxSessions(site, settings);
        const started = Date.now();
        try {
          const report = await scanSite({
            site,
            profiles: ['egi-fedcloud', 'tenant-platform'],
            sessions,
          });
          return { report, passwords, ms: Date.now() - started };
        } finally {
          http.close();
        }
      };
      try {
        // The baseline: the whole scan through the proxy, and how many Keystone requests it makes.
        const before = await scan();
        const keystoneRequests = proxy.requests();
        expect(keystoneRequests).toBeGreaterThan(6);
        expect(statuses(before.report)['keystone.reachable']).toBe('pass');
        const passing = before.report.results
          .filter(r => r.status === 'pass')
          .map(r => r.checkId);

        // Cut Keystone a third of the way into the same scan.
        const counted = proxy.requests();
        proxy.cutAfter(counted + Math.floor(keystoneRequests / 3));
        const cut = await scan();
        expect(proxy.requests()).toBeGreaterThan(counted);
        // Bounded: well under the sum of the http timeouts a hung scan would wait.
        expect(cut.ms).toBeLessThan(60_000);
        const errors = cut.report.results.filter(r => r.status === 'error');
        expect(errors.length).toBeGreaterThan(0);
        // Some checks finished before the cut, so the cut was mid-scan.
        expect(cut.report.results.some(r => r.status === 'pass')).toBe(true);
        for (const result of errors) {
          expect([result.checkId, result.message.length > 0]).toEqual([
            result.checkId,
            true,
          ]);
        }
        // Checks that asked something before failing show what they asked.
        expect(errors.some(r => r.evidence.length > 0)).toBe(true);
        // No check passed that would not pass with Keystone up.
        for (const result of cut.report.results.filter(
          r => r.status === 'pass',
        )) {
          expect(passing).toContain(result.checkId);
        }
        const everything = JSON.stringify(cut.report);
        for (const password of cut.passwords) {
          expect(everything).not.toContain(password);
        }

        proxy.restore();
        const after = await scan();
        expect(statuses(after.report)).toEqual(statuses(before.report));
        expect(unhandled).toEqual([]);
      } finally {
        proxy.close();
      }
    });
  },
);
