// Replication of N tenants × 5 members into sandbox site-a's Keystone: the first run, a no-op
// re-run, one drifted tenant, and the same no-op with a per-resource (Terraform-style) refresh,
// all in one run. Then everything is removed again.
// Usage: node bench/replication.mjs [tenants]   (sandbox running; plugins/openstack-node built)
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxCredentials } from './sandboxCredentials.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { OpenStackSession, replicate } = require(join(
  root,
  'plugins/openstack-node/dist/index.cjs.js',
));
const tenants = Number(process.argv[2] ?? 1000);
const credentials = sandboxCredentials();

const KEYSTONE = 'http://127.0.0.1:5000/v3';
const session = (username, password) =>
  new OpenStackSession({
    keystoneUrl: KEYSTONE,
    region: 'RegionOne',
    credential: {
      type: 'password',
      username,
      password,
      scope: { project: { name: 'admin', domain: { id: 'default' } } },
    },
    // The bulk reads of a cloud with thousands of memberships are a few MB.
    httpOptions: { timeoutMs: 120_000, maxBodyBytes: 256 * 1024 * 1024 },
  });
const admin = session('admin', credentials.FEDSTACK_SANDBOX_ADMIN_PASSWORD);
const replicator = () =>
  session('replicator', credentials.FEDSTACK_SANDBOX_REPLICATOR_PASSWORD);

const must = async promise => {
  const result = await promise;
  if (!result.ok) throw new Error(result.error.message);
  return result.data;
};
const euid = n =>
  `${createHash('md5').update(`bench-${n}`).digest('hex')}@egi.eu`;
async function inParallel(items, limit, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}
const seconds = ms => `${(ms / 1000).toFixed(2)} s`;

const idp = await must(admin.identity.identityProvider('egi.eu'));
const userDomain = idp.domain_id;
const existing = new Set(
  (await must(admin.identity.users({ domain_id: userDomain }))).map(
    u => u.name,
  ),
);
const wanted = Array.from({ length: tenants * 5 }, (_, i) => euid(i));
const setupStart = Date.now();
await inParallel(
  wanted.filter(name => !existing.has(name)),
  4,
  name => must(admin.identity.createUser({ name, domain_id: userDomain })),
);
console.log(
  `set-up: ${wanted.length} federated users in ${seconds(
    Date.now() - setupStart,
  )}`,
);

const desired = Array.from({ length: tenants }, (_, t) => ({
  key: `bench-${t}`,
  domain: { id: 'default' },
  projectName: `bench.t${t}`,
  description: 'fedstack benchmark tenant',
  tags: ['fedstack-bench'],
  phase: 'active',
  groups: [
    {
      role: 'admin',
      name: `bench.t${t}-admin`,
      openstackRole: 'member',
      members: [euid(t * 5), euid(t * 5 + 1)],
    },
    {
      role: 'user',
      name: `bench.t${t}-user`,
      openstackRole: 'member',
      members: [euid(t * 5 + 2), euid(t * 5 + 3), euid(t * 5 + 4)],
    },
  ],
}));
const options = { userDomains: [userDomain], concurrency: 4 };

async function measure(label, tenantsNow, extra = {}) {
  const start = Date.now();
  const report = await replicate(replicator(), tenantsNow, {
    ...options,
    ...extra,
  });
  const ms = Date.now() - start;
  const failed = report.tenants.filter(t => t.status === 'failed');
  console.log(
    `${label}: ${seconds(ms)}, ${report.keystoneCalls} Keystone calls, ${
      report.steps.length
    } writes, ${failed.length} failed tenant(s)${
      report.error ? ` (${report.error})` : ''
    }`,
  );
  if (failed.length > 0) console.log(JSON.stringify(failed[0].errors));
  return { ms, report };
}

const results = {};
try {
  results.first = await measure(
    `first replication of ${tenants} tenants × 5 members`,
    desired,
  );
  // Where a no-op's time goes: each bulk read's duration as Keystone answered it.
  const reads = [];
  results.noop = await measure('no-op re-run (bulk reads)', desired, {
    recorder: { record: e => reads.push(e) },
  });
  for (const e of reads)
    console.log(
      `  ${e.method} ${new URL(e.url).pathname}${
        new URL(e.url).search
      }: ${Math.round(e.durationMs)} ms, ${
        e.responseHeaders['content-length'] ?? '?'
      } bytes`,
    );
  // Drift: one membership removed by hand.
  const group = (
    await must(admin.identity.groups({ name: 'bench.t0-user' }))
  )[0];
  const member = (
    await must(admin.identity.users({ name: euid(2), domain_id: userDomain }))
  )[0];
  await must(admin.identity.removeUserFromGroup(group.id, member.id));
  results.drift = await measure(
    'one drifted tenant (a membership removed by hand)',
    desired,
  );
  results.perResource = await measure(
    'no-op re-run, per-resource refresh (Terraform-style)',
    desired,
    { read: 'per-resource' },
  );
  const ratio = results.perResource.ms / results.noop.ms;
  console.log(
    `per-resource refresh vs bulk: ${ratio.toFixed(1)}× the time, ${(
      results.perResource.report.keystoneCalls /
      results.noop.report.keystoneCalls
    ).toFixed(0)}× the Keystone calls`,
  );
} finally {
  const cleanStart = Date.now();
  await measure(
    'clean-up: every tenant removed, projects deleted',
    desired.map(t => ({ ...t, phase: 'removed', deleteProject: true })),
  );
  const users = await must(admin.identity.users({ domain_id: userDomain }));
  const ours = new Set(wanted);
  await inParallel(
    users.filter(u => ours.has(u.name)),
    4,
    user => admin.identity.deleteUser(user.id),
  );
  console.log(`clean-up done in ${seconds(Date.now() - cleanStart)}`);
}
