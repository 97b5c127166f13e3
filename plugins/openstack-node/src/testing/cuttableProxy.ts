import net from 'node:net';

/**
 * A TCP forwarder on 127.0.0.1 (ephemeral port) to a service that can be cut off, as if the
 * service had stopped: every open connection is dropped and new ones are refused until
 * `restore()`. Test-only.
 */
export interface CuttableProxy {
  port: number;
  /** Requests forwarded so far (one per chunk that starts with an HTTP method). */
  requests(): number;
  /** Cut after this many requests have gone through (the next one is dropped). */
  cutAfter(n: number): void;
  /** Cut now. */
  cut(): void;
  /** Forward again, with no limit. */
  restore(): void;
  /** Stop reading requests (they wait, connections stay open) until `release()`. */
  hold(): void;
  release(): void;
  close(): void;
}

export async function startCuttableProxy(
  targetPort: number,
  targetHost = '127.0.0.1',
): Promise<CuttableProxy> {
  const sockets = new Set<net.Socket>();
  let requests = 0;
  let limit = Infinity;
  let cut = false;
  let held = false;
  const cutNow = () => {
    cut = true;
    for (const socket of sockets) socket.destroy();
  };
  const server = net.createServer(client => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    sockets.add(client).add(upstream);
    if (held) client.pause();
    client.on('data', chunk => {
      if (cut) {
        client.destroy();
        return;
      }
      // One request per chunk that starts with a method: enough for Keystone's small bodies.
      if (
        /^(GET|POST|PUT|PATCH|DELETE|HEAD) /.test(
          chunk.toString('latin1', 0, 8),
        )
      )
        requests++;
      if (requests > limit) {
        cutNow();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', chunk => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    requests: () => requests,
    cutAfter(n: number) {
      limit = n;
    },
    cut: cutNow,
    restore() {
      cut = false;
      limit = Infinity;
    },
    hold() {
      held = true;
      for (const socket of sockets) socket.pause();
    },
    release() {
      held = false;
      for (const socket of sockets) socket.resume();
    },
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
