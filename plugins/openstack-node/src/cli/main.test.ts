import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXIT_COULD_NOT_SCAN, main } from './main';

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
      'credentials.replicator: needs password or passwordEnv',
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
    expect(run.err.join('')).toContain('--format must be table, json or junit');
  });
});
