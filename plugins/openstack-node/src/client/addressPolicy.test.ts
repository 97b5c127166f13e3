import http from 'node:http';
import { AddressInfo } from 'node:net';
import { z } from 'zod';
import { AddressPolicy } from './addressPolicy';
import { OpenStackHttp } from './http';

describe('AddressPolicy', () => {
  it('always refuses link-local (cloud metadata) and this-host ranges', () => {
    const policy = new AddressPolicy();
    expect(policy.refusal('169.254.169.254')).toMatch(/denied range/);
    expect(policy.refusal('fe80::1')).toMatch(/denied range/);
    expect(policy.refusal('0.0.0.0')).toMatch(/denied range/);
    expect(policy.refusal('127.0.0.1')).toBeUndefined();
  });

  it('applies configured allow and deny ranges', () => {
    const policy = new AddressPolicy({
      allow: ['127.0.0.0/8'],
      deny: ['127.0.0.2/32'],
    });
    expect(policy.refusal('127.0.0.1')).toBeUndefined();
    expect(policy.refusal('127.0.0.2')).toMatch(/denied range/);
    expect(policy.refusal('10.1.2.3')).toMatch(/not in an allowed range/);
    expect(() => new AddressPolicy({ deny: ['nonsense'] })).toThrow(
      'not an IP range: nonsense',
    );
    for (const range of ['fe80::zz/10', '10.0.0.0/40', '::1/129']) {
      expect(() => new AddressPolicy({ allow: [range] })).toThrow(
        `not an IP range: ${range}`,
      );
    }
    const v6 = new AddressPolicy({ allow: ['2001:db8::/32'] });
    expect(v6.refusal('2001:db8::7')).toBeUndefined();
    expect(v6.refusal('2001:db9::7')).toMatch(/not in an allowed range/);
  });
});

describe('OpenStackHttp with an address policy', () => {
  let server: http.Server;
  let port: number;
  let hits = 0;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      hits += 1;
      res.end('{}');
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));

  it('refuses a denied address without connecting, as an IP or behind a name', async () => {
    const client = new OpenStackHttp({
      addressPolicy: new AddressPolicy({ deny: ['127.0.0.0/8', '::1/128'] }),
      timeoutMs: 2000,
    });
    try {
      for (const host of ['127.0.0.1', 'localhost']) {
        const result = await client.request({
          url: `http://${host}:${port}/v3`,
          schema: z.unknown(),
        });
        expect(result).toMatchObject({
          ok: false,
          error: {
            kind: 'refused',
            message: expect.stringMatching(/denied range/),
          },
          evidence: { error: expect.stringMatching(/denied range/) },
        });
      }
      // The metadata address is refused by default, before any packet leaves.
      const metadata = await new OpenStackHttp({ timeoutMs: 2000 }).request({
        url: 'http://169.254.169.254/latest/meta-data/',
        schema: z.unknown(),
      });
      expect(!metadata.ok && metadata.error.kind).toBe('refused');
      expect(hits).toBe(0);
    } finally {
      client.close();
    }
  });

  it('connects where the policy allows', async () => {
    const client = new OpenStackHttp({
      addressPolicy: new AddressPolicy({ allow: ['127.0.0.0/8'] }),
    });
    try {
      const result = await client.request({
        url: `http://127.0.0.1:${port}/`,
        schema: z.unknown(),
      });
      expect(result.ok).toBe(true);
      expect(hits).toBe(1);
    } finally {
      client.close();
    }
  });
});
