// The Check-in stand-in's authorization code flow, as the portal's sign-in uses it: discovery,
// the login form, PKCE (S256, required for the portal client), single-use codes bound to their
// redirect URI, the ID token's claims, prompt=none and the login session.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SANDBOX = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { OIDC, oidcAccounts } = require('./lib/federation.js');
const sandboxDir =
  process.env.FEDSTACK_SANDBOX_DIR ?? join(SANDBOX, '..', '.sandbox');
const ca = readFileSync(join(sandboxDir, 'oidc', 'tls.crt'));
const client = {
  id: OIDC.portalClientId as string,
  secret:
    process.env.FEDSTACK_SANDBOX_OIDC_PORTAL_CLIENT_SECRET ??
    (OIDC.defaultPortalSecret as string),
  redirectUri: OIDC.portalRedirectUris[0] as string,
};
const operator = oidcAccounts(process.env).find(
  (a: { username: string }) => a.username === 'site-operator',
);

type Answer = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
};
// The provider's certificate is self-signed: https with exactly that CA.
function call(
  method: string,
  url: string,
  {
    form,
    headers = {},
  }: { form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca,
        headers: {
          ...(body
            ? { 'Content-Type': 'application/x-www-form-urlencoded' }
            : {}),
          ...headers,
        },
      },
      res => {
        let text = '';
        res.on('data', c => (text += c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, text }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const b64url = (b: Buffer) => b.toString('base64url');
const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

function authorizeUrl(params: Record<string, string | undefined>) {
  const url = new URL(`${OIDC.url}/authorize`);
  const all = {
    response_type: 'code',
    client_id: client.id,
    redirect_uri: client.redirectUri,
    scope: 'openid profile email eduperson_entitlement voperson_id',
    state: 'st',
    nonce: 'n-1',
    ...params,
  };
  for (const [k, v] of Object.entries(all))
    if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

/** GET /authorize, then the login form posted: the redirect back and the session cookie. */
async function logIn(
  params: Record<string, string | undefined>,
  password = operator.password,
) {
  const page = await call('GET', authorizeUrl(params));
  assert.equal(page.status, 200, page.text);
  const request = /name="request" value="([^"]+)"/.exec(page.text)![1];
  const posted = await call('POST', `${OIDC.url}/authorize`, {
    form: { request, username: operator.username, password },
  });
  return {
    posted,
    back: posted.headers.location
      ? new URL(String(posted.headers.location))
      : undefined,
    cookie: String(posted.headers['set-cookie'] ?? '').split(';')[0],
  };
}

const redeem = (code: string, extra: Record<string, string> = {}) =>
  call('POST', `${OIDC.url}/token`, {
    form: {
      grant_type: 'authorization_code',
      code,
      redirect_uri: client.redirectUri,
      ...extra,
    },
    headers: {
      Authorization: `Basic ${Buffer.from(
        `${client.id}:${client.secret}`,
      ).toString('base64')}`,
    },
  });

function pkce() {
  const verifier = b64url(randomBytes(32));
  return {
    verifier,
    challenge: b64url(createHash('sha256').update(verifier).digest()),
  };
}

describe('OIDC provider: authorization code flow for the portal', () => {
  it('announces the code flow with PKCE in its discovery document', async () => {
    const doc = JSON.parse(
      (await call('GET', `${OIDC.url}/.well-known/openid-configuration`)).text,
    );
    assert.equal(doc.issuer, 'https://aai.egi.eu/auth/realms/egi');
    assert.equal(doc.authorization_endpoint, `${OIDC.url}/authorize`);
    assert.ok(doc.grant_types_supported.includes('authorization_code'));
    assert.ok(doc.code_challenge_methods_supported.includes('S256'));
    assert.ok(doc.scopes_supported.includes('voperson_id'));
  });

  it('logs in on the form and answers an ID token with Check-in claims, once per code', async () => {
    const { verifier, challenge } = pkce();
    const wrong = await logIn(
      { code_challenge: challenge, code_challenge_method: 'S256' },
      'wrong',
    );
    assert.equal(wrong.posted.status, 200);
    assert.match(wrong.posted.text, /Invalid username or password\./);

    const { back } = await logIn({
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    assert.equal(`${back!.origin}${back!.pathname}`, client.redirectUri);
    assert.equal(back!.searchParams.get('state'), 'st');
    assert.equal(
      back!.searchParams.get('iss'),
      'https://aai.egi.eu/auth/realms/egi',
    );
    const code = back!.searchParams.get('code')!;

    const tokens = await redeem(code, { code_verifier: verifier });
    assert.equal(tokens.status, 200, tokens.text);
    const { id_token, access_token } = JSON.parse(tokens.text);
    const id = claimsOf(id_token);
    assert.equal(id.iss, 'https://aai.egi.eu/auth/realms/egi');
    assert.equal(id.aud, client.id);
    assert.equal(id.nonce, 'n-1');
    assert.equal(id.sub, operator.sub);
    assert.equal(id.voperson_id, operator.sub);
    assert.equal(id.email, operator.email);
    assert.deepEqual(id.eduperson_entitlement, operator.entitlements);
    const atHash = createHash('sha256')
      .update(access_token)
      .digest()
      .subarray(0, 16);
    assert.equal(id.at_hash, b64url(atHash));

    const userinfo = await call('GET', `${OIDC.url}/userinfo`, {
      headers: { Authorization: `Bearer ${access_token}` },
    });
    assert.deepEqual(JSON.parse(userinfo.text), {
      sub: operator.sub,
      name: operator.name,
      email: operator.email,
      email_verified: true,
      eduperson_entitlement: operator.entitlements,
      voperson_id: operator.sub,
    });

    const again = await redeem(code, { code_verifier: verifier });
    assert.equal(again.status, 400);
    assert.equal(JSON.parse(again.text).error, 'invalid_grant');
  });

  it('refuses a code without the right PKCE verifier or with another redirect URI', async () => {
    const { challenge } = pkce();
    const first = await logIn({
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const wrongVerifier = await redeem(first.back!.searchParams.get('code')!, {
      code_verifier: pkce().verifier,
    });
    assert.equal(wrongVerifier.status, 400);
    assert.match(JSON.parse(wrongVerifier.text).error_description, /PKCE/);

    const { verifier, challenge: c2 } = pkce();
    const second = await logIn({
      code_challenge: c2,
      code_challenge_method: 'S256',
    });
    const otherUri = await redeem(second.back!.searchParams.get('code')!, {
      code_verifier: verifier,
      redirect_uri: OIDC.portalRedirectUris[1],
    });
    assert.equal(otherUri.status, 400);
  });

  it('requires PKCE of the portal client and never redirects to an unregistered URI', async () => {
    const noPkce = await call('GET', authorizeUrl({}));
    assert.equal(noPkce.status, 302);
    assert.equal(
      new URL(String(noPkce.headers.location)).searchParams.get('error'),
      'invalid_request',
    );
    const elsewhere = await call(
      'GET',
      authorizeUrl({
        redirect_uri: 'http://attacker.example/cb',
        code_challenge: pkce().challenge,
        code_challenge_method: 'S256',
      }),
    );
    assert.equal(elsewhere.status, 400);
    assert.equal(elsewhere.headers.location, undefined);
  });

  it('answers login_required to prompt=none without a session, and a code with one', async () => {
    const { challenge } = pkce();
    const params = {
      code_challenge: challenge,
      code_challenge_method: 'S256',
      prompt: 'none',
    };
    const none = await call('GET', authorizeUrl(params));
    assert.equal(none.status, 302);
    assert.equal(
      new URL(String(none.headers.location)).searchParams.get('error'),
      'login_required',
    );
    const { cookie } = await logIn({
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const withSession = await call('GET', authorizeUrl(params), {
      headers: { Cookie: cookie },
    });
    assert.equal(withSession.status, 302);
    assert.ok(
      new URL(String(withSession.headers.location)).searchParams.get('code'),
    );
  });
});
