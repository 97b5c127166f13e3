import http from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';

/** Test helpers of the site provider's tests (not exported by the package). */

export interface CapturedLogger extends LoggerService {
  lines: Array<{ level: string; message: string }>;
  warnings(): string[];
}

export function capturingLogger(): CapturedLogger {
  const lines: CapturedLogger['lines'] = [];
  const logger: CapturedLogger = {
    lines,
    warnings: () => lines.filter(l => l.level === 'warn').map(l => l.message),
    error: message => void lines.push({ level: 'error', message }),
    warn: message => void lines.push({ level: 'warn', message }),
    info: message => void lines.push({ level: 'info', message }),
    debug: message => void lines.push({ level: 'debug', message }),
    child: () => logger,
  };
  return logger;
}

export interface FakeConnection extends EntityProviderConnection {
  mutations: EntityProviderMutation[];
}

export function fakeConnection(): FakeConnection {
  const mutations: EntityProviderMutation[] = [];
  return {
    mutations,
    applyMutation: async mutation => {
      mutations.push(mutation);
    },
    refresh: async () => {},
  };
}

export interface TestServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 serving fixed bodies by path (404 otherwise). */
export async function serveFiles(
  files: Record<string, string>,
): Promise<TestServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const body = files[path];
    if (body === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/yaml' });
    res.end(body);
  });
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface LocalServer {
  url: string;
  /** Each request's path and query. */
  requests: Array<{ url: string }>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 answering with `handler` (GOCDB's answers by query). */
export async function startLocalServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<LocalServer> {
  const requests: LocalServer['requests'] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '/' });
    handler(req, res);
  });
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
