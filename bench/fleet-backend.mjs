// A scheduled fleet scan through the real backend: packages/backend (run from source as
// bench/rest.mjs runs it, NODE_ENV=production) on the sandbox's PostgreSQL, with a catalog of N
// `openstack-site` entities whose Keystones are N sites replayed from sandbox site-a's recorded
// answers (bench/replay-server.mjs, 50 ± 10 ms a request), and GOCDB's public API, the cloud
// information API and the accounting portal replayed for those N sites with the same latency
// (bench/replay-sources.mjs). The plugin's scheduled scan (`openstack.scans.schedule`) fires once,
// `initialDelay` after the backend starts, once the catalog holds the N sites; nothing triggers it
// from outside. Measured, for each N, in a fresh backend and fresh databases:
//   - wall time: from the fleet scan's first scan start to its last scan's end (started_at and
//     finished_at of the plugin's openstack_scans rows);
//   - the latency floor: dependent round trips of one scan × latency × ⌈N / concurrency⌉, the
//     chain read from stored scans' evidence (the longest run of requests each starting after the
//     previous one ended, counting the scan's own requests), as bench/fleet.mjs does;
//   - the backend process's RSS, sampled from /proc/<pid>/status every 100 ms (VmRSS; VmHWM is
//     the process's lifetime peak, catalog processing at start included);
//   - each external source's requests during the run, per request line.
//
// Usage: node bench/fleet-backend.mjs [--sites 10,100,1000] [--concurrency 4] [--latency 50]
//          [--jitter 10] [--port 7217] [--initial-delay <s>, default 25 + N/20] [--source-maps]
// (the sandbox's PostgreSQL must be up: 127.0.0.1:5433; the databases are
// fedstack_fleet_<run>_*, dropped after each N. The backend's log: artifacts/fleet-backend-<N>.log.
// FEDSTACK_BENCH_NODE_ARGS=--cpu-prof (or --heap-prof, …) passes flags to the backend's node;
// FEDSTACK_BENCH_HEAP_SAMPLE=<file>.heapprofile samples, from the scan's start to its end, the
// allocations that were promoted to V8's old generation and died there (bench/memory-probe.cjs):
// the garbage that makes the heap climb. FEDSTACK_BENCH_CPU_PROFILE=<file>.cpuprofile profiles
// the main thread from the scan's start to its end, for Chrome's DevTools or speedscope.)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sandboxCredentials } from './sandboxCredentials.mjs';
import { gocdbName } from './replay-sources.mjs';
import { dropDatabases, knexFor, sleep, waitFor } from './benchDatabase.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const { values: args } = parseArgs({
  options: {
    sites: { type: 'string', default: '10,100,1000' },
    concurrency: { type: 'string', default: '4' },
    latency: { type: 'string', default: '50' },
    jitter: { type: 'string', default: '10' },
    port: { type: 'string', default: '7217' },
    'initial-delay': { type: 'string' },
    // As bench/rest.mjs runs the backend (node --enable-source-maps): Node then keeps the source
    // maps of every module it loads. Off by default: a deployed backend (node packages/backend)
    // runs without it.
    'source-maps': { type: 'boolean', default: false },
    // The built backend of scripts/production.sh (dist/production: bundled, production
    // dependencies only, no TypeScript transform in the process), as a deployment runs it.
    // Build it first: FEDSTACK_PRODUCTION_BUILD_ONLY=1 bash scripts/production.sh.
    built: { type: 'boolean', default: false },
  },
});
const latency = Number(args.latency);
const concurrency = Number(args.concurrency);
const port = Number(args.port);
const baseUrl = `http://localhost:${port}`;
const siteName = i => `site-${String(i).padStart(4, '0')}`;

