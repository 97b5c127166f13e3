// A fleet of OpenStack sites replayed from sandbox site-a's recorded answers
// (plugins/openstack-node/fixtures/sandbox, written by sandbox/record), for bench/fleet.mjs.
//
// One HTTP listener on 127.0.0.1 per recorded origin (Keystone, Nova, Cinder, Glance, Neutron,
// Swift, …), so each service keeps its own connection pool in the client as on a real site. Site
// <n> lives under the path prefix `/s/<n>` of every listener: its Keystone is
// `http://127.0.0.1:<keystone port>/s/<n>/v3`, and every recorded URL in its answers (catalog,
// version links) is rewritten to the same site's prefix. Every answer waits latency ± jitter ms.
//
// Usage: node bench/replay-server.mjs [--latency 50] [--jitter 10] [--sites N] [--fresh-tokens]
// Prints one JSON line when listening: { keystoneUrl: ".../s/{site}/v3", recordedAt, ... }.
// GET /_stats on any listener: requests answered (in total and unmatched) since start.
//
// --sites N: also serves the external sources of the registration and accounting checks for sites
// 0 … N-1 (bench/replay-sources.mjs: GOCDB's public API, the cloud information API, the accounting
// portal), each on its own listener with the same latency; their URLs are in the JSON line
// (`sources`) and /_stats counts their requests (`sources`: per source, and per request line).
// --fresh-tokens: a token's issued_at is now and its expires_at as far ahead as recorded (for a
// client whose clock is not shifted to the recording time, such as the backend of
// bench/fleet-backend.mjs; bench/fleet.mjs shifts its clock instead).
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fleetSources } from './replay-sources.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixturesDir = join(root, 'plugins/openstack-node/fixtures/sandbox');
const { values: args } = parseArgs({
  options: {
    latency: { type: 'string', default: '50' },
    jitter: { type: 'string', default: '10' },
    site: { type: 'string', default: 'site-a' },
    sites: { type: 'string', default: '0' },
    'fresh-tokens': { type: 'boolean', default: false },
  },
});
const latencyMs = Number(args.latency);
const jitterMs = Number(args.jitter);

const index = JSON.parse(readFileSync(join(fixturesDir, 'index.json'), 'utf8'));
const recorded = index.sites[args.site];
const exchanges = recorded.fixtures
  .filter(entry => entry.file)
  .map(entry =>
    JSON.parse(readFileSync(join(fixturesDir, entry.file), 'utf8')),
  );
const origins = [...new Set(exchanges.map(e => new URL(e.request.url).origin))];

// Longest origin first and not followed by a digit, so `:5000` never matches inside `:50001`
// (the same rule as src/testing/sandboxFixtures.ts).
const originPattern = new RegExp(
  `(${[...origins]
    .sort((a, b) => b.length - a.length)
    .map(o => o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|')})(?!\\d)`,
  'g',
);

/**
 * A recorded text split at its origins: rendering it for one site costs a join, not a regex
 * (1000 sites × 61 answers would otherwise be rewritten on every request).
 */
function template(text) {
  const parts = text.split(originPattern);
  // split() with one capture group alternates: text, origin, text, origin, …
  return site =>
    parts
      .map((part, i) =>
        i % 2 === 1 ? `${originBase.get(part)}/s/${site}` : part,
      )
      .join('');
}

/** Matching as src/testing/sandboxFixtures.ts does: method, path, query keys, microversion. */
function matches(exchange, method, path, searchParams, headers) {
  if (exchange.request.method !== method) return false;
  if (exchange.request.path !== path) return false;
  const recordedKeys = Object.keys(exchange.request.query).sort().join('&');
  const askedKeys = [...new Set(searchParams.keys())].sort().join('&');
  if (recordedKeys !== askedKeys) return false;
  const recordedVersion = Object.entries(exchange.request.headers).find(
    ([name]) => name.toLowerCase() === 'openstack-api-version',
  )?.[1];
  return (recordedVersion ?? '') === (headers['openstack-api-version'] ?? '');
}

/** Token answers: their issued_at and expires_at as recorded, to move to now. */
function tokenDates(exchange) {
  const token = exchange.response.body?.token;
  if (!token?.issued_at || !token?.expires_at) return undefined;
  return {
    issuedAt: token.issued_at,
    expiresAt: token.expires_at,
    lifetimeMs: Date.parse(token.expires_at) - Date.parse(token.issued_at),
  };
}
// Keystone writes 2026-11-23T19:47:33.000000Z.
const keystoneTime = ms =>
  new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

const answers = exchanges.map(exchange => {
  const body = exchange.response.body;
  return {
    tokenDates: args['fresh-tokens'] ? tokenDates(exchange) : undefined,
    exchange,
    origin: new URL(exchange.request.url).origin,
    status: exchange.response.status,
    headers: Object.entries(exchange.response.headers)
      .filter(([name]) => name.toLowerCase() !== 'content-length')
      .map(([name, value]) => [name, template(String(value))]),
    body: template(
      body === undefined || body === null ? '' : JSON.stringify(body),
    ),
  };
});

