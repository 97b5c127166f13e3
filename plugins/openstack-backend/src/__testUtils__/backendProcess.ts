import { AddressInfo } from 'node:net';
import { startPostgresBackend } from './sandbox';

/**
 * A backend in a process of its own, for tests that kill it (SIGKILL: no shutdown hook runs).
 * Its database, sites and `openstack` configuration come as JSON in FEDSTACK_TEST_BACKEND; it
 * prints `listening <port>` once it serves. Run with Backstage's TypeScript transform:
 * `node --require @backstage/cli-node/config/nodeTransform.cjs backendProcess.ts`. Test-only.
 */
async function main() {
  const options = JSON.parse(process.env.FEDSTACK_TEST_BACKEND ?? '{}');
  const backend = await startPostgresBackend(options);
  const { port } = backend.server.address() as AddressInfo;
  process.stdout.write(`listening ${port}\n`);
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
