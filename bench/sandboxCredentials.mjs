// The running sandbox's accounts (.sandbox/credentials.env, written by sandbox/start).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function sandboxCredentials() {
  return Object.fromEntries(
    readFileSync(join(root, '.sandbox/credentials.env'), 'utf8')
      .split('\n')
      .map(line => /^([A-Z0-9_]+)=(.*)$/.exec(line))
      .filter(Boolean)
      .map(m => [m[1], m[2]]),
  );
}

/**
 * The environment the `openstack` CLI and `fedstack scan` read for sandbox site-a: its admin
 * (OS_*), and the three platform accounts the scan checks (FEDSTACK_*).
 */
export function siteAEnvironment(credentials = sandboxCredentials()) {
  return {
    ...process.env,
    OS_AUTH_URL: 'http://127.0.0.1:5000/v3',
    OS_IDENTITY_API_VERSION: '3',
    OS_USERNAME: 'admin',
    OS_PASSWORD: credentials.FEDSTACK_SANDBOX_ADMIN_PASSWORD,
    OS_PROJECT_NAME: 'admin',
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_REGION_NAME: 'RegionOne',
    FEDSTACK_REPLICATOR_USERNAME: 'replicator',
    FEDSTACK_REPLICATOR_PASSWORD:
      credentials.FEDSTACK_SANDBOX_REPLICATOR_PASSWORD,
    FEDSTACK_METERING_USERNAME: 'metering',
    FEDSTACK_METERING_PASSWORD: credentials.FEDSTACK_SANDBOX_METERING_PASSWORD,
    FEDSTACK_ACCOUNTING_USERNAME: 'accounting',
    FEDSTACK_ACCOUNTING_PASSWORD:
      credentials.FEDSTACK_SANDBOX_ACCOUNTING_PASSWORD,
  };
}
