import { OpenStackHttp } from '../http';
import { Redactor } from '../redaction';
import { EvidenceRecorder } from '../evidence';
import {
  FixtureSite,
  loadFixture,
  startFixtureSite,
} from '../../testing/sandboxFixtures';
import { LocalServer, startLocalServer } from '../../testing/localServer';
import { Authenticator } from './authenticator';
import { PasswordCredential } from './tokens';

// Keystone's answers are the sandbox's recorded ones (site-a: a password token valid 1 hour).
const credential: PasswordCredential = {
  type: 'password',
  username: 'admin',
  password: 'admin-secret',
  scope: { project: { name: 'admin', domain: { id: 'default' } } },
};

describe('Authenticator', () => {
  let site: FixtureSite;
  let http: OpenStackHttp;
  let clock: number;

  const tokenRequests = () =>
    site.servers
      .flatMap(s => s.requests)
      .filter(r => r.method === 'POST' && r.url === '/v3/auth/tokens').length;

  beforeAll(async () => {
    site = await startFixtureSite('site-a');
  });
  afterAll(() => site.close());

  beforeEach(() => {
    for (const server of site.servers) server.requests.length = 0;
    http = new OpenStackHttp({ timeoutMs: 2000 });
    // The recorded token was issued at recording time: the clock starts there.
    clock = site.recordedAt.getTime();
  });
  afterEach(() => http.close());

  function authenticator() {
    return new Authenticator({
      http,
      keystoneUrl: site.keystoneUrl,
      credential,
      now: () => clock,
    });
  }

  it('issues one token for many concurrent callers', async () => {
    const auth = authenticator();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => auth.token()),
    );
    expect(results.every(r => r.ok)).toBe(true);
    expect(new Set(results.map(r => r.ok && r.value))).toEqual(
      new Set([results[0].ok && results[0].value]),
    );
    expect(auth.tokensIssued).toBe(1);
    expect(tokenRequests()).toBe(1);
  });

  it('sends the password body Keystone expects', async () => {
    await authenticator().token();
    const sent = site.servers
      .flatMap(s => s.requests)
      .find(r => r.url === '/v3/auth/tokens');
    const body = JSON.parse(sent!.body);
    expect(body.auth.identity.password.user.password).toBe('admin-secret');
    body.auth.identity.password.user.password = '<redacted>';
    // The same body as the recorder's (whose password was redacted when written).
    expect(body).toEqual(
      loadFixture('site-a', 'auth-tokens-password').request.body,
    );
  });

  it('parses the token: expiry, user, project, roles, catalog', async () => {
    const result = await authenticator().token();
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const token = result.value;
    const recorded = loadFixture('site-a', 'auth-tokens-password').response
      .body as { token: { expires_at: string } };
    expect(token.expiresAt.getTime()).toBe(
      new Date(recorded.token.expires_at).getTime(),
    );
    expect(token.user.name).toBe('admin');
    expect(token.project?.name).toBe('admin');
    expect(token.roles.map(r => r.name).sort()).toEqual([
      'admin',
      'member',
      'reader',
    ]);
    expect(token.catalog.map(s => s.type)).toEqual(
      expect.arrayContaining(['identity', 'compute', 'volumev3']),
    );
  });

  it('reuses the token until less than 5 minutes are left, then issues a new one', async () => {
    const auth = authenticator();
    const first = await auth.token();
    if (!first.ok) throw new Error(first.error.message);
    const expiresAt = first.value.expiresAt.getTime();

    clock = expiresAt - 6 * 60_000;
    await auth.token();
    expect(auth.tokensIssued).toBe(1);

    clock = expiresAt - 4 * 60_000;
    await auth.token();
    expect(auth.tokensIssued).toBe(2);
    expect(tokenRequests()).toBe(2);
  });

  it('keeps only the latest token request as evidence, however many tokens it issued', async () => {
    // The backend keeps a site's sessions for its whole life: evidence must not pile up.
    const auth = authenticator();
    await auth.token();
    const first = auth.evidence[0];
    for (let again = 0; again < 2; again++) {
      auth.invalidate();
      await auth.token();
    }
    expect(auth.tokensIssued).toBe(3);
    expect(auth.evidence).toHaveLength(1);
    expect(auth.evidence[0]).not.toBe(first);
    expect(auth.evidence[0]).toMatchObject({ method: 'POST', status: 201 });
  });

  it('keeps a short-lived token for half its life instead of re-issuing on every call', () => {
    const auth = authenticator();
    const issuedAt = new Date('2026-01-01T00:00:00Z');
    const token = {
      id: 't',
      issuedAt,
      expiresAt: new Date(issuedAt.getTime() + 4 * 60_000),
      methods: [],
      user: { id: 'u', name: 'u', domain: { id: 'd' } },
      roles: [],
      catalog: [],
    };
    clock = issuedAt.getTime() + 60_000;
    expect(auth.isFresh(token)).toBe(true);
    clock = issuedAt.getTime() + 3 * 60_000;
    expect(auth.isFresh(token)).toBe(false);
  });

  it('keeps a separate token per scope', async () => {
    const auth = authenticator();
    await auth.token();
    await auth.token({ project: { id: 'e5ca3901fa6042828577195a3059157e' } });
    await auth.token({ project: { id: 'e5ca3901fa6042828577195a3059157e' } });
    expect(auth.tokensIssued).toBe(2);
  });
});

