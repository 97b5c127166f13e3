// A registry for one npm scope, serving the tarballs in a folder as if they were published.
//
// The adoption test installs the packed plugins the way an adopter installs published ones
// (`yarn add @fedstack/…`), through yarn's per-scope registry setting (`npmScopes`), as a
// company's private registry would serve them. It answers only what yarn asks of a registry:
// a package's document (versions, dist-tags, dist.tarball, dist.integrity) and the tarballs.
// Verdaccio would do the same with a few hundred dependencies more; this test needs no storage,
// proxying, users or publishing.
//
// Usage: node e2e/adoption/scopeRegistry.mjs <tarball folder> <port>   (prints "ready <url>")
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const [folder, port = '4873'] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;

const packages = new Map();
for (const file of readdirSync(folder).filter(f => f.endsWith('.tgz'))) {
  const tarball = readFileSync(join(folder, file));
  const manifest = JSON.parse(
    execFileSync('tar', ['-xzOf', join(folder, file), 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
  const entry = packages.get(manifest.name) ?? { versions: {}, files: {} };
  const fileName = `${manifest.name.split('/')[1]}-${manifest.version}.tgz`;
  entry.files[fileName] = tarball;
  entry.versions[manifest.version] = {
    ...manifest,
    _id: `${manifest.name}@${manifest.version}`,
    dist: {
      tarball: `${base}/${manifest.name}/-/${fileName}`,
      shasum: createHash('sha1').update(tarball).digest('hex'),
      integrity: `sha512-${createHash('sha512')
        .update(tarball)
        .digest('base64')}`,
    },
  };
  packages.set(manifest.name, entry);
}

const now = new Date(0).toISOString();
createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, base).pathname).slice(1);
  const [scope, name, dash, fileName] = path.split('/');
  const entry = packages.get(`${scope}/${name}`);
  if (entry && dash === '-' && entry.files[fileName]) {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(entry.files[fileName]);
    return;
  }
  if (entry && dash === undefined) {
    const versions = Object.keys(entry.versions);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        name: `${scope}/${name}`,
        'dist-tags': { latest: versions[versions.length - 1] },
        versions: entry.versions,
        // Old enough for any minimal-age gate: these are the packages under test.
        time: Object.fromEntries(versions.map(v => [v, now])),
      }),
    );
    return;
  }
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: 'not found' }));
}).listen(Number(port), '127.0.0.1', () => {
  console.log(`ready ${base} (${[...packages.keys()].join(', ')})`);
});
