// Pins a freshly created Backstage app to the one release its create-app names.
//
// create-app writes caret ranges of its release (backstage.json: e.g. 1.55.0) and cannot fetch
// its yarn.lock seed here (GitHub), so a plain install resolves every @backstage/* package to the
// newest on the registry: a tree mixing two releases. The release's set is not on the registry
// either (versions.backstage.io). So every @backstage/* package is pinned (root `resolutions`):
// those the app names, to the version its template wrote (create-app's own release list); the
// others, reached through @backstage/* dependencies of the app and of any extra package.json
// given (the plugins being adopted), to their newest stable version published within a week of
// that create-app (a release's packages reach the registry over a few days; the next release
// is a month later).
//
// Usage: node e2e/adoption/pinRelease.mjs <app dir> <create-app version> [extra package.json…]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

const [appDir, createAppVersion, ...extraManifests] = process.argv.slice(2);
if (!appDir || !createAppVersion) {
  console.error(
    'usage: pinRelease.mjs <app dir> <create-app version> [package.json…]',
  );
  process.exit(2);
}
const registry = (
  process.env.npm_config_registry ?? 'https://registry.npmjs.org'
).replace(/\/$/, '');
const SLACK_MS = 7 * 24 * 60 * 60 * 1000;

async function packument(name) {
  const url = `${registry}/${name.replace('/', '%2f')}`;
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      return await res.json();
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

const createApp = await packument('@backstage/create-app');
const released = createApp.time?.[createAppVersion];
if (!released) {
  throw new Error(
    `@backstage/create-app ${createAppVersion}: not on ${registry}`,
  );
}
const cutoff = Date.parse(released) + SLACK_MS;

const appManifests = [
  'package.json',
  'packages/app/package.json',
  'packages/backend/package.json',
]
  .map(p => join(appDir, p))
  .concat(extraManifests);
const backstageDeps = manifest =>
  Object.keys({
    ...manifest.dependencies,
    ...manifest.devDependencies,
    ...manifest.peerDependencies,
  }).filter(n => n.startsWith('@backstage/'));

const pins = new Map();
// The versions the template wrote: `^1.2.3` of the release.
for (const file of appManifests.slice(0, 3)) {
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  for (const [name, range] of Object.entries({
    ...manifest.dependencies,
    ...manifest.devDependencies,
  })) {
    const exact = /^\^(\d+\.\d+\.\d+)$/.exec(range);
    if (name.startsWith('@backstage/') && exact) pins.set(name, exact[1]);
  }
}
let queue = [
  ...new Set(
    appManifests.flatMap(f =>
      backstageDeps(JSON.parse(readFileSync(f, 'utf8'))),
    ),
  ),
];
const seen = new Set(queue);
while (queue.length > 0) {
  const batch = queue;
  queue = [];
  await Promise.all(
    batch.map(async name => {
      const doc = await packument(name);
      const version =
        pins.get(name) ??
        Object.keys(doc.versions ?? {})
          .filter(
            v => !semver.prerelease(v) && Date.parse(doc.time?.[v]) <= cutoff,
          )
          .sort(semver.rcompare)[0];
      if (!version) return; // newer than the release: left to the ranges that ask for it
      pins.set(name, version);
      for (const dep of backstageDeps({
        dependencies: doc.versions[version].dependencies,
      })) {
        if (!seen.has(dep)) {
          seen.add(dep);
          queue.push(dep);
        }
      }
    }),
  );
}

const rootFile = join(appDir, 'package.json');
const root = JSON.parse(readFileSync(rootFile, 'utf8'));
root.resolutions = {
  ...root.resolutions,
  ...Object.fromEntries([...pins].sort(([a], [b]) => a.localeCompare(b))),
};
writeFileSync(rootFile, `${JSON.stringify(root, null, 2)}\n`);
console.log(
  `pinned ${pins.size} @backstage/* packages to create-app ${createAppVersion} (published ${released})`,
);
