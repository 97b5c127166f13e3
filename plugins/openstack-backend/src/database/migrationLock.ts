import { Knex } from 'knex';

// Any number other plugins would not pick; advisory locks are per database anyway.
const MIGRATION_LOCK = 0x66737461636b; // "fstack"

/**
 * Runs the start-up work that migrates the plugin's database (its own migrations, and the
 * scheduler's, which run at the plugin's first scheduled task) holding a PostgreSQL advisory
 * lock, so that backends started at once on one database take turns. Without it, knex's own
 * migration lock makes the second one fail ("Migration table is already locked", or a race on
 * creating the lock table) and that backend does not start. The lock ends with the transaction,
 * or with the connection if the backend dies. SQLite is never shared by two backends: no lock.
 */
export async function oneMigratorAtATime<T>(
  db: Knex,
  work: () => Promise<T>,
): Promise<T> {
  if (db.client.dialect !== 'postgresql') return work();
  return db.transaction(async tx => {
    await tx.raw('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
    return work();
  });
}
