'use strict';
// A tiny OpenStack REST client for the sandbox scripts (seed, verify, record, federated-login).
// Plain Node 20 (fetch), no npm dependencies.
const fs = require('fs');
const path = require('path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SANDBOX_DIR =
  process.env.FEDSTACK_SANDBOX_DIR || path.join(REPO_ROOT, '.sandbox');

// credentials.env (written by sandbox/start), overridden by the process environment.
function loadCredentials() {
  const file = path.join(SANDBOX_DIR, 'credentials.env');
  const env = {};
  if (fs.existsSync(file)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (m) env[m[1]] = m[2];
    }
  }
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('FEDSTACK_SANDBOX_') || k.startsWith('SITE_')) env[k] = v;
  }
  return env;
}

class HttpError extends Error {
  constructor(method, url, status, text) {
    super(`${method} ${url} -> ${status}: ${text.slice(0, 500)}`);
    this.status = status;
  }
}

// request(method, url, {token, body, headers, expect, raw}) -> {status, headers, json, text}
// expect: list of accepted statuses (default: any 2xx).
async function request(method, url, opts = {}) {
  const headers = { Accept: 'application/json', ...(opts.headers || {}) };
  if (opts.token) headers['X-Auth-Token'] = opts.token;
  let body;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) {
    headers['Content-Type'] = headers['Content-Type'] || 'application/json';
    body = JSON.stringify(opts.body);
  }
  const res = await fetch(url, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(opts.timeoutMs || 60000),
  });
  const text = await res.text();
  const ok = opts.expect
    ? opts.expect.includes(res.status)
    : res.status >= 200 && res.status < 300;
  if (!ok) throw new HttpError(method, url, res.status, text);
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

// Password token; scope: {project: {name, domain: {id}}} | {system: {all: true}} | undefined.
async function passwordToken(keystoneUrl, username, password, scope) {
  const auth = {
    identity: {
      methods: ['password'],
      password: {
        user: { name: username, domain: { id: 'default' }, password },
      },
    },
  };
  if (scope) auth.scope = scope;
  const res = await request('POST', `${keystoneUrl}/auth/tokens`, {
    body: { auth },
  });
  return { token: res.headers.get('x-subject-token'), body: res.json };
}

// A session on one Keystone with one token; api(method, path) against Keystone itself.
class Session {
  constructor(keystoneUrl, token) {
    this.url = keystoneUrl;
    this.token = token;
  }
  static async login(keystoneUrl, username, password, scope) {
    const { token, body } = await passwordToken(
      keystoneUrl,
      username,
      password,
      scope,
    );
    const s = new Session(keystoneUrl, token);
    s.tokenBody = body;
    return s;
  }
  call(method, url, opts = {}) {
    const full = url.startsWith('http') ? url : `${this.url}${url}`;
    return request(method, full, { token: this.token, ...opts });
  }
  async get(url, opts) {
    return (await this.call('GET', url, opts)).json;
  }
  async post(url, body, opts) {
    return (await this.call('POST', url, { body, ...opts })).json;
  }
  async put(url, body, opts) {
    return (await this.call('PUT', url, { body, ...opts })).json;
  }
  async patch(url, body, opts) {
    return (await this.call('PATCH', url, { body, ...opts })).json;
  }
  async del(url) {
    await this.call('DELETE', url, { expect: [200, 202, 204, 404] });
  }
  async exists(url) {
    return (
      (await this.call('HEAD', url, { expect: [200, 204, 404] })).status !== 404
    );
  }
}

module.exports = {
  SANDBOX_DIR,
  REPO_ROOT,
  loadCredentials,
  request,
  passwordToken,
  Session,
  HttpError,
};
