// Bundles `fedstack` into one file, dist/fedstack.cjs (or the path given), which bin/fedstack
// runs. Usage: node scripts/bundleCli.mjs [outfile]
// Why: the published package is that one file and nothing else, so `npx @fedstack/cli` (or of
// its tarball) installs no dependency and works offline; and an unbundled CLI makes Node resolve
// and read hundreds of files of zod, axios and their dependencies at every start (~200 ms of a
// ~450 ms scan), where one file, with Node's compile cache, loads in about half that. Run by
// `yarn build` and by prepack (`yarn pack`, publishing), so a tarball never holds a stale bundle.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
// The CLI's code is the node library's (src/cli/main.ts, not its package root: the bundle then
// holds only what a scan needs, not the replication planner or the console). axios is taken from
// where the library resolves it, so the stubs below apply to the copy the client imports.
const libraryDir = dirname(
  createRequire(join(packageDir, 'package.json')).resolve(
    '@fedstack/plugin-openstack-node/package.json',
  ),
);
const require = createRequire(join(libraryDir, 'package.json'));
const axiosDir = dirname(require.resolve('axios/package.json'));

// What axios loads but the CLI never uses costs much of every start, so the bundle leaves it
// out. The client only uses axios' http adapter over HTTP/1.1 and never sends forms
// (client/http.ts).
// - axios probes the fetch API and the global FormData when it loads, and touching either
//   makes Node load its fetch implementation (undici, ~30 ms): the fetch adapter answers
//   "not available" (axios falls through to http), and `isFormData` does not know Node's own
//   FormData class.
// - axios' FormData class for Node is the form-data package, which loads mime-db, a ~200 kB
//   object literal (~20 ms): a class that refuses to be built stands in for it.
// The bundle takes axios from its ES sources for that. The build fails when axios' sources
// no longer read as expected (an upgrade): look again then.
const NO_FORMS =
  "export default class FormData { constructor() { throw new Error('fedstack sends no forms'); } }";
const STUBS = {
  'adapters/fetch.js': () =>
    'export const getFetch = () => false; export default false;',
  'env/classes/FormData.js': () => NO_FORMS,
  'platform/node/classes/FormData.js': () => NO_FORMS,
  'utils.js': source => {
    const probe =
      "const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;";
    if (!source.includes(probe))
      throw new Error(
        "axios' lib/utils.js changed: its FormData probe is gone",
      );
    return source.replace(probe, 'const FormDataCtor = undefined;');
  },
};
// axios imports Node's http2 for requests made with `httpVersion: 2`, which the client never
// asks for; loading it costs ~4 ms of every start. Inside axios it is an object that refuses.
const NO_HTTP2 = `const refuse = () => { throw new Error('fedstack speaks HTTP/1.1 only'); };
export default { connect: refuse, get constants() { return refuse(); } };`;
const httpAdapterOnly = {
  name: 'axios-http-adapter-only',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^axios$/ }, () => ({
      path: join(axiosDir, 'index.js'),
    }));
    esbuild.onResolve({ filter: /^(node:)?http2$/ }, args =>
      args.importer.startsWith(join(axiosDir, 'lib'))
        ? { path: 'http2', namespace: 'no-http2' }
        : undefined,
    );
    esbuild.onLoad({ filter: /.*/, namespace: 'no-http2' }, () => ({
      contents: NO_HTTP2,
      loader: 'js',
    }));
    esbuild.onLoad({ filter: /[\\/]axios[\\/]lib[\\/].*\.js$/ }, async args => {
      const stub = Object.entries(STUBS).find(
        ([file]) => args.path === join(axiosDir, 'lib', file),
      );
      if (!stub) return undefined;
      const source = await readFile(args.path, 'utf8');
      return {
        contents: stub[1](source),
        loader: 'js',
        resolveDir: dirname(args.path),
      };
    });
  },
};

await build({
  entryPoints: [join(libraryDir, 'src/cli/main.ts')],
  outfile: process.argv[2] ?? join(packageDir, 'dist/fedstack.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
  plugins: [httpAdapterOnly],
});
