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
  // FEDSTACK_BENCH_HEAP_SAMPLE=<file>: V8's sampling heap profiler between <file>.start and
  // <file>.stop (created by the bench), counting objects a major GC collected but not those a
  // minor one did: what was promoted to the old generation and died there, i.e. what makes the
  // heap (and RSS) climb until V8 runs a full GC. Written to <file> as a .heapprofile.
  const sampleFile = process.env.FEDSTACK_BENCH_HEAP_SAMPLE;
  let sampler;
  const sampling = () => {
    if (!sampleFile) return;
    if (!sampler && fs.existsSync(`${sampleFile}.start`)) {
      fs.rmSync(`${sampleFile}.start`, { force: true });
      const inspector = require('node:inspector');
      sampler = new inspector.Session();
      sampler.connect();
      sampler.post('HeapProfiler.enable');
      sampler.post('HeapProfiler.startSampling', {
        samplingInterval: 64 * 1024,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: false,
      });
    } else if (sampler && fs.existsSync(`${sampleFile}.stop`)) {
      fs.rmSync(`${sampleFile}.stop`, { force: true });
      sampler.post('HeapProfiler.stopSampling', (error, result) => {
        fs.writeFileSync(
          sampleFile,
          error
            ? JSON.stringify({ error: String(error) })
            : JSON.stringify(result.profile),
        );
        sampler.disconnect();
      });
    }
  };
  // FEDSTACK_BENCH_CPU_PROFILE=<file>: V8's CPU profiler between <file>.start and <file>.stop,
  // written to <file> as a .cpuprofile.
  const cpuFile = process.env.FEDSTACK_BENCH_CPU_PROFILE;
  let profiler;
  const profiling = () => {
    if (!cpuFile) return;
    if (!profiler && fs.existsSync(`${cpuFile}.start`)) {
      fs.rmSync(`${cpuFile}.start`, { force: true });
      const inspector = require('node:inspector');
      profiler = new inspector.Session();
      profiler.connect();
      profiler.post('Profiler.enable');
      profiler.post('Profiler.start');
    } else if (profiler && fs.existsSync(`${cpuFile}.stop`)) {
      fs.rmSync(`${cpuFile}.stop`, { force: true });
      profiler.post('Profiler.stop', (error, result) => {
        fs.writeFileSync(
          cpuFile,
          JSON.stringify(error ? { error: String(error) } : result.profile),
        );
        profiler.disconnect();
      });
    }
  };
  const timer = setInterval(() => {
    sampling();
    profiling();
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
