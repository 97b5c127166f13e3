import {
  sandboxAccessToken,
  sandboxLive,
  sandboxSettings,
} from '../testing/sandboxCredentials';
import { main } from './main';

// `fedstack scan` as EGI operators and ARGO run it, in-process, on the live sandbox: an OIDC
// access token through site-a's federation (Apache + mod_auth_openidc at :5080), and the Nagios
// plugin output's return codes.
const settings = sandboxSettings();
const { live, describeLive } = sandboxLive('http://127.0.0.1:5000/v3');
jest.setTimeout(60_000);

const FEDERATION_URL =
  settings.FEDSTACK_SANDBOX_FEDERATION_URL ?? 'http://127.0.0.1:5080/v3';

async function run(argv: string[], env: Record<string, string | undefined>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    env,
    cwd: '/nonexistent',
  });
  return { code, out: out.join(''), err: err.join('') };
}

describeLive(
  `fedstack scan with OpenStack users' auth on the live sandbox${
    live ? '' : ' (SKIPPED)'
  }`,
  () => {
    it('logs in with an OIDC access token through the federation and scans with its project scope', async () => {
      const accessToken = await sandboxAccessToken(settings, 'ops-tester');
      const result = await run(
        ['scan', '--check', 'keystone.catalog', '-f', 'json'],
        {
          OS_AUTH_TYPE: 'v3oidcaccesstoken',
          OS_AUTH_URL: FEDERATION_URL,
          OS_IDENTITY_PROVIDER: 'egi.eu',
          OS_PROTOCOL: 'openid',
          OS_ACCESS_TOKEN: accessToken,
          OS_PROJECT_NAME: 'ops',
          OS_PROJECT_DOMAIN_ID: 'default',
          OS_REGION_NAME: 'RegionOne',
        },
      );
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      const report = JSON.parse(result.out);
      // Two tokens: the federated unscoped one, then the one scoped to ops (its catalog).
      expect(report.tokensIssued).toBe(2);
      const catalog = report.results.find(
        (r: { checkId: string }) => r.checkId === 'keystone.catalog',
      );
      expect(catalog.status).toBe('pass');
      // The scoped token was asked of the federation's Keystone (no password exists here).
      const urls = report.results.flatMap(
        (r: { evidence: { url: string }[] }) => r.evidence.map(e => e.url),
      );
      expect(urls).toContain(`${FEDERATION_URL}/auth/tokens`);
      expect(result.out).not.toContain(accessToken);
    });

    it('is refused for a token whose holder the mapping does not admit', async () => {
      const accessToken = await sandboxAccessToken(settings, 'novo-tester');
      const result = await run(
        ['scan', '--check', 'keystone.catalog', '-f', 'nagios'],
        {
          OS_AUTH_TYPE: 'v3oidcaccesstoken',
          OS_AUTH_URL: FEDERATION_URL,
          OS_IDENTITY_PROVIDER: 'egi.eu',
          OS_PROTOCOL: 'openid',
          OS_ACCESS_TOKEN: accessToken,
          OS_PROJECT_NAME: 'ops',
        },
      );
      // keystone.catalog could not get a token: a critical check failed or could not run.
      expect([2, 3]).toContain(result.code);
      expect(result.out).toMatch(/^FEDSTACK (CRITICAL|UNKNOWN) - /);
      expect(result.out).not.toContain(accessToken);
    });

    it('gets the access token by refresh token at the token endpoint (v3oidcrefreshtoken)', async () => {
      const refreshToken = settings.FEDSTACK_SANDBOX_OIDC_REFRESH_TOKEN;
      if (!refreshToken) throw new Error('the sandbox has no refresh token');
      const result = await run(
        ['scan', '--check', 'keystone.catalog', '-f', 'json'],
        {
          OS_AUTH_TYPE: 'v3oidcrefreshtoken',
          OS_AUTH_URL: FEDERATION_URL,
          OS_IDENTITY_PROVIDER: 'egi.eu',
          OS_PROTOCOL: 'openid',
          OS_CLIENT_ID:
            settings.FEDSTACK_SANDBOX_OIDC_PROBE_CLIENT_ID ?? 'ops-monitoring',
          OS_CLIENT_SECRET:
            settings.FEDSTACK_SANDBOX_OIDC_PROBE_CLIENT_SECRET ??
            'probe-oidc-secret',
          OS_REFRESH_TOKEN: refreshToken,
          OS_ACCESS_TOKEN_ENDPOINT:
            settings.FEDSTACK_SANDBOX_OIDC_TOKEN_URL ??
            'https://127.0.0.1:8443/token',
          // The token endpoint's CA (Keystone here is plain http).
          OS_CACERT: settings.FEDSTACK_SANDBOX_OIDC_CA_FILE,
          OS_PROJECT_NAME: 'ops',
          OS_REGION_NAME: 'RegionOne',
        },
      );
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.out).tokensIssued).toBe(2);
      expect(result.out).not.toContain(refreshToken);
    });
  },
);

