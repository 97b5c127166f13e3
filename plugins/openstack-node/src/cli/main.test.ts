import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  EXIT_COULD_NOT_SCAN,
  EXIT_NAGIOS_UNKNOWN,
  EXIT_READY,
  HELP,
  main,
  USAGE,
} from './main';
import { OPENSTACK_OPTIONS } from './openstackConfig';

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
  // A process of its own, as the command runs (the @fedstack/cli package's bin runs this main):
  // the sources through Backstage's TypeScript transform.
  const runner = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'fedstack-runner-')),
    'fedstack.cjs',
  );
  fs.writeFileSync(
    runner,
    `require(${JSON.stringify(
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    )});
require(${JSON.stringify(path.join(__dirname, 'main.ts'))})
  .main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env })
  .then(code => { process.exitCode = code; });
`,
  );
  const bin = `"${process.execPath}" "${runner}"`;

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
        `set -o pipefail; ${bin} scan -f ${format} --profile egi-fedcloud,tenant-platform 2>"$ERR_FILE" | ${reader}`,
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

describe('fedstack --help', () => {
  const lines = HELP.trimEnd().split('\n');
  const sections = lines.filter(l => /^[A-Z]/.test(l));
  /** The OPTIONS entries: a flag line at 7 columns, its text at 14. */
  const options = HELP.slice(
    HELP.indexOf('\nOPTIONS\n'),
    HELP.indexOf('\nENVIRONMENT\n'),
  )
    .split('\n')
    .filter(l => /^ {7}-/.test(l))
    .map(l => l.trim());

  it('is a man page: its sections, in order', () => {
    expect(sections).toEqual([
      'NAME',
      'SYNOPSIS',
      'DESCRIPTION',
      'OPTIONS',
      'ENVIRONMENT',
      'FILES',
      'EXIT STATUS',
      'EXAMPLES',
      'SEE ALSO',
    ]);
  });

  it('fits 80 columns (but for URLs), and no line ends with a colon (Backstage’s CLI report reads that as a heading)', () => {
    expect(
      lines.filter(l => l.length > 80 && !/^\s*https:\/\/\S+$/.test(l)),
    ).toEqual([]);
    expect(lines.filter(l => l.endsWith(':'))).toEqual([]);
  });

  it('names every OpenStack setting: each flag with its variable and default, each secret as a variable', () => {
    const flagged = OPENSTACK_OPTIONS.filter(o => o.flag);
    expect(flagged.length).toBeGreaterThan(15);
    for (const o of flagged) {
      expect(HELP).toContain(`\n       --${o.flag} `);
      const at = HELP.indexOf(`\n       --${o.flag} `);
      const entry = HELP.slice(at, HELP.indexOf('\n\n', at));
      expect(entry.replace(/\s+/g, ' ')).toMatch(
        new RegExp(`Env: ${o.env[0]}[ .].* Default: [^.]+\\.$`),
      );
    }
    for (const o of OPENSTACK_OPTIONS.filter(s => !s.flag)) {
      expect(HELP).toContain(`\n       ${o.env.join(', ')}\n`);
    }
  });

  it('gives every option a variable and a default, and each is an option fedstack takes', async () => {
    expect(options).toContain('-f, --format FORMAT');
    expect(options.length).toBe(
      OPENSTACK_OPTIONS.filter(o => o.flag).length + 10,
    );
    for (const synopsis of options) {
      const entry = HELP.slice(HELP.indexOf(`\n       ${synopsis}\n`));
      const text = entry.slice(0, entry.indexOf('\n\n')).replace(/\s+/g, ' ');
      expect(text).toMatch(/ Env: [^.]+\. Default: .+\.$/);
      // The parser knows it: with --help after it, the help, not an unknown option.
      const [flag, value] = synopsis.replace(/^-\w, /, '').split(' ');
      const run = io();
      expect(
        await main([flag, ...(value ? ['x'] : []), '--help'], run.io),
      ).toBe(EXIT_READY);
      expect(run.out.join('')).toBe(HELP);
    }
  });

  it('is printed by --help and -h on standard output; a bad command line gets the short usage', async () => {
    const run = io();
    expect(await main(['-h'], run.io)).toBe(EXIT_READY);
    expect(run.out.join('')).toBe(HELP);
    const bad = io();
    expect(await main(['scan', '--no-such-flag'], bad.io)).toBe(
      EXIT_COULD_NOT_SCAN,
    );
    expect(bad.err.join('')).toContain(USAGE);
    expect(bad.err.join('')).not.toContain('OPTIONS');
  });
});
