// Fleet scan: N replayed sites (bench/replay-server.mjs, in its own process) scanned with the node
// library's scanSite, a few sites at a time as the backend's ScanService.scanFleet does
// (openstack.scans.concurrency, default 4). Reports wall time against the latency floor
// (dependent round trips of one scan × latency × ⌈N / concurrency⌉) and the scanning process's
// peak RSS. Each N runs in a fresh process so peak RSS is that N's own.
//
// Usage: node bench/fleet.mjs [--sites 10,100,1000] [--concurrency 4] [--latency 50] [--jitter 10]
//          [--library dir,dir]   (builds of the node library to compare, alternating; default the
//          package's dist)
// (no sandbox needed: the answers are sandbox site-a's recorded ones; needs the node library
// built: cd plugins/openstack-node && yarn backstage-cli package build)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    sites: { type: 'string', default: '10,100,1000' },
    concurrency: { type: 'string', default: '4' },
    latency: { type: 'string', default: '50' },
    jitter: { type: 'string', default: '10' },
    // Internal: one measured run, in its own process.
    worker: { type: 'string' },
    server: { type: 'string' },
    profiles: { type: 'string', default: 'egi-fedcloud,tenant-platform' },
    library: {
      type: 'string',
      default: join(root, 'plugins/openstack-node/dist'),
    },
  },
});

if (args.worker) {
  await worker(JSON.parse(args.server), Number(args.worker));
} else {
  await driver();
}

async function driver() {
  const server = spawn(
    process.execPath,
    [
      join(root, 'bench/replay-server.mjs'),
      '--latency',
      args.latency,
      '--jitter',
      args.jitter,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const [line] = await once(
      createInterface({ input: server.stdout }),
      'line',
    );
    const info = JSON.parse(line);
    const latency = Number(args.latency);
    console.log(
      `replay server: pid ${server.pid}, ${
        Object.keys(info.origins).length
      } listeners, latency ${latency} ± ${args.jitter} ms`,
    );
    // One site alone: its chain of dependent requests, from the evidence timestamps.
    const libraries = args.library.split(',');
    const probe = await runWorker(info, 1, 1, libraries[libraries.length - 1]);
    const chain = probe.chain;
    console.log(
      `one scan: ${probe.requestsPerScan} requests, ${probe.tokensPerScan} tokens, ${probe.checks} checks (${probe.statuses}); ` +
        `longest chain of sequential requests: ${
          chain.length
        } (${chain.requests.join(' → ')}); ` +
        `at most ${probe.widest} requests at once to one service; scan ${probe.scanMs.median} ms`,
    );
    if (probe.missing.length > 0) {
      // Answered 404 after the same delay: no request is left out, but its check reports
      // `error`. Record them with sandbox/record.
      console.log(`not recorded: ${probe.missing.join(', ')}`);
    }
    const compared = libraries.length > 1;
    console.log(
      `| N | concurrency |${
        compared ? ' library |' : ''
      } wall time | floor | ratio | peak RSS | peak heap | per-site scan (median / max) | requests | unmatched |`,
    );
    console.log(`|${' --- |'.repeat(compared ? 11 : 10)}`);
    for (const concurrency of args.concurrency.split(',').map(Number)) {
      for (const n of args.sites.split(',').map(Number)) {
        for (const library of libraries) {
          const run = await runWorker(info, n, concurrency, library);
          const floorMs = chain.length * latency * Math.ceil(n / concurrency);
          console.log(
            `| ${n} | ${concurrency} |${compared ? ` ${library} |` : ''} ${(
              run.wallMs / 1000
            ).toFixed(2)} s | ${(floorMs / 1000).toFixed(2)} s | ` +
              `**${(run.wallMs / floorMs).toFixed(
                2,
              )}×** | ${run.maxRssMb.toFixed(0)} MB | ${run.peakHeapMb.toFixed(
                0,
              )} MB | ` +
              `${run.scanMs.median} / ${run.scanMs.max} ms | ${run.requests} | ${run.unmatched} |`,
          );
          if (run.failed > 0) console.log(`  ${run.failed} site scans failed`);
        }
      }
    }
  } finally {
    server.kill();
  }
}

function runWorker(info, n, concurrency, library) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        '--worker',
        String(n),
        '--concurrency',
        String(concurrency),
        '--profiles',
        args.profiles,
        '--library',
        library,
        '--server',
        JSON.stringify(info),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        // A library copied elsewhere still finds the workspace's axios and zod.
        env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
      },
    );
    let out = '';
    child.stdout.on('data', chunk => (out += chunk));
    child.on('exit', code =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()))
        : reject(new Error(`worker for N=${n} exited with ${code}`)),
    );
  });
}