describeLive(
  `fedstack scan -f nagios on the live sandbox${live ? '' : ' (SKIPPED)'}`,
  () => {
    const env = (url: string, region: string) => ({
      OS_AUTH_URL: url,
      OS_REGION_NAME: region,
      OS_USERNAME: 'admin',
      OS_PASSWORD: settings.FEDSTACK_SANDBOX_ADMIN_PASSWORD ?? 'admin-secret',
      OS_PROJECT_NAME: 'admin',
      FEDSTACK_REPLICATOR_USERNAME: 'replicator',
      FEDSTACK_REPLICATOR_PASSWORD:
        settings.FEDSTACK_SANDBOX_REPLICATOR_PASSWORD ?? 'replicator-secret',
      FEDSTACK_METERING_USERNAME: 'metering',
      FEDSTACK_METERING_PASSWORD:
        settings.FEDSTACK_SANDBOX_METERING_PASSWORD ?? 'metering-secret',
    });

    it('site-a: WARNING (1), ready but served over plain http (keystone.tls, major)', async () => {
      const result = await run(
        ['scan', '-f', 'nagios', '--profile', 'tenant-platform'],
        env('http://127.0.0.1:5000/v3', 'RegionOne'),
      );
      expect(result.code).toBe(1);
      expect(result.out).toMatch(
        /^FEDSTACK WARNING - site-a|^FEDSTACK WARNING - 127\.0\.0\.1: 0 critical, 1 warning, 0 unknown, \d+ ok of \d+ checks \(keystone\.tls\) \| score=[\d.]+;;;0;100 duration=[\d.]+s\n/,
      );
      expect(result.out).toContain('\nWARNING keystone.tls: ');
      expect(result.out).not.toContain(env('', '').OS_PASSWORD);
    });

    it('site-b: CRITICAL (2), the replicator without admin named', async () => {
      const result = await run(
        ['scan', '-f', 'nagios', '--profile', 'tenant-platform'],
        env('http://127.0.0.2:5000/v3', 'RegionTwo'),
      );
      expect(result.code).toBe(2);
      expect(result.out).toMatch(
        /^FEDSTACK CRITICAL - 127\.0\.0\.2: [1-9]\d* critical, .*accounts\.replicator.* \| score=/,
      );
      expect(result.out).toContain('\nCRITICAL accounts.replicator: ');
    });

    it('site-a with --check keystone.v3: OK (0), its prerequisite run too', async () => {
      const result = await run(
        ['scan', '-f', 'nagios', '--check', 'keystone.v3'],
        env('http://127.0.0.1:5000/v3', 'RegionOne'),
      );
      expect(result.code).toBe(0);
      expect(result.out).toMatch(
        /^FEDSTACK OK - 127\.0\.0\.1: 0 critical, 0 warning, 0 unknown, 2 ok of 2 checks \|/,
      );
      expect(result.out).toContain('\nOK keystone.reachable: ');
    });
  },
);
