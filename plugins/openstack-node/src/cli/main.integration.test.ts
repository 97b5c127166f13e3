import { sandboxLive, sandboxSettings } from '../testing/sandboxCredentials';
import { EXIT_NOT_READY, EXIT_READY, main } from './main';

// `fedstack scan` as an operator runs it, with an openrc-style environment, on the live sandbox.
const settings = sandboxSettings();
const { live, describeLive } = sandboxLive('http://127.0.0.1:5000/v3');
jest.setTimeout(60_000);

function environment() {
  return {
    OS_USERNAME: 'admin',
    OS_PASSWORD: settings.FEDSTACK_SANDBOX_ADMIN_PASSWORD ?? 'admin-secret',
    OS_PROJECT_NAME: 'admin',
    FEDSTACK_REPLICATOR_USERNAME: 'replicator',
    FEDSTACK_REPLICATOR_PASSWORD:
      settings.FEDSTACK_SANDBOX_REPLICATOR_PASSWORD ?? 'replicator-secret',
    FEDSTACK_METERING_USERNAME: 'metering',
    FEDSTACK_METERING_PASSWORD:
      settings.FEDSTACK_SANDBOX_METERING_PASSWORD ?? 'metering-secret',
  };
}

async function scan(url: string, region: string, format: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    [
      'scan',
      '--keystone-url',
      url,
      '--region',
      region,
      '--format',
      format,
      '--profile',
      'tenant-platform',
    ],
    {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
      env: environment(),
    },
  );
  return { code, out: out.join(''), err: err.join('') };
}

describeLive(
  `fedstack scan on the live sandbox${live ? '' : ' (SKIPPED)'}`,
  () => {
    it('exits 0 for site-a and prints the table', async () => {
      const result = await scan(
        'http://127.0.0.1:5000/v3',
        'RegionOne',
        'table',
      );
      expect(result.code).toBe(EXIT_READY);
      expect(result.out).toMatch(/PASS\s+accounts\.replicator\s+critical/);
      expect(result.out).toContain('tenant-platform: score');
      expect(result.out).not.toContain(environment().OS_PASSWORD);
    });

    it('exits 1 for site-b with a JUnit report naming the failures', async () => {
      const result = await scan(
        'http://127.0.0.2:5000/v3',
        'RegionTwo',
        'junit',
      );
      expect(result.code).toBe(EXIT_NOT_READY);
      expect(result.out).toMatch(/^<\?xml version="1.0"/);
      expect(result.out).toMatch(
        /<testcase classname="accounts" name="accounts\.replicator: [^"]+"[^>]*>\s*<failure message="The replicator account holds no admin role/,
      );
      expect(result.out).not.toContain(environment().OS_PASSWORD);
    });
  },
);
