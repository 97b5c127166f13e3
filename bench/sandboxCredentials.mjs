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
