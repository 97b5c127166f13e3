// The fleet page with N sites in headless Debian Chromium: the built app (packages/app/dist,
// `yarn workspace app build`) served by the benchmark backend of bench/rest.mjs on :7207.
//
// "Interactive", as measured here, from the navigation's start (performance.timeOrigin):
//   rows     – the table's title says "N of N sites" and its first row's site link is shown;
//   filtered – then the table's search field gets "Bench site 999" and the table shows exactly
//              that one row (the fleet table answers as typed; until 2026-11-24 this included
//              material-table's 200 ms search debounce).
// interactive = filtered. Each load is a fresh browser context (empty HTTP cache) that carries
// a guest session signed in beforehand, so no sign-in page is in the way.
// Usage: node bench/page.mjs [sites=1000] [loads=7] [--trace] [--no-webui-preload]
//   --trace writes a Chromium performance trace of one extra load to
//   artifacts/bench-fleet-trace.json;
//   --no-webui-preload changes the measurement: Chromium does not load its own omnibox popup
//   (a WebUI page in a renderer of its own) for each new context's window. That load runs
//   while the page loads and, on a 2-core machine, takes CPU from it; a user's browser has its
//   window open before the page. Off by default, so figures stay comparable with earlier ones.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from '../e2e/browser.ts';
import { BENCH_URL, root, startBenchBackend } from './rest.mjs';

const args = process.argv.slice(2).filter(a => !a.startsWith('--'));
const trace = process.argv.includes('--trace');
const noWebuiPreload = process.argv.includes('--no-webui-preload');
const count = Number(args[0] ?? 1000);
const loads = Number(args[1] ?? 7);

const median = values => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function measure(browser, storageState, tracePath) {
  const context = await browser.newContext({
    storageState,
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  if (tracePath)
    await browser.startTracing(page, { path: tracePath, screenshots: true });
  await page.goto(`${BENCH_URL}/openstack`, { waitUntil: 'commit' });
  await page
    .getByText(`${count} of ${count} sites`)
    .waitFor({ timeout: 60_000 });
  await page
    .locator('tbody tr a', { hasText: /^Bench site \d+$/ })
    .first()
    .waitFor();
  const rows = await page.evaluate(() => performance.now());
  await page.getByPlaceholder('Filter').fill('Bench site 999');
  await page.waitForFunction(
    () => {
      const links = [...document.querySelectorAll('tbody tr a')];
      return links.length === 1 && links[0].textContent === 'Bench site 999';
    },
    undefined,
    { polling: 'raf', timeout: 30_000 },
  );
  const filtered = await page.evaluate(() => performance.now());
  const paint = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const sites = performance
      .getEntriesByType('resource')
      .find(entry => entry.name.endsWith('/api/openstack/sites'));
    return {
      domContentLoaded: nav?.domContentLoadedEventEnd ?? null,
      firstContentfulPaint: fcp?.startTime ?? null,
      sitesRequest: sites ? [sites.startTime, sites.responseEnd] : null,
      sitesBytes: sites?.encodedBodySize ?? null,
      // What the page's scripts cost on the wire (the backend compresses) and decoded.
      scriptBytes: performance
        .getEntriesByType('resource')
        .filter(entry => entry.initiatorType === 'script')
        .reduce(
          (sum, entry) => [
            sum[0] + entry.encodedBodySize,
            sum[1] + entry.decodedBodySize,
          ],
          [0, 0],
        ),
    };
  });
  if (tracePath) await browser.stopTracing();
  await context.close();
  return { rows, filtered, ...paint };
}

async function main() {
  if (!existsSync(join(root, 'packages/app/dist/index.html'))) {
    throw new Error('build the app first: yarn workspace app build');
  }
  const backend = await startBenchBackend(count);
  const browser = await launchBrowser(
    noWebuiPreload
      ? [
          '--disable-features=PreloadTopChromeWebUI,WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup',
        ]
      : [],
  );
  try {
    // Sign in once as guest; later loads carry the session.
    const signIn = await browser.newContext();
    const page = await signIn.newPage();
    await page.goto(`${BENCH_URL}/openstack`);
    const enter = page.getByRole('button', { name: 'Enter' });
    const signedIn = page.getByRole('navigation', { name: 'sidebar nav' });
    await enter.or(signedIn).first().waitFor({ timeout: 60_000 });
    if (await enter.isVisible()) await enter.click();
    await page
      .getByText(`${count} of ${count} sites`)
      .waitFor({ timeout: 60_000 });
    const storageState = await signIn.storageState();
    await signIn.close();

    await measure(browser, storageState); // warm-up: the backend's first page serving
    const runs = [];
    for (let i = 0; i < loads; i++) {
      const run = await measure(browser, storageState);
      runs.push(run);
      console.log(
        `load ${i + 1}: rows ${run.rows.toFixed(
          0,
        )} ms, filter answered ${run.filtered.toFixed(0)} ms` +
          ` (FCP ${run.firstContentfulPaint?.toFixed(
            0,
          )} ms, /sites ${run.sitesRequest
            ?.map(t => t.toFixed(0))
            .join('–')} ms, ${run.sitesBytes} bytes; scripts ${(
            run.scriptBytes[0] / 1e6
          ).toFixed(2)} MB sent, ${(run.scriptBytes[1] / 1e6).toFixed(
            2,
          )} MB decoded)`,
      );
    }
    console.log(
      `fleet page, ${count} sites${
        noWebuiPreload ? ' (--no-webui-preload)' : ''
      }, median of ${loads} cold loads: rows shown ${median(
        runs.map(r => r.rows),
      ).toFixed(0)} ms, interactive (filter answered) ${median(
        runs.map(r => r.filtered),
      ).toFixed(0)} ms`,
    );
    if (trace) {
      mkdirSync(join(root, 'artifacts'), { recursive: true });
      const path = join(root, 'artifacts/bench-fleet-trace.json');
      await measure(browser, storageState, path);
      console.log(`trace: ${path}`);
    }
  } finally {
    await browser.close();
    await backend.stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