async function startReplay(n) {
  const server = spawn(
    process.execPath,
    [
      join(root, 'bench/replay-server.mjs'),
      '--latency',
      args.latency,
      '--jitter',
      args.jitter,
      '--sites',
      String(n),
      '--fresh-tokens',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = await once(createInterface({ input: server.stdout }), 'line');
  return { server, info: JSON.parse(line) };
}

function writeCatalog(dir, n, info) {
  // Swift's replayed listener: site-a declares its object store's port (8080) as this one.
  const swift = new URL(info.origins['http://127.0.0.1:8080']).port;
  const docs = [];
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: ${siteName(i)}
  title: Replayed site ${i}
  annotations:
    openstack.fedstack.io/keystone-url: ${info.keystoneUrl.replace(
      '{site}',
      String(i),
    )}
    openstack.fedstack.io/region: ${info.region}
    openstack.fedstack.io/gocdb-name: ${gocdbName(i)}
    openstack.fedstack.io/profiles: egi-fedcloud,tenant-platform
    openstack.fedstack.io/credentials: replay
    openstack.fedstack.io/services: object-store
    openstack.fedstack.io/ports: object-store=${swift}
    openstack.fedstack.io/vos: ops,vo.access.egi.eu
spec:
  type: openstack-site
  owner: group:default/platform-team
`);
  }
  const file = join(dir, 'sites.yaml');
  writeFileSync(file, docs.join('---\n'));
  return file;
}

function writeConfig(dir, { prefix, catalogFile, info, initialDelay }) {
  // Passwords are the recorder's placeholders: the replay server answers any credential.
  const account = (username, project) => `
        type: password
        username: ${username}
        password: replay-secret${
          project ? `\n        project: ${project}` : ''
        }`;
  const file = join(dir, 'fleet.app-config.yaml');
  writeFileSync(
    file,
    `# Written by bench/fleet-backend.mjs, loaded after app-config.yaml.
app:
  baseUrl: ${baseUrl}
backend:
  baseUrl: ${baseUrl}
  listen:
    port: ${port}
  cors:
    origin: ${baseUrl}
  database:
    client: pg
    prefix: ${prefix}
    connection:
      host: 127.0.0.1
      port: 5433
      user: postgres
      password: \${FEDSTACK_SANDBOX_DB_PASSWORD}
auth:
  providers:
    guest:
      userEntityRef: user:default/guest
      dangerouslyAllowOutsideDevelopment: true
catalog:
  locations:
    - type: file
      target: ${catalogFile}
    - type: file
      target: ../../examples/org.yaml
openstack:
  credentialSets:
    replay:
      # Every replayed Keystone is on this origin (site n under /s/n).
      keystoneUrls: ['${new URL(info.keystoneUrl).origin}/v3']
      reader:${account('admin', 'admin')}
      replicator:${account('replicator')}
      metering:${account('metering')}
      accounting:${account('accounting')}
  sources:
    gocdb: { url: '${info.sources.gocdb}' }
    cloudInfo: { url: '${info.sources.cloudInfo}' }
    accounting: { kind: accounting-portal, url: '${info.sources.accounting}' }
    # federationLogin left out: the replay has no token endpoint (federation.login is not evaluated).
  scans:
    concurrency: ${concurrency}
    schedule:
      frequency: { hours: 24 }
      timeout: { hours: 1 }
      initialDelay: { seconds: ${initialDelay} }
  # No allow list: the address policy lets the backend reach 127.0.0.0/8 (only link-local and
  # 0.0.0.0/8 are always refused).
  replication:
    schedule:
      frequency: { hours: 24 }
      timeout: { hours: 1 }
      initialDelay: { hours: 24 }
  metering:
    schedule:
      frequency: { hours: 24 }
      timeout: { hours: 1 }
      initialDelay: { hours: 24 }
`,
  );
  return file;
}

function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = name =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** A full GC in the backend (bench/memory-probe.cjs), then its heap: what is live. */
async function liveHeap(memoryFile) {
  const asked = Date.now();
  writeFileSync(`${memoryFile}.gc`, '');
  return waitFor(
    'the backend collects its garbage',
    30,
    () =>
      readFileSync(memoryFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map(line => JSON.parse(line))
        .filter(s => s.gc && s.at >= asked)
        .pop(),
    100,
  );
}

/** The longest chain of a scan's own requests, each starting after the previous one ended. */
function chainOf(evidence, startedAt) {
  const seen = new Set();
  const items = [];
  for (const e of evidence) {
    const start = new Date(e.at).getTime();
    const key = `${e.method} ${e.url} ${e.at}`;
    if (seen.has(key) || start < startedAt) continue;
    seen.add(key);
    const url = new URL(e.url);
    items.push({
      start,
      end: start + e.durationMs,
      label:
        e.method === 'TCP'
          ? 'TCP connect'
          : `${e.method} ${url.pathname.replace(/^\/s\/\d+/, '')}${
              url.port === '' ? '' : ''
            }`,
    });
  }
  items.sort((a, b) => a.end - b.end);
  const best = items.map(() => ({ length: 1, previous: -1 }));
  items.forEach((item, i) => {
    for (let j = 0; j < i; j++) {
      if (items[j].end <= item.start && best[j].length + 1 > best[i].length) {
        best[i] = { length: best[j].length + 1, previous: j };
      }
    }
  });
  if (items.length === 0) return { length: 0, requests: [], count: 0 };
  let last = best.reduce((m, b, i) => (b.length > best[m].length ? i : m), 0);
  const requests = [];
  for (; last >= 0; last = best[last].previous)
    requests.unshift(items[last].label);
  return { length: requests.length, requests, count: items.length };
}

async function runOne(n, credentials) {
  const initialDelay = Number(args['initial-delay'] ?? Math.round(25 + n / 20));
  const prefix = `fedstack_fleet_${Date.now().toString(36)}_`;
  const tmp = mkdtempSync(join(tmpdir(), 'fedstack-fleet-'));
  const { server: replay, info } = await startReplay(n);
  const catalogFile = writeCatalog(tmp, n, info);
  const configFile = writeConfig(tmp, {
    prefix,
    catalogFile,
    info,
    initialDelay,
  });
  mkdirSync(join(root, 'artifacts'), { recursive: true });
  const log = openSync(join(root, `artifacts/fleet-backend-${n}.log`), 'w');
  const memoryFile = join(tmp, 'memory.jsonl');
  const spawnedAt = Date.now();
  const backend = spawn(
    process.execPath,
    [
      // As scripts/production.sh starts it: Node's memory settings of packages/backend/production.env
      // (flags below, FEDSTACK_BENCH_NODE_ARGS included, take precedence over its NODE_OPTIONS).
      ...(args.built
        ? [
            `--env-file-if-exists=${join(
              root,
              'dist/production/packages/backend/production.env',
            )}`,
          ]
        : []),
      ...(process.env.FEDSTACK_BENCH_NODE_ARGS ?? '')
        .split(' ')
        .filter(Boolean),
      ...(args['source-maps'] ? ['--enable-source-maps'] : []),
      // For the probe's full GC after the scan (the live heap); no effect otherwise.
      '--expose-gc',
      '--require',
      join(root, 'bench/memory-probe.cjs'),
      ...(args.built
        ? [join(root, 'dist/production/packages/backend')]
        : [
            '--require',
            join(
              root,
              'node_modules/@backstage/cli-node/config/nodeTransform.cjs',
            ),
            'src/index.ts',
          ]),
      '--config',
      join(root, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    {
      cwd: join(root, 'packages/backend'),
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        ESBK_TSCONFIG_PATH: join(root, 'tsconfig.json'),
        FEDSTACK_SANDBOX_DB_PASSWORD: credentials.FEDSTACK_SANDBOX_DB_PASSWORD,
        FEDSTACK_BENCH_MEMORY_FILE: memoryFile,
      },
    },
  );
  let exited = false;
  backend.on('exit', () => {
    exited = true;
  });
  const samples = [];
  const sampler = setInterval(() => {
    try {
      samples.push({ at: Date.now(), ...memoryOf(backend.pid) });
    } catch {
      // gone
    }
  }, 100);
  let db;
  try {
    const logFile = join(root, `artifacts/fleet-backend-${n}.log`);
    let failed = false;
    await waitFor('the backend answers', 240, async () => {
      // A plugin that fails to start leaves the backend up, answering 503: read its log.
      failed =
        exited ||
        readFileSync(logFile, 'utf8').includes('Backend startup failed');
      if (failed) return true;
      return (await fetch(`${baseUrl}/api/openstack/health`)).ok;
    });
    if (failed) {
      const why = readFileSync(logFile, 'utf8')
        .split('\n')
        .filter(line => /startup failed|"level":"error"/.test(line))
        .slice(-2)
        .join('\n');
      throw new Error(
        `the backend did not start (artifacts/fleet-backend-${n}.log):\n${why.slice(
          0,
          2000,
        )}`,
      );
    }
    const upAt = Date.now();
    const refresh = await fetch(
      `${baseUrl}/api/auth/guest/refresh?env=production`,
      {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      },
    );
    const token = (await refresh.json()).backstageIdentity.token;
    await waitFor(`the catalog shows ${n} sites`, 600, async () => {
      const res = await fetch(`${baseUrl}/api/openstack/sites`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!res.ok) return false;
      const { items } = await res.json();
      return items.filter(s => s.name.startsWith('site-')).length >= n;
    });
    const catalogAt = Date.now();

    // The scheduled fleet scan: its rows in the plugin's table.
    db = knexFor(credentials, `${prefix}openstack`);
    const progress = async () => {
      const [row] = await db('openstack_scans')
        .where({ trigger: 'schedule' })
        .select(
          db.raw('count(*)::int as scans'),
          db.raw('count(distinct site_ref)::int as sites'),
          db.raw('count(finished_at)::int as finished'),
          db.raw('min(started_at) as first'),
          db.raw('max(finished_at) as last'),
        );
      return row;
    };
    const firstStart = await waitFor(
      'the scheduled scan starts',
      initialDelay + 120,
      async () => (await progress()).first,
      250,
    );
    const heapSample = process.env.FEDSTACK_BENCH_HEAP_SAMPLE;
    if (heapSample) writeFileSync(`${heapSample}.start`, '');
    const cpuProfile = process.env.FEDSTACK_BENCH_CPU_PROFILE;
    if (cpuProfile) writeFileSync(`${cpuProfile}.start`, '');
    // Done when every site has a finished scan and nothing runs for 3 s (a scan the fleet scan
    // repeats, when its Keystone did not answer, comes right after).
    let quietSince;
    for (;;) {
      const p = await progress();
      const done = p.sites >= n && p.finished === p.scans;
      if (done) {
        quietSince ??= Date.now();
        if (Date.now() - quietSince > 3000) break;
      } else quietSince = undefined;
      if (Date.now() - firstStart.getTime() > 30 * 60 * 1000) {
        throw new Error(
          `the fleet scan did not end within 30 min: ${JSON.stringify(p)}`,
        );
      }
      await sleep(250);
    }
    clearInterval(sampler);
    if (heapSample) {
      rmSync(heapSample, { force: true });
      writeFileSync(`${heapSample}.stop`, '');
      await waitFor('the heap profile', 60, () => existsSync(heapSample), 250);
    }
    if (cpuProfile) {
      rmSync(cpuProfile, { force: true });
      writeFileSync(`${cpuProfile}.stop`, '');
      await waitFor('the CPU profile', 60, () => existsSync(cpuProfile), 250);
    }
    const liveAfter = await liveHeap(memoryFile);
    const end = await progress();
    const loadAfter = readFileSync('/proc/loadavg', 'utf8')
      .split(' ')
      .slice(0, 3)
      .join(' ');
    const firstMs = new Date(end.first).getTime();
    const lastMs = new Date(end.last).getTime();
    const before = samples.filter(s => s.at < firstMs);
    const during = samples.filter(s => s.at >= firstMs && s.at <= lastMs + 500);
    const hwm = samples[samples.length - 1].hwm;
    // The probe's view: V8's heap and the rest, before and during the scan.
    const probe = readFileSync(memoryFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(line => JSON.parse(line))
      .filter(s => !s.gc);
    const probeBefore = probe.filter(s => s.at < firstMs).pop();
    const probePeak = probe
      .filter(s => s.at >= firstMs && s.at <= lastMs + 500)
      .reduce((m, s) => (!m || s.rss > m.rss ? s : m), undefined);
    const heapPeak = Math.max(
      ...probe
        .filter(s => s.at >= firstMs && s.at <= lastMs + 500)
        .map(s => s.heapUsed),
    );
    const statusCounts = await db('openstack_scans')
      .where({ trigger: 'schedule' })
      .groupBy('status')
      .select('status', db.raw('count(*)::int as count'));

    // The chain: sampled scans' own requests (their evidence), the first few scans apart (they
    // also read the external sources for the fleet).
    const scans = await db('openstack_scans')
      .where({ trigger: 'schedule' })
      .orderBy('started_at')
      .select(
        'id',
        'started_at',
        'finished_at',
        'duration_ms',
        'requests',
        'tokens_issued',
      );
    const durations = scans.map(s => s.duration_ms).sort((a, b) => a - b);
    // Where the wall time goes between scans: each scan after the first `concurrency` starts in
    // the slot the earliest unmatched scan end freed; the gap is the fleet scan's own work
    // between two scans of one slot (storing, re-reading the scan, picking the next site).
    const startMs = scans.map(s => new Date(s.started_at).getTime());
    const endMs = scans.map(s => new Date(s.finished_at).getTime());
    const freed = [...endMs.slice(0, concurrency)].sort((a, b) => a - b);
    const gaps = [];
    for (let i = concurrency; i < scans.length; i++) {
      const slot = freed.shift();
      gaps.push(startMs[i] - slot);
      freed.push(endMs[i]);
      freed.sort((a, b) => a - b);
    }
    gaps.sort((a, b) => a - b);
    const busyMs =
      scans.reduce((sum, s, i) => sum + (endMs[i] - startMs[i]), 0) /
      concurrency;
    const ownMs = scans
      .map((s, i) => endMs[i] - startMs[i] - s.duration_ms)
      .sort((a, b) => a - b);
    const timing = {
      // started_at → finished_at of a scan, beyond scanSite's own duration (clients, store).
      outsideScanSite: ownMs[Math.floor(ownMs.length / 2)],
      gapMedian: gaps.length ? gaps[Math.floor(gaps.length / 2)] : 0,
      gapMean: gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : 0,
      busyMs,
      firstRoundMs: Math.max(...endMs.slice(0, concurrency)) - startMs[0],
    };
    const picks = [
      ...new Set([
        0,
        1,
        ...Array.from({ length: 12 }, (_, i) =>
          Math.floor(((i + 1) * (scans.length - 1)) / 12),
        ),
      ]),
    ].filter(i => i < scans.length);
    const chains = [];
    let statuses;
    let sourceChecks;
    let failures;
    for (const i of picks) {
      const scan = scans[i];
      const results = await db('openstack_check_results')
        .where({ scan_id: scan.id })
        .select('result');
      const parsed = results.map(r =>
        typeof r.result === 'string' ? JSON.parse(r.result) : r.result,
      );
      const chain = chainOf(
        parsed.flatMap(r => r.evidence ?? []),
        new Date(scan.started_at).getTime(),
      );
      chains.push({ index: i, ...chain });
      if (i === picks[picks.length - 1]) {
        const counts = {};
        for (const r of parsed) counts[r.status] = (counts[r.status] ?? 0) + 1;
        statuses = Object.entries(counts)
          .map(([s, c]) => `${c} ${s}`)
          .join(', ');
        sourceChecks = parsed
          .filter(r =>
            /^(registration|accounting|federation\.login)/.test(r.checkId),
          )
          .map(r => `${r.checkId} ${r.status}`)
          .join(', ');
        failures = parsed
          .filter(r => r.status === 'fail' || r.status === 'error')
          .map(
            r => `${r.checkId} ${r.status}: ${String(r.message).slice(0, 160)}`,
          );
      }
    }
    // Every scan asks the same things in the same order: its dependent round trips are the
    // shortest chain seen. A longer one is a scan whose requests also waited for the CPU or a
    // socket (or, in the first round, for the external sources it read for the fleet).
    const lengths = chains
      .filter(c => c.index >= Math.min(concurrency, scans.length - 1))
      .map(c => c.length);
    const typical = Math.min(
      ...(lengths.length ? lengths : [chains[0].length]),
    );
    const [stored] = await db('openstack_check_results')
      .whereIn(
        'scan_id',
        picks.map(i => scans[i].id),
      )
      .select(db.raw('sum(length(result::text))::int as bytes'));
    const storedPerScan = stored.bytes / picks.length;
    const biggest = await db('openstack_check_results')
      .where({ scan_id: scans[picks[picks.length - 1]].id })
      .orderByRaw('length(result::text) desc')
      .limit(4)
      .select('check_id', db.raw('length(result::text)::int as bytes'));
    // The checks that read the fleet-wide sources: each keeps only its site's part of them.
    const sourceResults = await db('openstack_check_results')
      .where({ scan_id: scans[picks[picks.length - 1]].id })
      .where(q =>
        q
          .where('check_id', 'like', 'registration.%')
          .orWhere('check_id', 'like', 'accounting.%'),
      )
      .orderBy('check_id')
      .select('check_id', db.raw('length(result::text)::int as bytes'));
    const sourceStats = await (
      await fetch(info.sources.gocdb.replace(/gocdbpi\/public\/$/, '_stats'))
    ).json();
    const replayStats = await (
      await fetch(info.keystoneUrl.replace(/\/s\/.*$/, '/_stats'))
    ).json();
    const floorMs = typical * latency * Math.ceil(n / concurrency);
    const wallMs = lastMs - firstMs;
    return {
      n,
      initialDelay,
      upS: (upAt - spawnedAt) / 1000,
      catalogS: (catalogAt - spawnedAt) / 1000,
      firstScanS: (firstMs - spawnedAt) / 1000,
      catalogBeforeScan: catalogAt <= firstMs,
      wallMs,
      floorMs,
      loadAfter,
      window: [new Date(firstMs).toISOString(), new Date(lastMs).toISOString()],
      chain: typical,
      chains: chains.map(c => `${c.index}:${c.length}`).join(' '),
      chainExample:
        chains.find(c => c.length === typical && c.index >= concurrency)
          ?.requests ?? chains[0].requests,
      scans: end.scans,
      sites: end.sites,
      statusCounts: Object.fromEntries(
        statusCounts.map(s => [s.status, s.count]),
      ),
      requestsPerScan: scans[scans.length - 1].requests,
      tokensPerScan: scans[scans.length - 1].tokens_issued,
      scanMs: {
        median: durations[Math.floor(durations.length / 2)],
        max: durations[durations.length - 1],
      },
      statuses,
      sourceChecks,
      failures,
      rssBeforeMb: before.length ? before[before.length - 1].rss : undefined,
      rssPeakDuringMb: Math.max(...during.map(s => s.rss)),
      hwmMb: hwm,
      probeBefore,
      probePeak,
      heapPeak,
      liveAfter,
      timing,
      storedPerScan,
      biggest: biggest
        .map(b => `${b.check_id} ${(b.bytes / 1024).toFixed(0)} kB`)
        .join(', '),
      sourceResults: sourceResults
        .map(b => `${b.check_id} ${(b.bytes / 1024).toFixed(1)} kB`)
        .join(', '),
      sources: sourceStats.sources,
      replay: {
        requests: replayStats.requests,
        unmatched: replayStats.unmatched,
        missing: replayStats.missing,
      },
    };
  } finally {
    clearInterval(sampler);
    await db?.destroy();
    if (!exited) {
      try {
        process.kill(-backend.pid, 'SIGTERM');
      } catch {
        // gone
      }
      await waitFor('the backend stops', 20, () => exited, 200).catch(() => {
        try {
          process.kill(-backend.pid, 'SIGKILL');
        } catch {
          // gone
        }
      });
    }
    replay.kill();
    const dropped = await dropDatabases(credentials, prefix).catch(error => {
      console.error(`could not drop ${prefix}*: ${error}`);
      return [];
    });
    console.error(`dropped ${dropped.length} databases ${prefix}*`);
    try {
      writeFileSync(
        join(root, `artifacts/fleet-backend-${n}.memory.jsonl`),
        readFileSync(memoryFile),
      );
    } catch {
      // none
    }
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  const credentials = sandboxCredentials();
  console.log(
    `latency ${latency} ± ${
      args.jitter
    } ms, concurrency ${concurrency}, backend on :${port}; load average ${readFileSync(
      '/proc/loadavg',
      'utf8',
    )
      .split(' ')
      .slice(0, 3)
      .join(' ')}`,
  );
  const rows = [];
  for (const n of args.sites.split(',').map(Number)) {
    const r = await runOne(n, credentials);
    rows.push(r);
    const perSource = Object.entries(r.sources)
      .map(([name, s]) => `${name} ${s.requests}`)
      .join(', ');
    console.log(
      `N=${n}: backend up ${r.upS.toFixed(0)} s, catalog ${r.catalogS.toFixed(
        0,
      )} s, first scan ${r.firstScanS.toFixed(0)} s after spawn${
        r.catalogBeforeScan ? '' : ' (BEFORE THE CATALOG WAS COMPLETE)'
      }; ${r.scans} scans of ${r.sites} sites ${JSON.stringify(
        r.statusCounts,
      )}; one scan: ${r.requestsPerScan} requests, ${r.tokensPerScan} tokens, ${
        r.statuses
      }; ${r.sourceChecks}`,
    );
    console.log(
      `  chain ${r.chain}, the shortest of the sampled scans' (index:length ${
        r.chains
      }): ${r.chainExample.join(' → ')}`,
    );
    for (const failure of r.failures) console.log(`  ${failure}`);
    console.log(
      `  sources: ${perSource}; the fleet scan ran ${r.window.join(
        ' – ',
      )}, load average after it ${r.loadAfter}`,
    );
    for (const [name, s] of Object.entries(r.sources)) {
      for (const [line, count] of Object.entries(s.byRequest))
        console.log(`    ${name} ${count}× ${line}`);
    }
    console.log(
      `  replayed sites: ${r.replay.requests} requests, ${
        r.replay.unmatched
      } unmatched${
        r.replay.missing.length ? ` (${r.replay.missing.join(', ')})` : ''
      }; RSS before the scan ${r.rssBeforeMb?.toFixed(
        0,
      )} MB, peak during ${r.rssPeakDuringMb.toFixed(
        0,
      )} MB, VmHWM ${r.hwmMb.toFixed(0)} MB`,
    );
    const m = p =>
      p &&
      `rss ${p.rss}, heap ${p.heapUsed} of ${p.heapTotal}, external ${p.external} (array buffers ${p.arrayBuffers}) MB`;
    console.log(
      `  memory before the scan: ${m(
        r.probeBefore,
      )}; at the scan's RSS peak: ${m(r.probePeak)}; peak heap used during ${
        r.heapPeak
      } MB`,
    );
    console.log(`  after the scan, after a full GC: ${m(r.liveAfter)}`);
    const t = r.timing;
    console.log(
      `  time: scans busy ${(t.busyMs / 1000).toFixed(
        2,
      )} s per slot (started_at → finished_at summed / ${concurrency}); ` +
        `between two scans of a slot ${
          t.gapMedian
        } ms median, ${t.gapMean.toFixed(1)} ms mean; ` +
        `a scan's rows span its scanSite by ${t.outsideScanSite} ms (median); first round ${t.firstRoundMs} ms; ` +
        `one scan's stored results ${(r.storedPerScan / 1024).toFixed(
          0,
        )} kB (largest: ${r.biggest}; of the sources' checks: ${
          r.sourceResults
        })`,
    );
  }
  console.log(
    '| N | wall time | floor | ratio | backend RSS before / peak during scan | VmHWM | per-site scan (median / max) | GOCDB / info / accounting requests |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.n} | ${(r.wallMs / 1000).toFixed(2)} s | ${(
        r.floorMs / 1000
      ).toFixed(2)} s | **${(r.wallMs / r.floorMs).toFixed(
        2,
      )}×** | ${r.rssBeforeMb?.toFixed(0)} / ${r.rssPeakDuringMb.toFixed(
        0,
      )} MB | ${r.hwmMb.toFixed(0)} MB | ${r.scanMs.median} / ${
        r.scanMs.max
      } ms | ${r.sources.gocdb.requests} / ${r.sources.cloudInfo.requests} / ${
        r.sources.accounting.requests
      } |`,
    );
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
