import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { EvidenceRecorder } from '../../client/evidence';
import { OpenStackSession } from '../../client/session';
import { startLocalServer } from '../../testing/localServer';
import { DEFAULT_SCAN_SETTINGS, ScanContext } from '../context';
import { judgeTls, keystoneTls, probeTls } from './keystoneTls';

// Real certificates, made with the openssl CLI for this run, served by real TLS sockets.

let dir: string;
const file = (name: string) => path.join(dir, name);

function openssl(...args: string[]) {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A key and a certificate request for CN=<cn>, with the given subjectAltName. */
function request(name: string, cn: string, san: string) {
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${cn}`,
  );
  fs.writeFileSync(file(`${name}.ext`), `subjectAltName=${san}\n`);
}

/** Signed by the test CA, valid from now for `days`. */
function signed(name: string, cn: string, san: string, days: number) {
  request(name, cn, san);
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    String(days),
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.crt`,
  );
}

interface TlsServer {
  url: string;
  close(): Promise<void>;
}

async function serve(name: string): Promise<TlsServer> {
  const sockets = new Set<Socket>();
  const server = tls.createServer(
    {
      key: fs.readFileSync(file(`${name}.key`)),
      cert: fs.readFileSync(file(`${name}.crt`)),
    },
    socket => socket.end(),
  );
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that rejects the certificate resets the connection: not the server's concern.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/v3`,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const servers: Record<string, TlsServer> = {};
let ca: Buffer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedstack-tls-'));
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '30',
    '-subj',
    '/CN=fedstack test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  ca = fs.readFileSync(file('ca.crt'));
  signed('valid', 'keystone.test', 'IP:127.0.0.1,DNS:localhost', 365);
  signed('soon', 'keystone.test', 'IP:127.0.0.1,DNS:localhost', 10);
  signed('wronghost', 'keystone.example.org', 'DNS:keystone.example.org', 365);
  // Expired: `openssl ca` sets both dates (openssl 3.0's x509 has no -not_before).
  request('expired', 'keystone.test', 'IP:127.0.0.1,DNS:localhost');
  fs.writeFileSync(file('index.txt'), '');
  fs.writeFileSync(file('serial'), '01\n');
  fs.writeFileSync(
    file('ca.cnf'),
    [
      '[ca]',
      'default_ca = test',
      '[test]',
      'database = index.txt',
      'new_certs_dir = .',
      'serial = serial',
      'default_md = sha256',
      'policy = any',
      'unique_subject = no',
      '[any]',
      'commonName = supplied',
    ].join('\n'),
  );
  openssl(
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-cert',
    'ca.crt',
    '-keyfile',
    'ca.key',
    '-in',
    'expired.csr',
    '-out',
    'expired.crt',
    '-startdate',
    '20250101000000Z',
    '-enddate',
    '20250201000000Z',
    '-extfile',
    'expired.ext',
    '-notext',
  );
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'selfsigned.key',
    '-out',
    'selfsigned.crt',
    '-days',
    '365',
    '-subj',
    '/CN=keystone.test',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  );
  for (const name of ['valid', 'soon', 'wronghost', 'expired', 'selfsigned']) {
    servers[name] = await serve(name);
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(Object.values(servers).map(server => server.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function judged(
  name: string,
  warnDays = DEFAULT_SCAN_SETTINGS.tlsWarnDays,
) {
  const result = await probeTls(servers[name].url, { ca, timeoutMs: 5000 });
  if (!result.ok) throw new Error(`no handshake: ${result.error}`);
  return judgeTls(result.probe, { now: new Date(), warnDays });
}

describe('probeTls and judgeTls', () => {
  it('passes a certificate from a trusted CA, valid for the host, far from expiry', async () => {
    const result = await probeTls(servers.valid.url, { ca });
    expect(result.ok && result.probe).toMatchObject({
      chainVerified: true,
      subject: 'CN=keystone.test',
      issuer: 'CN=fedstack test CA',
      subjectAltNames: ['IP Address:127.0.0.1', 'DNS:localhost'],
    });
    expect(result.evidence).toMatchObject({
      method: 'TLS',
      url: expect.stringMatching(/^tls:\/\/127\.0\.0\.1:\d+$/),
      requestHeaders: {},
      responseHeaders: {},
    });
    expect(result.evidence.error).toBeUndefined();
    const outcome = await judged('valid');
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toMatch(
      /certificate at 127\.0\.0\.1:\d+ verifies, is valid for 127\.0\.0\.1 and expires on \d{4}-\d\d-\d\d \(in 36[45] days\)/,
    );
    expect(outcome.details).toMatchObject({
      subject: 'CN=keystone.test',
      issuer: 'CN=fedstack test CA',
      daysLeft: expect.any(Number),
      subjectAltNames: ['IP Address:127.0.0.1', 'DNS:localhost'],
    });
  });

  it('warns under the threshold of days to expiry, and passes above it', async () => {
    const outcome = await judged('soon');
    expect(outcome.status).toBe('warn');
    expect(outcome.message).toMatch(
      /expires on \d{4}-\d\d-\d\d, in 9 day\(s\), under the 14-day threshold: renew it$/,
    );
    expect((await judged('soon', 5)).status).toBe('pass');
  });

  it('fails an expired certificate, saying when it expired', async () => {
    const outcome = await judged('expired');
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toMatch(
      /certificate at 127\.0\.0\.1:\d+ expired on 2025-02-01; issued to CN=keystone\.test by CN=fedstack test CA$/,
    );
    expect(outcome.details).toMatchObject({ chainError: 'CERT_HAS_EXPIRED' });
  });

  it('fails a self-signed certificate', async () => {
    const outcome = await judged('selfsigned');
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toContain(
      'is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)',
    );
  });

  it('fails a certificate for another host', async () => {
    const outcome = await judged('wronghost');
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toMatch(
      /is not valid for 127\.0\.0\.1 \(it names DNS:keystone\.example\.org\); issued to CN=keystone\.example\.org/,
    );
    expect(outcome.details).toMatchObject({
      chainVerified: true,
      subjectAltNames: ['DNS:keystone.example.org'],
    });
  });

  it('fails a chain it cannot verify without the CA', async () => {
    const result = await probeTls(servers.valid.url);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const outcome = judgeTls(result.probe, { now: new Date(), warnDays: 14 });
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toContain(
      'is issued by a CA that is not in the trust store',
    );
  });

  it('reports a server that does not speak TLS, within the timeout', async () => {
    const plain = await startLocalServer((_req, res) => res.end('hello'));
    try {
      const result = await probeTls(plain.url.replace('http:', 'https:'), {
        timeoutMs: 2000,
      });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.evidence.error).toBeTruthy();
    } finally {
      await plain.close();
    }
  });
});

describe('keystone.tls', () => {
  function context(keystoneUrl: string): ScanContext {
    const session = new OpenStackSession({
      keystoneUrl,
      credential: { type: 'password', username: 'unused', password: 'unused' },
    });
    return {
      site: { name: 'test', keystoneUrl },
      settings: DEFAULT_SCAN_SETTINGS,
      sessions: { reader: session },
      sources: {},
      recorder: new EvidenceRecorder(),
      // keystone.tls reads nothing other checks share.
      shared: () => Promise.reject(new Error('not used')),
      now: () => new Date(),
    };
  }

  it('fails a plain http URL without connecting', async () => {
    const ctx = context('http://127.0.0.1:5000/v3');
    const outcome = await keystoneTls.run(ctx);
    expect(outcome).toEqual({
      status: 'fail',
      message:
        "Keystone's public URL http://127.0.0.1:5000/v3 is plain http: serve it over https with a certificate valid for 127.0.0.1",
    });
    expect(ctx.recorder.evidence).toEqual([]);
  });

  it('judges with the default trust store, recording the handshake as evidence', async () => {
    const ctx = context(servers.selfsigned.url);
    const outcome = await keystoneTls.run(ctx);
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toContain('is self-signed');
    expect(ctx.recorder.evidence).toHaveLength(1);
    expect(ctx.recorder.evidence[0]).toMatchObject({
      method: 'TLS',
      responseBody: expect.stringContaining('"subject":"CN=keystone.test"'),
    });
  });

  it('fails when no TLS handshake happens', async () => {
    const plain = await startLocalServer((_req, res) => res.end('hello'));
    try {
      const outcome = await keystoneTls.run(
        context(`${plain.url.replace('http:', 'https:')}/v3`),
      );
      expect(outcome.status).toBe('fail');
      expect(outcome.message).toMatch(
        /^No TLS handshake with Keystone at 127\.0\.0\.1:\d+: /,
      );
    } finally {
      await plain.close();
    }
  });
});
