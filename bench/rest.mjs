// The REST API under load: the real backend (packages/backend, run from source without the
// watcher of `yarn start`) on port 7207 with its own PostgreSQL databases (fedstack_bench_*),
// a catalog of N generated sites and one completed scan per site in the plugin's tables (the
// 23 results of one real `fedstack scan` of sandbox site-a, evidence included, copied to every
// site). Then, in one run on that backend: the saturated throughput (autocannon, closed loop,
// FEDSTACK_BENCH_CONNECTIONS=50) of the scorecard read of random sites, of the catalog's own
// GET /entities/by-name for the same sites, and of the fleet list; then each read open-loop at
// half its saturated rate (fixed arrival rate, latency from each request's due time), each after
// a 3 s pause in which the backend finishes the requests of the phase before.
// Usage: node bench/rest.mjs [sites=1000] [seconds=20]
// (the sandbox must be running: its PostgreSQL holds the data, its site-a gives the scan)
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import {
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { sandboxCredentials, siteAEnvironment } from './sandboxCredentials.mjs';
import { dropDatabases, knexFor, waitFor } from './benchDatabase.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BENCH_URL = 'http://localhost:7207';

const siteName = i => `site-${String(i).padStart(4, '0')}`;
/** Pause before each open loop, for the backend to finish the previous phase's requests. */
const SETTLE_MS = 3000;

function writeCatalog(dir, count) {
  const docs = [];
  for (let i = 0; i < count; i++) {
    docs.push(`apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: ${siteName(i)}
  title: Bench site ${i}
  annotations:
    # A closed port: nothing contacts these sites while the benchmark runs.
    openstack.fedstack.io/keystone-url: http://127.0.0.1:9/v3
    openstack.fedstack.io/region: Region${i % 7}
    openstack.fedstack.io/profiles: egi-fedcloud,tenant-platform
    openstack.fedstack.io/credentials: bench
spec:
  type: openstack-site
  owner: group:default/platform-team
`);
  }
  const file = join(dir, 'sites.yaml');
  writeFileSync(file, docs.join('---\n'));
  return file;
}

/** One real scan of sandbox site-a through the CLI: its results go to every generated site. */
function realScan(credentials) {
  const env = siteAEnvironment(credentials);
  const result = spawnSync(
    join(root, 'plugins/openstack-cli/bin/fedstack'),
    ['scan', '--profile', 'egi-fedcloud,tenant-platform', '--format', 'json'],
    { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`fedstack scan failed: ${result.stderr.slice(0, 2000)}`);
  }
  return JSON.parse(result.stdout);
}

/** A guest's Backstage token, as the app gets it at sign-in. */
export async function guestToken() {
  const res = await fetch(
    `${BENCH_URL}/api/auth/guest/refresh?env=production`,
    {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    },
  );
  if (!res.ok) throw new Error(`guest sign-in: HTTP ${res.status}`);
  return (await res.json()).backstageIdentity.token;
}

/**
 * Starts the benchmark backend with `count` sites and a completed scan of each; returns
 * { token, stop }. The log goes to artifacts/bench-backend.log.
 */
export async function startBenchBackend(count) {
  const credentials = sandboxCredentials();
  const tmp = mkdtempSync(join(tmpdir(), 'fedstack-bench-'));
  const catalogFile = writeCatalog(tmp, count);
  const scan = realScan(credentials);
  if (scan.results.length < 20) {
    throw new Error(`the real scan has only ${scan.results.length} results`);
  }
  await dropDatabases(credentials, 'fedstack_bench_');

  mkdirSync(join(root, 'artifacts'), { recursive: true });
  const log = openSync(join(root, 'artifacts/bench-backend.log'), 'w');
  const backendDir = join(root, 'packages/backend');
  const child = spawn(
    process.execPath,
    [
      // e.g. FEDSTACK_BENCH_NODE_ARGS=--cpu-prof for a profile of the backend (written on exit)
      ...(process.env.FEDSTACK_BENCH_NODE_ARGS ?? '')
        .split(' ')
        .filter(Boolean),
      '--enable-source-maps',
      '--require',
      join(root, 'node_modules/@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      '../../app-config.yaml',
      '--config',
      '../../bench/rest.app-config.yaml',
    ],
    {
      cwd: backendDir,
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        ESBK_TSCONFIG_PATH: join(root, 'tsconfig.json'),
        FEDSTACK_BENCH_CATALOG: catalogFile,
        FEDSTACK_SANDBOX_DB_PASSWORD: credentials.FEDSTACK_SANDBOX_DB_PASSWORD,
      },
    },
  );
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const stop = async () => {
    if (!exited) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await waitFor('the backend stops', 20, () => exited).catch(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      });
    }
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    await waitFor('the backend answers', 240, async () => {
      if (exited) throw new Error('exited');
      return (await fetch(`${BENCH_URL}/api/openstack/health`)).ok;
    });
    if (exited)
      throw new Error('the backend exited; see artifacts/bench-backend.log');
    const token = await guestToken();
    const headers = { authorization: `Bearer ${token}` };

    // The store: one completed scan per site, written as ScanService.completeScan writes it.
    const db = knexFor(credentials, 'fedstack_bench_openstack');
    try {
      await db('openstack_check_results').del();
      await db('openstack_scans').del();
      const started = new Date(Date.now() - 60 * 60 * 1000);
      for (let from = 0; from < count; from += 100) {
        const scans = [];
        const results = [];
        for (let i = from; i < Math.min(count, from + 100); i++) {
          const id = randomUUID();
          scans.push({
            id,
            site_ref: `resource:default/${siteName(i)}`,
            status: 'completed',
            trigger: 'schedule',
            started_at: started,
            finished_at: new Date(started.getTime() + scan.durationMs),
            duration_ms: scan.durationMs,
            tokens_issued: scan.tokensIssued,
            requests: scan.requests,
            error: null,
            profiles: JSON.stringify(scan.profiles),
            changes: '[]',
          });
          for (const result of scan.results) {
            results.push({
              scan_id: id,
              check_id: result.checkId,
              status: result.status,
              severity: result.severity,
              area: result.area,
              result: JSON.stringify(result),
            });
          }
        }
        await db.transaction(async tx => {
          await tx('openstack_scans').insert(scans);
          await tx.batchInsert('openstack_check_results', results, 500);
        });
      }
    } finally {
      await db.destroy();
    }

    // The catalog has processed every generated site when the fleet list shows them all.
    await waitFor(`the catalog shows ${count} sites`, 600, async () => {
      const res = await fetch(`${BENCH_URL}/api/openstack/sites`, { headers });
      if (!res.ok) return false;
      const { items } = await res.json();
      return (
        items.filter(s => s.name.startsWith('site-') && s.latestScan).length >=
        count
      );
    });
    return { token, stop, siteName, scan };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function load(autocannon, options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

function line(label, result) {
  const { latency, requests } = result;
  return `${label}: ${requests.average} req/s; p50 ${latency.p50} ms, p99 ${latency.p99} ms; ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`;
}

const percentile = (sorted, p) =>
  sorted.length === 0
    ? NaN
    : sorted[
        Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
      ];

/**
 * Open loop: requests sent at a fixed rate whatever the answers do, each one's latency measured
 * from the time it was due (so a stalled server is not hidden by a client that waits for it).
 */
async function openLoop({ rate, seconds, path, headers }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const total = Math.round(rate * seconds);
  const latencies = [];
  let failed = 0;
  const start = performance.now() + 50;
  const one = due =>
    new Promise(resolve => {
      const req = http.get(`${BENCH_URL}${path()}`, { agent, headers }, res => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) failed += 1;
          latencies.push(performance.now() - due);
          resolve();
        });
      });
      req.on('error', () => {
        failed += 1;
        latencies.push(performance.now() - due);
        resolve();
      });
    });
  const inFlight = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise(resolve => setTimeout(resolve, wait));
    inFlight.push(one(due));
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const ms = v => Math.round(v * 10) / 10;
  return {
    rate,
    sent: total,
    failed,
    p50: ms(percentile(latencies, 50)),
    p99: ms(percentile(latencies, 99)),
    max: ms(latencies[latencies.length - 1]),
  };
}

