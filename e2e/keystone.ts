// Site-a's Keystone as the browser tests check it: the sandbox admin's token and raw API calls
// (what the portal did must be found in the real Keystone, not only in its own answers).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The sandbox's accounts: the environment first, else .sandbox/credentials.env. */
export function sandboxSetting(key: string): string {
  if (process.env[key]) return process.env[key]!;
  const file = resolve(
    import.meta.dirname,
    '..',
    '.sandbox',
    'credentials.env',
  );
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match?.[1] === key)
      return match[2].trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  throw new Error(`${key} is not set and not in .sandbox/credentials.env`);
}

export const keystoneUrl = () =>
  process.env.SITE_A_KEYSTONE_URL ?? 'http://127.0.0.1:5000/v3';

/** An admin token of site-a's Keystone (the sandbox admin, project-scoped). */
export async function adminToken(): Promise<string> {
  const response = await fetch(`${keystoneUrl()}/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: {
            user: {
              name: sandboxSetting('FEDSTACK_SANDBOX_ADMIN_USERNAME'),
              domain: { id: 'default' },
              password: sandboxSetting('FEDSTACK_SANDBOX_ADMIN_PASSWORD'),
            },
          },
        },
        scope: {
          project: {
            name: sandboxSetting('FEDSTACK_SANDBOX_ADMIN_PROJECT'),
            domain: { id: 'default' },
          },
        },
      },
    }),
  });
  assert.equal(response.status, 201, 'the sandbox admin could not log in');
  return response.headers.get('x-subject-token')!;
}

export async function keystone(
  token: string,
  path: string,
  init: RequestInit = {},
) {
  return fetch(`${keystoneUrl()}${path}`, {
    ...init,
    headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json' },
  });
}
