import path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  DemoBackend,
  demoPortal,
  DemoResult,
  ROOT,
} from './__testUtils__/demoPortal';
import { sandboxLive, scanNow } from './__testUtils__/sandbox';

/**
 * site-b's variant defects through the portal as the demo runs it (demoPortal, as in
 * portalVerdicts.integration.test.ts: the demo's site entities and app-config.sandbox.yaml,
 * "Scan now" over REST) and through the CLI given the same facts. Here: accounting-vo-unrecorded
 * (a variant: it needs vo.access.egi.eu, which the default set removes) fails accounting.coverage,
 * as site-b's own Nova shows vo.access.egi.eu ran servers the accounting portal has no record
 * of; without it, both VOs are covered. Re-seeds the shared site-b, so it runs with the other
 * variants, one at a time (scripts/test.sh), and puts back the default defects.
 */
const { describeLive } = sandboxLive();
jest.setTimeout(240_000);

function seedSiteB(defects: string) {
  const result = spawnSync(
    path.join(ROOT, 'sandbox/seed'),
    ['--site', 'b', '--defects', defects],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0) {
    throw new Error(`sandbox/seed failed: ${result.stdout}${result.stderr}`);
  }
}

describeLive("site-b's variant defects through the portal and the CLI", () => {
  // The stand-ins change with each re-seed: no source answer kept between scans.
  const { start, cliScan } = demoPortal({ cacheSeconds: 0 });
  let backend: DemoBackend;

  beforeAll(async () => {
    backend = await start();
  });
  afterAll(async () => {
    await backend?.stop();
    // site-b is shared: put back the documented variant (every default defect).
    seedSiteB('all');
  });

  const coverage = (results: DemoResult[]) =>
    results.find(r => r.checkId === 'accounting.coverage');

  it('accounting-vo-unrecorded fails accounting.coverage: vo.access.egi.eu ran servers without records', async () => {
    seedSiteB('accounting-vo-unrecorded');
    const portal = coverage(await scanNow(backend.server, 'site-b'));
    expect(portal).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(
        /1 VO project\(s\) ran servers in the last 30 days without accounting records: vo\.access\.egi\.eu \(vo\.access\.egi\.eu\)/,
      ),
    });
    const cli = coverage(await cliScan('site-b'));
    expect(cli).toMatchObject({ status: 'fail', message: portal!.message });
  });

  it('without defects, both VOs ran servers and both are accounted', async () => {
    seedSiteB('none');
    const portal = coverage(await scanNow(backend.server, 'site-b'));
    expect(portal).toMatchObject({
      status: 'pass',
      message: expect.stringContaining(
        'has accounting records: ops and vo.access.egi.eu',
      ),
    });
    const cli = coverage(await cliScan('site-b'));
    expect(cli).toMatchObject({ status: 'pass', message: portal!.message });
  });
});
