import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CaCertificatesError, readCaCertificates } from './caCertificates';

// Real certificates made by openssl (the sandbox's tool too), laid out as EGI sites' trust
// anchors are: /etc/grid-security/certificates holds `<hash>.0` links to `<name>.pem`, signing
// policies, namespaces and CRLs (`<hash>.r0`).
let dir: string;
const made: Record<string, { pem: string; hash: string }> = {};

function makeCa(name: string): { pem: string; hash: string } {
  const key = path.join(dir, `${name}.key`);
  const crt = path.join(dir, `${name}.crt`);
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
      `/CN=${name}`,
      '-keyout',
      key,
      '-out',
      crt,
    ],
    { stdio: 'ignore' },
  );
  const pem = fs.readFileSync(crt, 'utf8');
  const hash = execFileSync('openssl', ['x509', '-hash', '-noout', '-in', crt])
    .toString()
    .trim();
  fs.rmSync(key);
  fs.rmSync(crt);
  return { pem, hash };
}

const subjects = (pems: string[] | undefined) =>
  (pems ?? []).map(p => new X509Certificate(p).subject).sort();

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedstack-ca-'));
  made.one = makeCa('Test CA One');
  made.two = makeCa('Test CA Two');
  made.three = makeCa('Test CA Three');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string | Buffer>) {
  const at = path.join(dir, name);
  fs.mkdirSync(at);
  for (const [file, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(at, file), content);
  }
  return at;
}

describe('readCaCertificates', () => {
  it('reads an IGTF-style directory: <hash>.0 links and *.pem once each, not the rest', () => {
    const capath = folder('igtf', {
      'TestCAOne.pem': made.one.pem,
      'TestCAOne.signing_policy': "access_id_CA X509 '/CN=Test CA One'\n",
      'TestCAOne.namespaces':
        'TO Issuer "/CN=Test CA One" PERMIT Subject ".*"\n',
      [`${made.one.hash}.r0`]:
        '-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n',
      // A leftover key is never read as a CA.
      'TestCAOne.key.pem':
        '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n',
      [`${made.two.hash}.0`]: made.two.pem,
      'README.txt': made.three.pem,
    });
    fs.symlinkSync('TestCAOne.pem', path.join(capath, `${made.one.hash}.0`));
    fs.symlinkSync('gone.pem', path.join(capath, `${made.three.hash}.0`));
    expect(subjects(readCaCertificates({ caPath: capath }))).toEqual([
      'CN=Test CA One',
      'CN=Test CA Two',
    ]);
    // Named as the CA file (OS_CACERT), a directory is read the same way, as requests does.
    expect(subjects(readCaCertificates({ caFile: capath }))).toEqual([
      'CN=Test CA One',
      'CN=Test CA Two',
    ]);
  });

  it('takes *.crt and DER *.cer files, and a bundle file with the directory', () => {
    const der = new X509Certificate(made.three.pem).raw;
    const capath = folder('mixed', {
      'one.crt': made.one.pem,
      'three.cer': der,
    });
    const bundle = path.join(dir, 'bundle.pem');
    fs.writeFileSync(bundle, `# two CAs\n${made.two.pem}\n${made.one.pem}`);
    expect(
      subjects(readCaCertificates({ caFile: bundle, caPath: capath })),
    ).toEqual(['CN=Test CA One', 'CN=Test CA Three', 'CN=Test CA Two']);
  });

  it('says so when a directory has no certificate, naming what it looked at', () => {
    const capath = folder('empty', {
      'abcdef01.r0': 'not a certificate',
      'x.signing_policy': 'policy',
      'broken.pem':
        '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
    });
    let error: unknown;
    try {
      readCaCertificates({ caPath: capath });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CaCertificatesError);
    expect((error as CaCertificatesError).key).toBe('caPath');
    expect((error as Error).message).toBe(
      `no CA certificate in the directory ${capath} (looked at 1 of its 3 files: those named <hash>.N as openssl rehash names them, or *.pem, *.crt, *.cer)`,
    );
  });

  it('refuses a missing location, a file as caPath and a file without certificates', () => {
    expect(() =>
      readCaCertificates({ caPath: path.join(dir, 'nope') }),
    ).toThrow(/^cannot read .*nope: ENOENT/);
    const file = path.join(dir, 'not-a-ca.pem');
    fs.writeFileSync(file, 'hello');
    expect(() => readCaCertificates({ caPath: file })).toThrow(
      /is not a directory \(a CA file is given as caFile\)/,
    );
    expect(() => readCaCertificates({ caFile: file })).toThrow(
      /not-a-ca\.pem holds no certificate/,
    );
    expect(readCaCertificates({})).toBeUndefined();
  });
});