const originBase = new Map();
const stats = {
  requests: 0,
  unmatched: 0,
  sites: new Set(),
  missing: new Set(),
};
const delay = () => Math.max(0, latencyMs + (Math.random() * 2 - 1) * jitterMs);

function listen(origin) {
  const own = answers.filter(a => a.origin === origin);
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://replay');
      if (url.pathname === '/_stats') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            requests: stats.requests,
            unmatched: stats.unmatched,
            sites: stats.sites.size,
            // What had no recorded answer (a 404), without the site prefix.
            missing: [...stats.missing],
            sources: sourceStats,
          }),
        );
        return;
      }
      const prefix = /^\/s\/(\d+)(\/.*)?$/.exec(url.pathname);
      const site = prefix?.[1];
      const path = prefix?.[2] ?? '/';
      const answer =
        site !== undefined &&
        own.find(a =>
          matches(a.exchange, req.method, path, url.searchParams, req.headers),
        );
      stats.requests++;
      if (site !== undefined) stats.sites.add(site);
      if (!answer) {
        stats.unmatched++;
        if (stats.missing.size < 50) {
          stats.missing.add(`${req.method} ${path}${url.search}`);
        }
      }
      setTimeout(() => {
        if (!answer) {
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
        let text = answer.body(site);
        if (answer.tokenDates) {
          const { issuedAt, expiresAt, lifetimeMs } = answer.tokenDates;
          const now = Date.now();
          text = text
            .replace(`"${issuedAt}"`, `"${keystoneTime(now)}"`)
            .replace(`"${expiresAt}"`, `"${keystoneTime(now + lifetimeMs)}"`);
        }
        const body = Buffer.from(text);
        const headers = Object.fromEntries(
          answer.headers.map(([name, render]) => [name, render(site)]),
        );
        // Each site gets its own token, so a token reused across sites would show.
        if (headers['x-subject-token'])
          headers['x-subject-token'] = `replay-${site}`;
        headers['content-length'] = String(body.length);
        res.writeHead(answer.status, headers);
        res.end(body);
      }, delay());
    });
  });
  // Idle connections close after 5 s, as Apache's default KeepAliveTimeout does in front of
  // Keystone: clients kept between scans do not hold sockets for the whole run.
  server.keepAliveTimeout = 5_000;
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => resolve(server.address().port)),
  );
}

for (const origin of origins) {
  originBase.set(origin, `http://127.0.0.1:${await listen(origin)}`);
}
const keystoneRecorded = new URL(recorded.keystoneUrl);
const keystoneTemplate = `${originBase.get(keystoneRecorded.origin)}/s/{site}${
  keystoneRecorded.pathname
}`;

// ------------------------------------------------------------ the external sources (--sites N)
const sourceStats = {};
const sourceUrls = {};
const fleetSize = Number(args.sites);
if (fleetSize > 0) {
  const projectsAnswer = exchanges.find(
    e =>
      e.request.method === 'GET' &&
      e.request.path === '/v3/projects' &&
      Object.keys(e.request.query).length === 0,
  );
  const sources = fleetSources({
    sites: fleetSize,
    keystoneUrl: n => keystoneTemplate.replace('{site}', String(n)),
    projects: projectsAnswer?.response.body?.projects ?? [],
  });
  // Rendered once per request line: a fleet scan asks each the same few things.
  const rendered = new Map();
  const listenSource = (name, handler, path) => {
    sourceStats[name] = { requests: 0, byRequest: {} };
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://replay');
        if (url.pathname === '/_stats') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ sources: sourceStats }));
          return;
        }
        const own = sourceStats[name];
        own.requests++;
        const line = `${req.method} ${req.url}`;
        own.byRequest[line] = (own.byRequest[line] ?? 0) + 1;
        const key = `${name} ${req.url}`;
        let answer = rendered.get(key);
        if (!answer) {
          const host = `http://${req.headers.host}`;
          answer = handler(new URL(req.url ?? '/', host));
          rendered.set(key, answer);
        }
        setTimeout(() => {
          if (answer.location) {
            res.writeHead(answer.status, {
              location: answer.location,
              'content-length': '0',
            });
            res.end();
            return;
          }
          const body = Buffer.from(answer.body);
          res.writeHead(answer.status, {
            'content-type': answer.type,
            'content-length': String(body.length),
          });
          res.end(body);
        }, delay());
      });
    });
    server.keepAliveTimeout = 5_000;
    return new Promise(resolve =>
      server.listen(0, '127.0.0.1', () => {
        sourceUrls[name] = `http://127.0.0.1:${server.address().port}${path}`;
        resolve();
      }),
    );
  };
  await listenSource('gocdb', sources.gocdb, '/gocdbpi/public/');
  await listenSource('cloudInfo', sources.cloudInfo, '/');
  await listenSource('accounting', sources.accounting, '/');
}
console.log(
  JSON.stringify({
    keystoneUrl: keystoneTemplate,
    region: recorded.region,
    recordedAt: exchanges[0]?.recordedAt,
    latencyMs,
    jitterMs,
    origins: Object.fromEntries(originBase),
    sources: sourceUrls,
    sites: fleetSize,
  }),
);
