import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXIT_READY, runCli } from '@fedstack/plugin-openstack-node';
import {
  PACKAGE_DIR,
  sandboxLive,
  siteAEnvironment,
} from './__testUtils__/sandbox';

// The package as it would be published (`yarn pack`: prepack bundles, Backstage's prepack strips
// the dependencies), run with npx on a "clean machine": a folder outside the repository, an
// empty npm cache, npm offline (nothing may come from a registry), and a PATH with only Node and
// npm (the repository's node_modules/.bin holds a `fedstack` of its own).
const { describeLive } = sandboxLive();
jest.setTimeout(180_000);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fedstack-npx-'));
const tarball = path.join(work, 'fedstack-cli.tgz');
const machine = path.join(work, 'machine');

function which(command: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], {
    encoding: 'utf8',
  }).stdout.trim();
  if (!found) throw new Error(`${command} is not on PATH: npm is needed`);
  return found;
}

const cleanPath = [
  ...new Set([
    path.dirname(process.execPath),
    path.dirname(which('npx')),
    '/usr/bin',
    '/bin',
  ]),
].join(':');

function npx(args: string[], env: Record<string, string> = {}) {
  return spawnSync(which('npx'), args, {
    cwd: machine,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...env,
      PATH: cleanPath,
      HOME: machine,
      npm_config_cache: path.join(work, 'npm-cache'),
      npm_config_offline: 'true',
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    },
  });
}

beforeAll(() => {
  fs.mkdirSync(machine);
  const packed = spawnSync('yarn', ['pack', '--out', tarball], {
    cwd: PACKAGE_DIR,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (packed.status !== 0) {
    throw new Error(`yarn pack failed: ${packed.stdout}${packed.stderr}`);
  }
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

it('packs the bin, the one bundled file and no dependencies', () => {
  const files = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .sort();
  expect(files).toEqual([
    'package/CHANGELOG.md',
    'package/README.md',
    'package/bin/fedstack',
    'package/dist/fedstack.cjs',
    'package/dist/fedstack.cjs.map',
    'package/package.json',
  ]);
  const manifest = JSON.parse(
    spawnSync('tar', ['-xzOf', tarball, 'package/package.json'], {
      encoding: 'utf8',
    }).stdout,
  );
  expect(manifest).toMatchObject({
    name: '@fedstack/cli',
    bin: { fedstack: 'bin/fedstack' },
  });
  expect(manifest.dependencies).toBeUndefined();
  expect(manifest.peerDependencies).toBeUndefined();
  expect(manifest.optionalDependencies).toBeUndefined();
});

it('runs with npx from the tarball, offline with an empty cache: --help is the man page', async () => {
  const result = npx(['--yes', `file:${tarball}`, '--help']);
  expect(result.error).toBeUndefined();
  expect(result.stderr).toBe('');
  expect(result.status).toBe(EXIT_READY);
  // The same text as the sources': the bundle is not stale.
  let help = '';
  await runCli(['--help'], {
    stdout: { write: (t: string) => (help += t) },
    stderr: { write: () => undefined },
    env: {},
  });
  expect(result.stdout).toBe(help);
  expect(result.stdout).toMatch(/^NAME\n {7}fedstack scan - /);
  // npx installed the package alone: nothing else was there to install.
  const installs = path.join(work, 'npm-cache', '_npx');
  for (const install of fs.readdirSync(installs)) {
    expect(
      fs
        .readdirSync(path.join(installs, install, 'node_modules'))
        .filter(name => !name.startsWith('.')),
    ).toEqual(['@fedstack']);
  }
});

describeLive('npx fedstack scan on the live sandbox', () => {
  it('checks site-a’s Keystone with OS_* variables, prints JSON and exits 0', () => {
    const env = siteAEnvironment();
    const result = npx(
      [
        '--yes',
        `--package=${tarball}`,
        'fedstack',
        'scan',
        '--check',
        'keystone.v3',
        '-f',
        'json',
      ],
      env,
    );
    expect(result.error).toBeUndefined();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(EXIT_READY);
    const report = JSON.parse(result.stdout);
    expect(
      report.results.map((r: { checkId: string; status: string }) => [
        r.checkId,
        r.status,
      ]),
    ).toContainEqual(['keystone.v3', 'pass']);
    expect(result.stdout).not.toContain(env.OS_PASSWORD);
  });
});
