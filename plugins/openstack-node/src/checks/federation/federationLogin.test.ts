import { OpenStackSession } from '../../client/session';
import { unusedPort } from '../../testing/localServer';
import { FixtureSite, startFixtureSite } from '../../testing/sandboxFixtures';
import { ExternalSources } from '../context';
import { runChecks } from '../engine';
import { scanContextFor } from '../scan';
import { CheckResult } from '../types';
import { federationLogin } from './federationLogin';

// federation.login against site-a's recorded federated login. The sandbox recorded it through
// Apache (127.0.0.1:5080, which fronts Keystone): the replay of that origin is the Keystone here.

const ACCESS_TOKEN = 'eyJ-test-access-token-not-a-real-one';

let site: FixtureSite;
let keystoneUrl: string;

beforeAll(async () => {
  site = await startFixtureSite('site-a');
  keystoneUrl = `${site.origins.get('http://127.0.0.1:5080')}/v3`;
});
afterAll(() => site.close());

async function login(sources: ExternalSources): Promise<CheckResult> {
  const session = new OpenStackSession({
    keystoneUrl,
    credential: {
      type: 'password',
      username: 'admin',
      password: 'admin-secret',
    },
    httpOptions: { timeoutMs: 3000 },
    now: () => site.recordedAt.getTime(),
  });
  try {
    const [result] = await runChecks([federationLogin], {
      contextFor: scanContextFor({
        site: { name: 'site-a', keystoneUrl },
        sessions: { reader: session },
        sources,
        now: () => site.recordedAt,
      }),
    });
    return result;
  } finally {
    session.close();
  }
}

describe('federation.login', () => {
  it('does not apply without a test token source', async () => {
    const result = await login({});
    expect(result).toMatchObject({
      status: 'skip',
      message:
        'Skipped: no test token source is configured for the federated login',
      evidence: [],
    });
  });

  it('cannot run when the token source gives no access token', async () => {
    const result = await login({
      federationLogin: {
        accessToken: () => Promise.reject(new Error('refresh token expired')),
        project: 'ops',
      },
    });
    expect(result).toMatchObject({
      status: 'error',
      message:
        'Step 1 of 4 (access token): the test token source gave no access token: refresh token expired',
    });
  });

  it('fails at the unscoped token when the federation auth URL does not answer, naming it', async () => {
    const authUrl = `http://127.0.0.1:${await unusedPort()}/v3`;
    const result = await login({
      federationLogin: {
        accessToken: async () => ACCESS_TOKEN,
        authUrl,
        project: 'ops',
      },
    });
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(
      new RegExp(
        `^Step 2 of 4 \\(unscoped token\\): the federation auth URL ${authUrl.replace(
          /[.]/g,
          '\\.',
        )} refused the access token at /v3/OS-FEDERATION/identity_providers/egi\\.eu/protocols/openid/auth: .*ECONNREFUSED`,
      ),
    );
    expect(JSON.stringify(result)).not.toContain(ACCESS_TOKEN);
  });

  it('logs in with the recorded federated answer and fails on a project the user may not use', async () => {
    const result = await login({
      federationLogin: {
        accessToken: async () => ACCESS_TOKEN,
        project: 'vo.example.org',
      },
    });
    expect(result.status).toBe('fail');
    expect(result.message).toBe(
      'Step 3 of 4 (project list): federated user 8130b2628119a99b9d00a8fa14cc339a@egi.eu may not use project vo.example.org (it may use ops)',
    );
    expect(result.details).toMatchObject({
      user: '8130b2628119a99b9d00a8fa14cc339a@egi.eu',
      projects: ['ops'],
      groups: ['902c2614458b44af9a8c48095621d45c'],
    });
    // The access token went only to the federation auth path, and shows nowhere.
    expect(
      result.evidence.map(e => `${e.method} ${new URL(e.url).pathname}`),
    ).toEqual([
      'POST /v3/OS-FEDERATION/identity_providers/egi.eu/protocols/openid/auth',
      'GET /v3/auth/projects',
    ]);
    expect(result.evidence[0].requestHeaders.authorization).toBe('<redacted>');
    expect(JSON.stringify(result)).not.toContain(ACCESS_TOKEN);
  });
});
