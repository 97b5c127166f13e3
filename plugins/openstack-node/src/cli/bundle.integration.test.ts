import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sandboxLive, sandboxSettings } from '../testing/sandboxCredentials';
import { EXIT_READY } from './main';

// The bundled CLI (`yarn build` → dist/fedstack.cjs, what bin/fedstack runs): one file that
// loads nothing else from node_modules, without Node's fetch, and scans like the sources.
const settings = sandboxSettings();
const { live, describeLive } = sandboxLive('http://127.0.0.1:5000/v3');
jest.setTimeout(120_000);

// Test-only: the package's own script, run from the source tree.
// eslint-disable-next-line no-restricted-syntax
const packageDir = path.resolve(__dirname, '../..');
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedstack-bundle-'));
const bundle = path.join(outDir, 'fedstack.cjs');

beforeAll(() => {
  const built = spawnSync(
    process.execPath,
    [path.join(packageDir, 'scripts/bundleCli.mjs'), bundle],
    { encoding: 'utf8' },
  );
  if (built.status !== 0 || built.stderr)
    throw new Error(`bundleCli.mjs failed: ${built.stderr}`);
});

afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

function node(script: string, args: string[] = [], env = {}) {
  return spawnSync(process.execPath, ['-e', script, bundle, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
}

it('loads as one file, without loading Node’s fetch (undici) or http2', () => {
  const result = node(`
    require(process.argv[1]);
    const files = Object.keys(require.cache);
    const unused = process.moduleLoadList.filter(m => /undici|http2/.test(m));
    console.log(JSON.stringify({ files, unused }));
  `);
  expect(result.stderr).toBe('');
  const { files, unused } = JSON.parse(result.stdout);
  expect(files).toEqual([bundle]);
  expect(unused).toEqual([]);
});

describeLive(
  `the bundled fedstack scan on the live sandbox${live ? '' : ' (SKIPPED)'}`,
  () => {
    it('scans site-a over axios’ http adapter and exits 0', () => {
      const result = node(
        `require(process.argv[1])
          .main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env })
          .then(code => { process.exitCode = code; });`,
        [
          'scan',
          '--keystone-url',
          'http://127.0.0.1:5000/v3',
          '--profile',
          'tenant-platform',
          '--format',
          'json',
        ],
        {
          OS_USERNAME: 'admin',
          OS_PASSWORD:
            settings.FEDSTACK_SANDBOX_ADMIN_PASSWORD ?? 'admin-secret',
          OS_PROJECT_NAME: 'admin',
          FEDSTACK_REPLICATOR_USERNAME: 'replicator',
          FEDSTACK_REPLICATOR_PASSWORD:
            settings.FEDSTACK_SANDBOX_REPLICATOR_PASSWORD ??
            'replicator-secret',
          FEDSTACK_METERING_USERNAME: 'metering',
          FEDSTACK_METERING_PASSWORD:
            settings.FEDSTACK_SANDBOX_METERING_PASSWORD ?? 'metering-secret',
        },
      );
      expect(result.stderr).toBe('');
      expect(result.status).toBe(EXIT_READY);
      const report = JSON.parse(result.stdout);
      expect(report.tokensIssued).toBe(3);
      const statuses = Object.fromEntries(
        report.results.map((r: { checkId: string; status: string }) => [
          r.checkId,
          r.status,
        ]),
      );
      expect(statuses['keystone.v3']).toBe('pass');
      expect(statuses['accounts.replicator']).toBe('pass');
    });
  },
);
