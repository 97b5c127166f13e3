// Preloaded into the benchmark backend by bench/fleet-backend.mjs (node --require): every 100 ms
// one JSON line of process.memoryUsage() (rss, heapTotal, heapUsed, external, arrayBuffers, in MB)
// to $FEDSTACK_BENCH_MEMORY_FILE, so that the backend's RSS can be split into V8's heap and the
// rest; with node --expose-gc, a full GC when the bench asks (below), for the live heap. Nothing
// else: no change to the backend's code.
'use strict';
const fs = require('node:fs');

const { isMainThread } = require('node:worker_threads');

const file = process.env.FEDSTACK_BENCH_MEMORY_FILE;
// The backend's main thread only (--require is also run in worker threads).
if (file && isMainThread) {
  const fd = fs.openSync(file, 'a');
  const mb = n => Math.round((n / 1024 / 1024) * 10) / 10;
  const gcRequest = `${file}.gc`;
  const timer = setInterval(() => {
    // The bench asks for a full GC (node --expose-gc) by creating <file>.gc: the next line is the
    // live heap, garbage collected, marked gc: true.
    let collected = false;
    if (typeof global.gc === 'function' && fs.existsSync(gcRequest)) {
      fs.rmSync(gcRequest, { force: true });
      global.gc();
      collected = true;
    }
    const m = process.memoryUsage();
    fs.writeSync(
      fd,
      `${JSON.stringify({
        at: Date.now(),
        // CLOCK_MONOTONIC in µs, the clock of --cpu-prof's timestamps: maps a profile to wall time.
        monoUs: Number(process.hrtime.bigint() / 1000n),
        gc: collected,
        rss: mb(m.rss),
        heapTotal: mb(m.heapTotal),
        heapUsed: mb(m.heapUsed),
        external: mb(m.external),
        arrayBuffers: mb(m.arrayBuffers),
      })}\n`,
    );
  }, 100);
  timer.unref();
}
