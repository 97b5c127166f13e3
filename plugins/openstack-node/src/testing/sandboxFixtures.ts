import fs from 'node:fs';
import path from 'node:path';
import { LocalServer, startLocalServer } from './localServer';

/**
 * Replays the answers `sandbox/record` recorded from the real OpenStack sandbox
 * (`fixtures/sandbox/<site>/*.json`). One local server per recorded origin (Keystone, Nova, …);
 * the recorded URLs in bodies and headers are rewritten to those servers, nothing else is
 * changed. Requests are matched by origin, method, path, query keys and microversion header.
 */

// Test-only helper, run from the source tree: never part of a build.
// eslint-disable-next-line no-restricted-syntax
export const FIXTURES_DIR = path.resolve(__dirname, '../../fixtures/sandbox');

export interface RecordedExchange {
  site: string;
  name: string;
  recordedAt: string;
  request: {
    method: string;
    url: string;
    path: string;
    query: Record<string, string>;
    headers: Record<string, string>;
    body?: unknown;
  };
  response: {
    status: number;
    headers: Record<string, string>;
    body: unknown;
  };
}

export function fixturesPresent(site = 'site-a'): boolean {
  return (
    fs.existsSync(path.join(FIXTURES_DIR, 'index.json')) &&
    fs.existsSync(path.join(FIXTURES_DIR, site))
  );
}

export function loadFixture(site: string, name: string): RecordedExchange {
  return JSON.parse(
    fs.readFileSync(path.join(FIXTURES_DIR, site, `${name}.json`), 'utf8'),
  );
}

/** Every recorded exchange of a site, in the recorder's order. */
export function loadSiteFixtures(site: string): RecordedExchange[] {
  const index = JSON.parse(
    fs.readFileSync(path.join(FIXTURES_DIR, 'index.json'), 'utf8'),
  );
  const entries: Array<{ file?: string }> = index.sites[site]?.fixtures ?? [];
  return entries
    .filter(entry => entry.file)
    .map(entry =>
      JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, entry.file!), 'utf8')),
    );
}

export interface FixtureSite {
  /** The recorded Keystone URL, rewritten (e.g. `http://127.0.0.1:40123/v3`). */
  keystoneUrl: string;
  /** Recorded origin → local origin. */
  origins: Map<string, string>;
  servers: LocalServer[];
  /** When the site was recorded: the clock to use, so recorded tokens are not expired. */
  recordedAt: Date;
  close(): Promise<void>;
}

export async function startFixtureSite(site = 'site-a'): Promise<FixtureSite> {
  const exchanges = loadSiteFixtures(site);
  const index = JSON.parse(
    fs.readFileSync(path.join(FIXTURES_DIR, 'index.json'), 'utf8'),
  );
  const keystoneUrl: string = index.sites[site].keystoneUrl;
  const recordedOrigins = [
    ...new Set(exchanges.map(e => new URL(e.request.url).origin)),
  ];
  const origins = new Map<string, string>();
  const servers: LocalServer[] = [];
  // One pass, longest origin first and not followed by a digit, so `:5000` never rewrites
  // inside `:50001` nor inside an origin already rewritten.
  const rewrite = (text: string) => {
    if (origins.size === 0) return text;
    const pattern = new RegExp(
      `(${[...origins.keys()]
        .sort((a, b) => b.length - a.length)
        .map(o => o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('|')})(?!\\d)`,
      'g',
    );
    return text.replace(pattern, origin => origins.get(origin) ?? origin);
  };
  for (const origin of recordedOrigins) {
    const own = exchanges.filter(e => new URL(e.request.url).origin === origin);
    const server = await startLocalServer((req, res) => {
      const exchange = own.find(e =>
        matches(e, req.method ?? 'GET', req.url ?? '/', req.headers),
      );
      if (!exchange) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              message: `no recorded answer for ${req.method} ${req.url}`,
            },
          }),
        );
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(exchange.response.headers)) {
        headers[name] = rewrite(value);
      }
      res.writeHead(exchange.response.status, headers);
      res.end(
        exchange.response.body === undefined || exchange.response.body === null
          ? ''
          : rewrite(JSON.stringify(exchange.response.body)),
      );
    });
    origins.set(origin, server.url);
    servers.push(server);
  }
  return {
    keystoneUrl: rewrite(keystoneUrl),
    origins,
    servers,
    recordedAt: new Date(exchanges[0]?.recordedAt ?? Date.now()),
    close: async () => {
      await Promise.all(servers.map(s => s.close()));
    },
  };
}

function matches(
  exchange: RecordedExchange,
  method: string,
  url: string,
  headers: Record<string, string | string[] | undefined>,
): boolean {
  const asked = new URL(url, 'http://local');
  if (exchange.request.method !== method) return false;
  if (exchange.request.path !== asked.pathname) return false;
  const recordedKeys = Object.keys(exchange.request.query).sort().join('&');
  const askedKeys = [...new Set(asked.searchParams.keys())].sort().join('&');
  if (recordedKeys !== askedKeys) return false;
  const recordedVersion = Object.entries(exchange.request.headers).find(
    ([name]) => name.toLowerCase() === 'openstack-api-version',
  )?.[1];
  return (recordedVersion ?? '') === (headers['openstack-api-version'] ?? '');
}