async function main() {
  const count = Number(process.argv[2] ?? 1000);
  const seconds = Number(process.argv[3] ?? 20);
  const connections = Number(process.env.FEDSTACK_BENCH_CONNECTIONS ?? 50);
  const autocannon = createRequire(join(root, 'package.json'))('autocannon');
  const started = Date.now();
  const backend = await startBenchBackend(count);
  console.log(
    `backend up with ${count} sites (catalog processed, ${
      backend.scan.results.length
    } results per site) in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  try {
    const headers = { authorization: `Bearer ${backend.token}` };
    const randomSite = () => siteName(Math.floor(Math.random() * count));
    const routes = {
      scorecard: () => `/api/openstack/sites/default/${randomSite()}`,
      catalog: () =>
        `/api/catalog/entities/by-name/resource/default/${randomSite()}`,
      fleet: () => '/api/openstack/sites',
    };
    for (const [name, path] of Object.entries(routes)) {
      const res = await fetch(`${BENCH_URL}${path()}`, { headers });
      console.log(
        `${name} read: HTTP ${res.status}, ${(await res.text()).length} bytes`,
      );
    }
    // Warm-up, then saturated (closed-loop) throughput of each route in one run.
    await load(autocannon, {
      url: `${BENCH_URL}${routes.scorecard()}`,
      headers,
      connections: 20,
      duration: 3,
    });
    const saturated = {};
    for (const [name, path] of Object.entries(routes)) {
      const result = await load(autocannon, {
        url: BENCH_URL,
        headers,
        connections: name === 'fleet' ? 10 : connections,
        duration: name === 'fleet' ? Math.max(5, seconds / 2) : seconds,
        requests: [{ setupRequest: request => ({ ...request, path: path() }) }],
      });
      saturated[name] = result.requests.average;
      console.log(
        line(
          `saturated ${name} (${
            name === 'fleet' ? 10 : connections
          } connections)`,
          result,
        ),
      );
    }
    console.log(
      `goal 1: scorecard throughput ${saturated.scorecard} req/s ${
        saturated.scorecard >= saturated.catalog ? '>=' : '<'
      } catalog by-name ${saturated.catalog} req/s: ${
        saturated.scorecard >= saturated.catalog ? 'met' : 'MISSED'
      }`,
    );
    // Open loop at half the saturated rate: latency as a user waiting at that load sees it.
    for (const name of ['scorecard', 'fleet']) {
      // autocannon stops at its deadline without waiting for the answers under way: the backend
      // still computes them (ten fleet lists of 1.6 MB took it over a second), and an open loop
      // started at once measured that leftover work, not its own route.
      await new Promise(resolve => setTimeout(resolve, SETTLE_MS));
      const rate = Math.max(1, Math.floor(saturated[name] / 2));
      const result = await openLoop({
        rate,
        seconds,
        path: routes[name],
        headers,
      });
      console.log(
        `open loop ${name} at ${rate} req/s for ${seconds} s: p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max} ms; ${result.failed} of ${result.sent} failed` +
          (name === 'scorecard'
            ? ` (goal 2: p99 <= 50 ms: ${result.p99 <= 50 ? 'met' : 'MISSED'})`
            : ''),
      );
    }
  } finally {
    await backend.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch(error => {
    console.error(error);
    process.exitCode = 1;
  });
}
