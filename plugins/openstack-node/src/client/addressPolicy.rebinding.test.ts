import dgram from 'node:dgram';
import dns from 'node:dns';
import http from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import * as packet from 'dns-packet';
import { z } from 'zod';
import { AddressPolicy, AddressPolicyOptions } from './addressPolicy';
import { OpenStackHttp } from './http';

/**
 * DNS rebinding: a name that resolved to an allowed address when it was checked resolves to a
 * refused one when it is connected to. The policy resolves inside the agents' `lookup`, so the
 * address checked is the address connected to. Shown here with a real DNS server on loopback
 * UDP that changes its answer between queries (TTL 0, so nothing is cached).
 */

const NAME = 'rebind.fedstack.test';

/** A DNS server on 127.0.0.1 answering A queries from `answers`, counting the queries. */
async function startDnsServer() {
  const socket = dgram.createSocket('udp4');
  const queries: string[] = [];
  const server = {
    // The addresses for the nth (1-based) A query of a name; unknown names get NXDOMAIN.
    answers: (_name: string, _nth: number): string[] | undefined => undefined,
    queries,
    port: 0,
    close: () => new Promise<void>(resolve => socket.close(() => resolve())),
  };
  socket.on('message', (message, remote) => {
    const query = packet.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    let addresses: string[] | undefined = [];
    if (question.type === 'A') {
      queries.push(question.name);
      const nth = queries.filter(name => name === question.name).length;
      addresses = server.answers(question.name, nth);
    }
    const NXDOMAIN = 3;
    const reply = packet.encode({
      type: 'response',
      id: query.id,
      flags:
        packet.AUTHORITATIVE_ANSWER |
        packet.RECURSION_DESIRED |
        (addresses ? 0 : NXDOMAIN),
      questions: [question],
      answers: (addresses ?? []).map(data => ({
        type: 'A' as const,
        class: 'IN' as const,
        name: question.name,
        ttl: 0,
        data,
      })),
    });
    socket.send(reply, remote.port, remote.address);
  });
  await new Promise<void>(resolve => socket.bind(0, '127.0.0.1', resolve));
  server.port = socket.address().port;
  return server;
}

/** An HTTP server on `host` that closes every connection after one answer, counting connections. */
async function startHttpServer(host: string, port = 0) {
  const sockets = new Set<Socket>();
  const server = http.createServer((_req, res) => {
    // A new request must open a new connection, and so resolve the name again.
    res.setHeader('Connection', 'close');
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ host }));
  });
  const counts = { connections: 0 };
  server.on('connection', socket => {
    counts.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    counts,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('AddressPolicy against DNS rebinding, with a real DNS server', () => {
  let dnsServer: Awaited<ReturnType<typeof startDnsServer>>;
  let web: Awaited<ReturnType<typeof startHttpServer>>;
  // On 127.0.0.2, same port: where an unfiltered answer would land.
  let refusedWeb: Awaited<ReturnType<typeof startHttpServer>>;

  beforeAll(async () => {
    dnsServer = await startDnsServer();
    web = await startHttpServer('127.0.0.1');
    refusedWeb = await startHttpServer('127.0.0.2', web.port);
  });
  afterAll(async () => {
    await Promise.all([dnsServer.close(), web.close(), refusedWeb.close()]);
  });
  beforeEach(() => {
    dnsServer.queries.length = 0;
    web.counts.connections = 0;
    refusedWeb.counts.connections = 0;
  });

  // A client whose policy resolves names with the loopback DNS server only.
  function clientWith(options: AddressPolicyOptions = {}) {
    const resolver = new dns.promises.Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([`127.0.0.1:${dnsServer.port}`]);
    const policy = new AddressPolicy({
      ...options,
      resolver: async (hostname, family) =>
        family === 6
          ? []
          : (await resolver.resolve4(hostname)).map(address => ({
              address,
              family: 4,
            })),
    });
    return new OpenStackHttp({ addressPolicy: policy, timeoutMs: 5000 });
  }

  function get(client: OpenStackHttp) {
    return client.request({
      url: `http://${NAME}:${web.port}/`,
      schema: z.object({ host: z.string() }),
    });
  }

  it('refuses the second connection once the name rebinds to the metadata address', async () => {
    dnsServer.answers = (name, nth) =>
      name === NAME ? [nth === 1 ? '127.0.0.1' : '169.254.169.254'] : undefined;
    const client = clientWith();
    try {
      const first = await get(client);
      expect(first).toMatchObject({ ok: true, data: { host: '127.0.0.1' } });
      // One resolution per connection: the checked answer is the one connected to.
      expect(dnsServer.queries).toEqual([NAME]);

      const second = await get(client);
      expect(second).toMatchObject({
        ok: false,
        error: {
          kind: 'refused',
          code: 'EADDRNOTALLOWED',
          message: expect.stringMatching(
            /169\.254\.169\.254 is in a denied range/,
          ),
        },
      });
      expect(dnsServer.queries).toEqual([NAME, NAME]);
      expect(web.counts.connections).toBe(1);
    } finally {
      client.close();
    }
  });

  it('connects only to the allowed address of an answer that has both', async () => {
    // The refused addresses come first: an agent taking the answer as is would use them.
    dnsServer.answers = name =>
      name === NAME ? ['127.0.0.2', '169.254.169.254', '127.0.0.1'] : undefined;
    const client = clientWith({ deny: ['127.0.0.2/32'] });
    try {
      for (let i = 0; i < 2; i += 1) {
        const result = await get(client);
        expect(result).toMatchObject({ ok: true, data: { host: '127.0.0.1' } });
      }
      expect(dnsServer.queries).toEqual([NAME, NAME]);
      expect(web.counts.connections).toBe(2);
      expect(refusedWeb.counts.connections).toBe(0);
    } finally {
      client.close();
    }
  });

  it('with an allow list, refuses an answer outside it at once, without connecting', async () => {
    // 127.0.0.2 is served (refusedWeb), so a policy that let it through would connect: the
    // test stays on loopback and still sees the difference.
    dnsServer.answers = name => (name === NAME ? ['127.0.0.2'] : undefined);
    const client = clientWith({ allow: ['127.0.0.1/32'] });
    try {
      const started = Date.now();
      const result = await get(client);
      // Refused on the answer, not a connection attempt left to time out (5 s).
      expect(Date.now() - started).toBeLessThan(1000);
      expect(result).toMatchObject({
        ok: false,
        error: {
          kind: 'refused',
          code: 'EADDRNOTALLOWED',
          message: expect.stringMatching(
            /127\.0\.0\.2 is not in an allowed range/,
          ),
        },
      });
      expect(dnsServer.queries).toEqual([NAME]);
      expect(web.counts.connections + refusedWeb.counts.connections).toBe(0);
    } finally {
      client.close();
    }
  });

  it('reports a name the DNS server does not know as a network error, not a refusal', async () => {
    dnsServer.answers = () => undefined;
    const client = clientWith();
    try {
      const result = await get(client);
      expect(result).toMatchObject({
        ok: false,
        error: { kind: 'network', code: 'ENOTFOUND' },
      });
      expect(web.counts.connections).toBe(0);
    } finally {
      client.close();
    }
  });
});
