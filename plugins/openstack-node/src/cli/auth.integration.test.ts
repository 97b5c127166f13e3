import {
  sandboxAccessToken,
  sandboxLive,
  sandboxSettings,
} from '../testing/sandboxCredentials';
import { main } from './main';
import { probeTls } from '../checks/identity/keystoneTls';
import { randomUUID } from 'node:crypto';

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

const SITE_A = settings.SITE_A_KEYSTONE_URL ?? 'http://127.0.0.1:5000/v3';

/** Keystone's own API, with the sandbox admin's token scoped to project admin. */
async function adminToken(): Promise<{ token: string; userId: string }> {
  const answer = await fetch(`${SITE_A}/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: {
            user: {
              name: 'admin',
              domain: { id: 'default' },
              password:
                settings.FEDSTACK_SANDBOX_ADMIN_PASSWORD ?? 'admin-secret',
            },
          },
        },
        scope: { project: { name: 'admin', domain: { id: 'default' } } },
      },
    }),
  });
  if (answer.status !== 201) throw new Error(`admin token: ${answer.status}`);
  const body = (await answer.json()) as { token: { user: { id: string } } };
  return {
    token: answer.headers.get('x-subject-token')!,
    userId: body.token.user.id,
  };
}

describeLive(
  `fedstack scan with an application credential by name on the live sandbox${
    live ? '' : ' (SKIPPED)'
  }`,
  () => {
    // Made for these tests through Keystone's API (owned by admin, for project admin), deleted after.
    const name = `fedstack-test-${randomUUID().slice(0, 8)}`;
    let admin: { token: string; userId: string };
    let credential: { id: string; secret: string };
    beforeAll(async () => {
      admin = await adminToken();
      const answer = await fetch(
        `${SITE_A}/users/${admin.userId}/application_credentials`,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'X-Auth-Token': admin.token,
          },
          body: JSON.stringify({
            application_credential: { name, description: 'fedstack test' },
          }),
        },
      );
      if (answer.status !== 201) {
        throw new Error(`creating ${name}: ${answer.status}`);
      }
      credential = (
        (await answer.json()) as {
          application_credential: { id: string; secret: string };
        }
      ).application_credential;
    });
    afterAll(async () => {
      if (!credential) return;
      const answer = await fetch(
        `${SITE_A}/users/${admin.userId}/application_credentials/${credential.id}`,
        { method: 'DELETE', headers: { 'X-Auth-Token': admin.token } },
      );
      if (answer.status !== 204) {
        throw new Error(`deleting ${name}: ${answer.status}`);
      }
    });

    const scan = (env: Record<string, string | undefined>) =>
      run(['scan', '--check', 'keystone.catalog', '-f', 'json'], {
        OS_AUTH_URL: SITE_A,
        OS_REGION_NAME: 'RegionOne',
        OS_APPLICATION_CREDENTIAL_NAME: name,
        OS_APPLICATION_CREDENTIAL_SECRET: credential.secret,
        ...env,
      });

    it('logs in by name with the user by name and domain (v3applicationcredential), and scans', async () => {
      const result = await scan({
        OS_AUTH_TYPE: 'v3applicationcredential',
        OS_USERNAME: 'admin',
        OS_USER_DOMAIN_NAME: 'Default',
      });
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      const report = JSON.parse(result.out);
      expect(report.tokensIssued).toBe(1);
      const catalog = report.results.find(
        (r: { checkId: string }) => r.checkId === 'keystone.catalog',
      );
      expect(catalog.status).toBe('pass');
      expect(result.out).not.toContain(credential.secret);
    });

    it('logs in by name with the user id (the auth type found from the name)', async () => {
      const result = await scan({ OS_USER_ID: admin.userId });
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      expect(result.out).not.toContain(credential.secret);
    });

    it('is refused under another user: names are unique per user only', async () => {
      const result = await run(
        ['scan', '--check', 'keystone.catalog', '-f', 'nagios'],
        {
          OS_AUTH_URL: SITE_A,
          OS_APPLICATION_CREDENTIAL_NAME: name,
          OS_APPLICATION_CREDENTIAL_SECRET: credential.secret,
          OS_USERNAME: 'replicator',
          OS_USER_DOMAIN_NAME: 'Default',
        },
      );
      // keystone.catalog could not get a token: a critical check could not run.
      expect(result.code).toBe(3);
      expect(result.out).toMatch(/^FEDSTACK UNKNOWN - /);
      expect(result.out).toMatch(/\b401\b/);
      expect(result.out + result.err).not.toContain(credential.secret);
    });
  },
);

// site-a's Keystone over https by the sandbox's private CA (sandbox/README.md).
const TLS_URL = settings.SITE_A_KEYSTONE_TLS_URL ?? 'https://127.0.0.1:5443/v3';

describeLive(
  `fedstack scan of a Keystone over https by a private CA${
    live ? '' : ' (SKIPPED)'
  }`,
  () => {
    const env = {
      OS_AUTH_URL: TLS_URL,
      OS_REGION_NAME: 'RegionOne',
      OS_USERNAME: 'admin',
      OS_PASSWORD: settings.FEDSTACK_SANDBOX_ADMIN_PASSWORD ?? 'admin-secret',
      OS_PROJECT_NAME: 'admin',
    };

    it('scans trusting the CA file of OS_CACERT', async () => {
      const result = await run(
        ['scan', '--check', 'keystone.catalog', '-f', 'json'],
        { ...env, OS_CACERT: settings.FEDSTACK_SANDBOX_TLS_CA_FILE },
      );
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      const report = JSON.parse(result.out);
      const urls = report.results.flatMap(
        (r: { evidence: { url: string }[] }) => r.evidence.map(e => e.url),
      );
      expect(urls).toContain(`${TLS_URL}/auth/tokens`);
    });

    it('scans trusting a directory of hashed certificates given as OS_CACERT (IGTF layout)', async () => {
      const result = await run(
        ['scan', '--check', 'keystone.catalog', '-f', 'json'],
        { ...env, OS_CACERT: settings.FEDSTACK_SANDBOX_TLS_CA_PATH },
      );
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
    });

    it('judges keystone.tls against the same CA: trusted with it, untrusted without', async () => {
      const tlsOf = async (extra: Record<string, string | undefined>) => {
        const result = await run(
          ['scan', '--check', 'keystone.tls', '-f', 'json'],
          { ...env, ...extra },
        );
        return JSON.parse(result.out).results.find(
          (r: { checkId: string }) => r.checkId === 'keystone.tls',
        );
      };
      const trusted = await tlsOf({
        OS_CACERT: settings.FEDSTACK_SANDBOX_TLS_CA_PATH,
      });
      expect(trusted.status).toBe('pass');
      // Without the CA the scan cannot log in at all; the probe alone says the chain fails.
      const probe = await probeTls(TLS_URL, { timeoutMs: 5000 });
      expect(probe.ok && probe.probe.chainVerified).toBe(false);
    });

    it('names a CA directory that holds no certificate', async () => {
      const result = await run(
        ['scan', '--check', 'keystone.catalog', '-f', 'json'],
        { ...env, OS_CACERT: __dirname },
      );
      expect(result.code).not.toBe(0);
      expect(result.err).toMatch(/site\.caFile: /);
      expect(result.err).not.toMatch(/EISDIR|\n\s+at /);
    });

    it('without it, is UNKNOWN with the certificate error and what to do', async () => {
      const result = await run(
        ['scan', '--check', 'keystone.catalog', '-f', 'nagios'],
        env,
      );
      expect([2, 3]).toContain(result.code);
      expect(result.out).toContain(
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate (the server's certificate is not from a CA trusted here",
      );
    });
  },
);