describe('Authenticator when Keystone refuses', () => {
  let keystone: LocalServer;
  const refused = loadFixture('site-b', 'accounting-system-token');

  beforeAll(async () => {
    // site-b's recorded 401 for a system-scoped token the account may not have.
    keystone = await startLocalServer((_req, res) => {
      res.writeHead(refused.response.status, refused.response.headers);
      res.end(JSON.stringify(refused.response.body));
    });
  });
  afterAll(() => keystone.close());

  it('reports an auth error with evidence, shares it among waiting callers, and retries later', async () => {
    const recorder = new EvidenceRecorder();
    const http = new OpenStackHttp({
      recorder,
      redactor: new Redactor(['accounting-secret']),
    });
    const auth = new Authenticator({
      http,
      keystoneUrl: `${keystone.url}/v3`,
      credential: {
        type: 'password',
        username: 'accounting',
        password: 'accounting-secret',
        scope: { system: 'all' },
      },
    });
    const [a, b] = await Promise.all([auth.token(), auth.token()]);
    expect(a).toBe(b);
    expect(!a.ok && a.error).toMatchObject({ kind: 'auth', status: 401 });
    expect(keystone.requests).toHaveLength(1);
    expect(JSON.parse(keystone.requests[0].body).auth.scope).toEqual({
      system: { all: true },
    });
    expect(JSON.stringify(recorder.evidence)).not.toContain(
      'accounting-secret',
    );

    await auth.token();
    expect(keystone.requests).toHaveLength(2);
    expect(auth.tokensIssued).toBe(0);
    http.close();
  });
});

describe('Authenticator with an OIDC access token', () => {
  let site: FixtureSite;
  beforeAll(async () => {
    site = await startFixtureSite('site-a');
  });
  afterAll(() => site.close());

  it('gets an unscoped token from the federation auth URL, sending the access token as Bearer', async () => {
    const recorded = loadFixture('site-a', 'federation-auth-openid');
    const authUrl = site.origins.get(new URL(recorded.request.url).origin)!;
    const recorder = new EvidenceRecorder();
    const http = new OpenStackHttp({ recorder });
    const accessToken = 'eyJhbGciOiJSUzI1NiJ9.fake-access-token';
    const auth = new Authenticator({
      http,
      keystoneUrl: site.keystoneUrl,
      credential: {
        type: 'oidc',
        identityProvider: 'egi.eu',
        protocol: 'openid',
        accessToken: async () => accessToken,
        authUrl: `${authUrl}/v3`,
      },
      now: () => site.recordedAt.getTime(),
    });
    const token = await auth.token();
    expect(token.ok).toBe(true);
    if (!token.ok) return;
    expect(token.value.methods).toEqual(['openid']);
    expect(token.value.user.name).toMatch(/@egi\.eu$/);
    expect(token.value.project).toBeUndefined();

    const sent = site.servers
      .flatMap(s => s.requests)
      .find(r => r.url.endsWith('/protocols/openid/auth'));
    expect(sent?.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(JSON.stringify(recorder.evidence)).not.toContain(accessToken);
    http.close();
  });
});
