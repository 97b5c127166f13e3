// Full-catalogue scan of sandbox site-a with `fedstack scan`, against a shell script of the
// equivalent `openstack` CLI calls, in alternating runs (the machine is shared and noisy).
// Usage: node bench/scan-vs-cli.mjs [runs]   (the sandbox must be running: sandbox/start)
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { siteAEnvironment } from './sandboxCredentials.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 5);

const env = siteAEnvironment();

const fedstack = [
  join(root, 'plugins/openstack-cli/bin/fedstack'),
  ['scan', '--profile', 'egi-fedcloud,tenant-platform', '--format', 'json'],
];
const cli = ['bash', [join(root, 'bench/openstack-cli-equivalent.sh')]];

function timed([command, args]) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`${command} failed: ${result.stderr}`);
  }
  return { ms, stdout: result.stdout };
}

const median = values => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const scanMs = [];
const cliMs = [];
let report;
timed(fedstack); // warm-up: the first start compiles the TypeScript sources
for (let i = 0; i < runs; i++) {
  const scan = timed(fedstack);
  scanMs.push(scan.ms);
  report = JSON.parse(scan.stdout);
  cliMs.push(timed(cli).ms);
}
const ratio = median(cliMs) / median(scanMs);
console.log(`runs: ${runs} of each, alternating`);
console.log(
  `fedstack scan (${report.results.length} checks): median ${median(
    scanMs,
  ).toFixed(0)} ms (scan itself ${report.durationMs} ms)`,
);
console.log(
  `openstack CLI script (6 calls): median ${median(cliMs).toFixed(0)} ms`,
);
console.log(`ratio: ${ratio.toFixed(1)}x faster (goal >= 20x)`);
console.log(
  `Keystone tokens per scan: ${report.tokensIssued} for ${
    Object.keys(report.results).length ? 4 : 0
  } credential sets (reader, replicator, metering, accounting); requests: ${
    report.requests
  }`,
);
