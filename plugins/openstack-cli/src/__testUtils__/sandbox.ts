import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { sandboxSettings } from '@fedstack/plugin-openstack-node/testUtils';

/** Sandbox site-a's Keystone (sandbox/README.md). */
export const SITE_A_KEYSTONE = 'http://127.0.0.1:5000/v3';

// Test-only: the package's folder in the source tree (its bin, its scripts).
// eslint-disable-next-line no-restricted-syntax
export const PACKAGE_DIR = path.resolve(__dirname, '../..');

/** Whether site-a's Keystone accepts connections (within 1 s), asked before the tests are made. */
function reachable(url: string): boolean {
  const { hostname, port } = new URL(url);
  const script = `const s=require('node:net').connect({host:${JSON.stringify(
    hostname,
  )},port:${Number(port)}});
s.setTimeout(1000,()=>process.exit(1));s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));`;
  return (
    spawnSync(process.execPath, ['-e', script], { timeout: 3000 }).status === 0
  );
}

/**
 * Live tests run when site-a answers, and always when the test command requires the sandbox
 * (FEDSTACK_SANDBOX_REQUIRED=1): a missing sandbox then fails them instead of skipping them.
 */
export function sandboxLive() {
  const live =
    process.env.FEDSTACK_SANDBOX_REQUIRED === '1' || reachable(SITE_A_KEYSTONE);
  return {
    live,
    describeLive: (title: string, fn: () => void) =>
      (live ? describe : describe.skip)(
        `${title}${live ? '' : ' (SKIPPED)'}`,
        fn,
      ),
  };
}

/**
 * site-a's reader (admin) and platform accounts as an operator's openrc sets them, and nothing
 * else of this process's environment but PATH.
 */
export function siteAEnvironment(): Record<string, string> {
  const settings = sandboxSettings();
  return {
    PATH: process.env.PATH ?? '',
    OS_AUTH_URL: SITE_A_KEYSTONE,
    OS_USERNAME: settings.FEDSTACK_SANDBOX_ADMIN_USERNAME ?? 'admin',
    OS_PASSWORD: settings.FEDSTACK_SANDBOX_ADMIN_PASSWORD ?? 'admin-secret',
    OS_PROJECT_NAME: settings.FEDSTACK_SANDBOX_ADMIN_PROJECT ?? 'admin',
    FEDSTACK_REPLICATOR_USERNAME: 'replicator',
    FEDSTACK_REPLICATOR_PASSWORD:
      settings.FEDSTACK_SANDBOX_REPLICATOR_PASSWORD ?? 'replicator-secret',
    FEDSTACK_METERING_USERNAME: 'metering',
    FEDSTACK_METERING_PASSWORD:
      settings.FEDSTACK_SANDBOX_METERING_PASSWORD ?? 'metering-secret',
  };
}
