// What the benchmarks that start the real backend share: the sandbox's PostgreSQL (their own
// databases, dropped by prefix) and polling until something is ready.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const requireFromBackend = createRequire(
  join(root, 'plugins/openstack-backend/package.json'),
);

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** Polls `probe` until it answers something truthy (errors count as "not yet"). */
export async function waitFor(what, seconds, probe, everyMs = 1000) {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch {
      // not yet
    }
    if (Date.now() > until) throw new Error(`${what} within ${seconds}s`);
    await sleep(everyMs);
  }
}

/** A knex client on one database of the sandbox's PostgreSQL. */
export function knexFor(credentials, database) {
  const knex = requireFromBackend('knex');
  return knex({
    client: 'pg',
    connection: {
      host: '127.0.0.1',
      port: 5433,
      user: 'postgres',
      password: credentials.FEDSTACK_SANDBOX_DB_PASSWORD,
      database,
    },
    pool: { min: 0, max: 2 },
  });
}

/** Drops the databases whose names start with `prefix`, and nothing else. */
export async function dropDatabases(credentials, prefix) {
  const db = knexFor(credentials, 'postgres');
  try {
    const { rows } = await db.raw(
      'select datname from pg_database where starts_with(datname, ?)',
      [prefix],
    );
    for (const { datname } of rows)
      await db.raw('drop database ?? with (force)', [datname]);
    return rows.map(r => r.datname);
  } finally {
    await db.destroy();
  }
}
