import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { credentialSetSchema } from '../config';
import { caCertificatesOfSet } from './siteSessions';

// A credential set's CA file or directory is read when the config is: a path that holds no CA
// stops the backend at start, named by its key, rather than failing every scan of the site.
const reader = { type: 'password', username: 'reader', password: 'pw' };
const keystoneUrls = ['https://keystone.example.org:5000/v3'];
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedstack-set-ca-'));
  const capath = path.join(dir, 'certificates');
  fs.mkdirSync(capath);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=Site CA',
      '-keyout',
      path.join(dir, 'ca.key'),
      '-out',
      path.join(capath, 'SiteCA.pem'),
    ],
    { stdio: 'ignore' },
  );
  fs.writeFileSync(path.join(capath, 'SiteCA.signing_policy'), 'policy');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a credential set with its site CA', () => {
  it('reads the CA directory once per set', () => {
    const set = credentialSetSchema.parse({
      keystoneUrls,
      reader,
      caPath: path.join(dir, 'certificates'),
    });
    const first = caCertificatesOfSet(set);
    expect(first).toHaveLength(1);
    expect(first?.[0]).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(caCertificatesOfSet(set)).toBe(first);
    expect(
      caCertificatesOfSet(credentialSetSchema.parse({ keystoneUrls, reader })),
    ).toBeUndefined();
  });

  it('refuses, at config time, a directory without certificates and a missing CA file', () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    fs.writeFileSync(path.join(empty, 'abcdef01.r0'), 'a CRL');
    const issues = (extra: object) => {
      const result = credentialSetSchema.safeParse({
        keystoneUrls,
        reader,
        ...extra,
      });
      return result.success
        ? []
        : result.error.issues.map(i => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ caPath: empty })).toEqual([
      `caPath: no CA certificate in the directory ${empty} (looked at 0 of its 1 files: those named <hash>.N as openssl rehash names them, or *.pem, *.crt, *.cer)`,
    ]);
    expect(issues({ caFile: path.join(dir, 'nope.pem') })).toEqual([
      expect.stringMatching(/^caFile: cannot read .*nope\.pem: ENOENT/),
    ]);
  });
});
