import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXIT_READY } from '@fedstack/plugin-openstack-node';
import {
  PACKAGE_DIR,
  SITE_A_KEYSTONE,
  sandboxLive,
  siteAEnvironment,
} from './__testUtils__/sandbox';

// The bundled CLI (`yarn build` → dist/fedstack.cjs, what bin/fedstack runs and all the
// published package holds): one file that loads nothing else from node_modules, without Node's
// fetch, and scans like the sources.
const { describeLive } = sandboxLive();
jest.setTimeout(120_000);

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedstack-bundle-'));
const bundle = path.join(outDir, 'fedstack.cjs');

beforeAll(() => {
  const built = spawnSync(
    process.execPath,
    [path.join(PACKAGE_DIR, 'scripts/bundleCli.mjs'), bundle],
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

describeLive('the bundled fedstack scan on the live sandbox', () => {
  it('scans site-a over axios’ http adapter and exits 0', () => {
    const result = node(
      `require(process.argv[1])
          .main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env })
          .then(code => { process.exitCode = code; });`,
      [
        'scan',
        '--keystone-url',
        SITE_A_KEYSTONE,
        '--profile',
        'tenant-platform',
        '--format',
        'json',
      ],
      siteAEnvironment(),
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
});
