import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';

/**
 * The running sandbox's accounts (`.sandbox/credentials.env`, written by `sandbox/start`), for
 * integration tests. Environment variables win over the file.
 */

const CREDENTIALS_FILE = path.resolve(
  // Test-only helper, run from the source tree: never part of a build.
  // eslint-disable-next-line no-restricted-syntax
  __dirname,
  '../../../../.sandbox/credentials.env',
);

export function sandboxSettings(): Record<string, string> {
  const settings: Record<string, string> = {};
  if (fs.existsSync(CREDENTIALS_FILE)) {
    for (const line of fs.readFileSync(CREDENTIALS_FILE, 'utf8').split('\n')) {
      const match = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
      if (match)
        settings[match[1]] = match[2].trim().replace(/^(['"])(.*)\1$/, '$2');
    }
  }
  for (const [key, value] of Object.entries(process.env)) {
    if (
      (key.startsWith('FEDSTACK_SANDBOX_') || key.startsWith('SITE_')) &&
      value
    ) {
      settings[key] = value;
    }
  }
  return settings;
}

/**
 * The test command sets FEDSTACK_SANDBOX_REQUIRED=1 after starting the sandbox: integration
 * tests then run (and fail) instead of skipping when a service does not answer.
 */
export const SANDBOX_REQUIRED = process.env.FEDSTACK_SANDBOX_REQUIRED === '1';

/** Whether something accepts TCP connections at a URL's host and port (within 1 s). */
export function reachable(url: string): Promise<boolean> {
  const { hostname, port, protocol } = new URL(url);
  return new Promise(resolve => {
    const socket = net.connect({
      host: hostname,
      port: Number(port || (protocol === 'https:' ? 443 : 80)),
    });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The same, synchronously (a child process tries the connection): jest decides between
 * `describe` and `describe.skip` when the file loads, before any await.
 */
export function reachableSync(url: string): boolean {
  const { hostname, port, protocol } = new URL(url);
  const script = `const s=require('node:net').connect({host:${JSON.stringify(
    hostname,
  )},port:${Number(port || (protocol === 'https:' ? 443 : 80))}});
s.setTimeout(1000,()=>process.exit(1));s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));`;
  const result = spawnSync(process.execPath, ['-e', script], {
    timeout: 3000,
  });
  return result.status === 0;
}

/**
 * An OIDC access token from the sandbox's Check-in stand-in (password grant for its test
 * accounts; self-signed certificate, trusted from the sandbox's CA file).
 */
export function sandboxAccessToken(
  settings: Record<string, string>,
  username = settings.FEDSTACK_SANDBOX_OIDC_USERNAME ?? 'ops-tester',
): Promise<string> {
  const tokenUrl =
    settings.FEDSTACK_SANDBOX_OIDC_TOKEN_URL ?? 'https://127.0.0.1:8443/token';
  const ca = fs.readFileSync(
    settings.FEDSTACK_SANDBOX_OIDC_CA_FILE ??
      path.resolve(CREDENTIALS_FILE, '../oidc/tls.crt'),
  );
  const form = new URLSearchParams({
    grant_type: 'password',
    username,
    password: settings.FEDSTACK_SANDBOX_OIDC_PASSWORD ?? 'oidc-secret',
    scope: 'openid eduperson_entitlement',
  }).toString();
  const client = `${
    settings.FEDSTACK_SANDBOX_OIDC_CLIENT_ID ?? 'fedstack-tests'
  }:${settings.FEDSTACK_SANDBOX_OIDC_TEST_SECRET ?? 'tests-oidc-secret'}`;
  return new Promise((resolve, reject) => {
    const req = https.request(
      tokenUrl,
      {
        method: 'POST',
        ca,
        agent: new https.Agent({ ca }),
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from(client).toString('base64')}`,
        },
      },
      res => {
        let body = '';
        res.on('data', chunk => {
          body += chunk;
        });
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(JSON.parse(body).access_token)
            : reject(new Error(`token endpoint ${res.statusCode}: ${body}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(form);
  });
}

/**
 * Whether a live test runs: a Keystone answers at `keystoneUrl` (decided when the file loads), or
 * the test command requires the sandbox.
 */
export function sandboxLive(keystoneUrl: string) {
  const live = SANDBOX_REQUIRED || reachableSync(keystoneUrl);
  return { live, describeLive: live ? describe : describe.skip };
}