async function worker(info, n) {
  const require = createRequire(import.meta.url);
  const {
    OpenStackHttp,
    OpenStackSession,
    Redactor,
    scanSite,
  } = require(resolve(args.library, 'index.cjs.js'));
  const concurrency = Number(args.concurrency);
  const profiles = args.profiles.split(',');
  const keystoneStats = info.keystoneUrl.replace(/\/s\/.*$/, '/_stats');
  const stats = async () => (await fetch(keystoneStats)).json();

  // The recorded tokens expire an hour after recording: run the clocks from the recording time.
  const shift = Date.now() - new Date(info.recordedAt).getTime();
  const now = () => Date.now() - shift;

  let peakHeap = 0;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 100);

  // Passwords are the recorder's placeholders: the replay server answers any credential.
  const accounts = {
    reader: 'admin',
    replicator: 'replicator',
    metering: 'metering',
    accounting: 'accounting',
  };
  // One http per site and one session per account for the site's scan, closed when it ends, as
  // ScanService does for scheduled scans (siteSessions.createSiteClients).
  const clients = new Map();
  const clientsFor = site => {
    const http = new OpenStackHttp({
      timeoutMs: 10_000,
      redactor: new Redactor(['bench-secret']),
      userAgent: 'fedstack-bench',
    });
    const sessions = Object.fromEntries(
      Object.entries(accounts).map(([role, username]) => [
        role,
        new OpenStackSession({
          keystoneUrl: site.keystoneUrl,
          region: site.region,
          http,
          now,
          credential: {
            type: 'password',
            username,
            password: 'bench-secret',
            userDomain: { name: 'Default' },
            scope:
              role === 'reader'
                ? { project: { name: 'admin', domain: { name: 'Default' } } }
                : undefined,
          },
        }),
      ]),
    );
    const made = { http, sessions };
    clients.set(site.name, made);
    return made;
  };

  const sites = Array.from({ length: n }, (_, i) => ({
    name: `site-${i}`,
    keystoneUrl: info.keystoneUrl.replace('{site}', String(i)),
    region: info.region,
    offersObjectStorage: true,
  }));
  const before = await stats();
  const scanMs = [];
  let failed = 0;
  let first;
  const queue = [...sites];
  const started = performance.now();
  const scanOne = async () => {
    for (let site = queue.shift(); site; site = queue.shift()) {
      try {
        const report = await scanSite({
          site,
          profiles,
          sessions: clientsFor(site).sessions,
          now,
        });
        scanMs.push(report.durationMs);
        // A scheduled scan closes its site's clients when it ends, as ScanService does.
        clients.get(site.name)?.http.close();
        clients.delete(site.name);
        // What the backend keeps of a report after storing it: nothing in memory.
        first ??= summarize(report);
      } catch (error) {
        failed++;
        console.error(`${site.name}: ${error}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, scanOne));
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  const after = await stats();
  for (const { http } of clients.values()) http.close();
  scanMs.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      n,
      concurrency,
      wallMs,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      peakHeapMb: peakHeap / 1024 / 1024,
      scanMs: {
        median: scanMs[Math.floor(scanMs.length / 2)],
        max: scanMs[scanMs.length - 1],
      },
      requests: after.requests - before.requests,
      unmatched: after.unmatched - before.unmatched,
      missing: after.missing,
      failed,
      ...first,
    }),
  );
}

/** One report's figures, and its longest chain of requests each started after the last ended. */
function summarize(report) {
  const evidence = [
    ...new Set(report.results.flatMap(result => result.evidence ?? [])),
  ]
    .map(e => {
      const start = new Date(e.at).getTime();
      const url = new URL(e.url);
      return {
        start,
        end: start + e.durationMs,
        origin: url.origin,
        label:
          e.method === 'TCP'
            ? 'TCP connect'
            : `${e.method} ${url.pathname.replace(/^\/s\/\d+/, '')}`,
      };
    })
    .sort((a, b) => a.end - b.end);
  // Longest path over "b starts after a ended": the requests that had to wait for each other.
  const best = evidence.map(() => ({ length: 1, previous: -1 }));
  evidence.forEach((request, i) => {
    for (let j = 0; j < i; j++) {
      if (
        evidence[j].end <= request.start &&
        best[j].length + 1 > best[i].length
      ) {
        best[i] = { length: best[j].length + 1, previous: j };
      }
    }
  });
  let last = best.reduce((m, b, i) => (b.length > best[m].length ? i : m), 0);
  const requests = [];
  for (; last >= 0; last = best[last].previous)
    requests.unshift(evidence[last].label);
  // The most requests one origin had at once (waiting for a socket included).
  let widest = 0;
  for (const request of evidence) {
    const overlapping = evidence.filter(
      other =>
        other.origin === request.origin &&
        other.start <= request.start &&
        other.end > request.start,
    ).length;
    widest = Math.max(widest, overlapping);
  }
  const counts = {};
  for (const result of report.results)
    counts[result.status] = (counts[result.status] ?? 0) + 1;
  return {
    requestsPerScan: report.requests,
    tokensPerScan: report.tokensIssued,
    checks: report.results.length,
    statuses: Object.entries(counts)
      .map(([status, count]) => `${count} ${status}`)
      .join(', '),
    chain: { length: requests.length, requests },
    widest,
  };
}
