import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { EXIT_COULD_NOT_SCAN, EXIT_NAGIOS_UNKNOWN, main } from './main';

function io(env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
      env,
    },
  };
}

describe('fedstack scan: refusing what it cannot use', () => {
  it('names every bad field of a config file, without echoing its secrets', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedstack-cli-'));
    const file = path.join(dir, 'site.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        site: { name: 'x', keystoneUrl: 'ftp://keystone.example.org' },
        profiles: ['no-such-profile'],
        credentials: {
          reader: {
            type: 'password',
            username: 'u',
            password: 'hunter2-secret',
          },
          replicator: { type: 'password', username: 'r' },
        },
      }),
    );
    const run = io();
    expect(await main(['scan', '--config', file], run.io)).toBe(
      EXIT_COULD_NOT_SCAN,
    );
    const said = run.err.join('');
    expect(said).toContain('site.keystoneUrl');
    expect(said).toContain('profiles.0');
    expect(said).toContain(
      'credentials.replicator.password: needs password or passwordEnv',
    );
    expect(said).not.toContain('hunter2-secret');
  });

  it('says which environment variable is missing', async () => {
    const run = io({
      OS_AUTH_URL: 'http://127.0.0.1:1/v3',
      OS_USERNAME: 'admin',
    });
    expect(await main(['scan'], run.io)).toBe(EXIT_COULD_NOT_SCAN);
    expect(run.err.join('')).toContain(
      'environment variable OS_PASSWORD is not set',
    );
  });

  it('refuses unknown formats and commands', async () => {
    const run = io();
    expect(await main(['scan', '--format', 'xml'], run.io)).toBe(
      EXIT_COULD_NOT_SCAN,
    );
    expect(await main(['destroy'], run.io)).toBe(EXIT_COULD_NOT_SCAN);
    expect(run.err.join('')).toContain(
      '--format must be table, json, yaml, junit, nagios',
    );
  });

  it('refuses an unknown check or profile', async () => {
    const run = io();
    expect(await main(['scan', '--check', 'keystone.v3,no.such'], run.io)).toBe(
      EXIT_COULD_NOT_SCAN,
    );
    expect(run.err.join('')).toContain('no check no.such (checks: ');
    expect(await main(['scan', '--profile', 'gold'], run.io)).toBe(
      EXIT_COULD_NOT_SCAN,
    );
    expect(run.err.join('')).toContain('no profile gold');
  });

  it('answers UNKNOWN (3) on standard output as a Nagios plugin when it cannot scan', async () => {
    const run = io({
      OS_AUTH_URL: 'http://127.0.0.1:1/v3',
      OS_USERNAME: 'admin',
    });
    expect(await main(['scan', '-f', 'nagios'], run.io)).toBe(
      EXIT_NAGIOS_UNKNOWN,
    );
    expect(run.out.join('')).toMatch(
      /^FEDSTACK UNKNOWN - the scan configuration is not usable: .*OS_PASSWORD is not set/,
    );
  });
});

describe('fedstack scan on a closed pipe', () => {
  const bin = path.resolve(__dirname, '../../bin/fedstack');

  // A real pipe into `head -1`: the reader leaves after one line, and later writes get EPIPE.
  // Keystone at a closed port: the scan ends at once, with a report of many lines.
  function piped(format: string, reader: string) {
    const errFile = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'fedstack-pipe-')),
      'err',
    );
    const run = spawnSync(
      'bash',
      [
        '-c',
        `set -o pipefail; "${bin}" scan -f ${format} --profile egi-fedcloud,tenant-platform 2>"$ERR_FILE" | ${reader}`,
      ],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          HOME: os.tmpdir(),
          ERR_FILE: errFile,
          OS_AUTH_URL: 'http://127.0.0.1:1/v3',
          OS_USERNAME: 'admin',
          OS_PASSWORD: 'pipe-secret',
          OS_PROJECT_NAME: 'admin',
        },
      },
    );
    return { ...run, fedstackErr: fs.readFileSync(errFile, 'utf8') };
  }

  it.each([
    ['json', 'head -1'],
    ['yaml', 'head -1'],
    // A reader that is gone before the first write.
    ['table', 'true'],
  ])('-f %s | %s: no EPIPE trace, the scan’s exit code', (format, reader) => {
    const run = piped(format, reader);
    expect(run.error).toBeUndefined();
    // pipefail: fedstack's own code, 1 (not ready: nothing answers), not a crash.
    expect(run.status).toBe(1);
    expect(run.fedstackErr).not.toMatch(/EPIPE|Error|\n\s+at /);
    // `head -1` printed one line; `true` none.
    expect(run.stdout.split('\n')).toHaveLength(reader === 'true' ? 1 : 2);
  });
});
