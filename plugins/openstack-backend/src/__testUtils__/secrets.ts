import { OpenStackHttp } from '@fedstack/plugin-openstack-node';

/**
 * Finding secrets in what a test captured (answers, log lines, console output) without ever
 * printing one: a failure names the capture and the kind of secret, not its value. Test-only.
 */

/** Some captured text, and where it came from ("GET /api/openstack/export?format=csv", "log"). */
export interface Capture {
  what: string;
  text: string;
}

/** A secret the test knows, and what to call it in a failure ("password of sandbox.reader"). */
export interface KnownSecret {
  kind: string;
  value: string;
}

// A Keystone Fernet token: base64url of a version byte 0x80 and a timestamp, so it starts
// "gAAAAA"; Keystone's are 180+ characters, any over 100 is taken for one.
export const FERNET_TOKEN = /gAAAAA[A-Za-z0-9_-]{94,}/;

/**
 * Every password and secret in an `openstack` configuration (credential sets, and anything
 * else under a key of that name), named by their path in it.
 */
export function configuredSecrets(openstack: object): KnownSecret[] {
  const found: KnownSecret[] = [];
  const walk = (value: unknown, path: string[]) => {
    if (!value || typeof value !== 'object') return;
    for (const [key, item] of Object.entries(value)) {
      if (/^(password|secret)$/.test(key) && typeof item === 'string') {
        found.push({ kind: `${key} of ${path.join('.')}`, value: item });
      } else {
        walk(item, [...path, key]);
      }
    }
  };
  walk(openstack, []);
  return found;
}

/**
 * The tokens Keystone issued to any OpenStack client in this process (the backend's included),
 * taken where the client hands each to its redactor. Call at a test file's top level.
 */
export function collectIssuedTokens(): string[] {
  const tokens: string[] = [];
  const original = OpenStackHttp.prototype.addExpiringSecret;
  beforeAll(() => {
    jest
      .spyOn(OpenStackHttp.prototype, 'addExpiringSecret')
      .mockImplementation(function record(
        this: OpenStackHttp,
        secret: string,
        until: Date,
        now?: number,
      ) {
        tokens.push(secret);
        return original.call(this, secret, until, now);
      });
  });
  afterAll(() => {
    jest.restoreAllMocks();
  });
  return tokens;
}

/**
 * Where a secret shows: one line per capture holding one of `secrets`, a Fernet-shaped token,
 * or a token header (`X-Subject-Token: …` or `"x-auth-token":"…"`). Empty when clean.
 */
export function leaks(captures: Capture[], secrets: KnownSecret[]): string[] {
  const found: string[] = [];
  for (const { what, text } of captures) {
    for (const secret of secrets) {
      if (text.includes(secret.value)) found.push(`${what}: ${secret.kind}`);
    }
    if (FERNET_TOKEN.test(text)) found.push(`${what}: a Fernet token`);
    for (const [, name, value] of text.matchAll(
      /x-(subject|auth)-token"?\s*[:=]\s*"?([^"\s,}]*)/gi,
    )) {
      if (value !== '' && value !== '<redacted>') {
        found.push(`${what}: an X-${name.toLowerCase()}-token header value`);
      }
    }
  }
  return found;
}
