import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/**
 * A running scan or replication is a row in the database, so that backends sharing it run each
 * once. The backend running it renews the row's heartbeat; a row whose heartbeat stopped was left
 * by a backend that died (killed, crashed), and any backend may close it: as failed, or for a
 * scan whose checks had all ended and stored their results, as completed with them.
 */
export interface RunLeaseTiming {
  /** How often the running backend renews the heartbeat. */
  heartbeatMs: number;
  /** A heartbeat older than this means the backend running it is gone. */
  staleAfterMs: number;
}

/**
 * Why a run is closed when its backend stopped renewing it (a scan keeps the results its ended
 * checks stored).
 */
export const ABANDONED =
  'abandoned: the backend running it stopped (no heartbeat)';

/**
 * The tables of runs: each row has `id`, `status`, `heartbeat_at`, `finished_at` and `error`,
 * and a unique index lets a site have one running row.
 */
export type RunTable = 'openstack_scans' | 'openstack_replication_runs';

/** Whether a database error is a unique constraint refusing a row (PostgreSQL or SQLite). */
export function isUniqueViolation(error: unknown): boolean {
  const { code, message } = (error ?? {}) as {
    code?: string;
    message?: string;
  };
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(message ?? '')
  );
}

/**
 * Inserts a running row. False when the site already has a running row (on this backend or
 * another one sharing the database): the caller joins that run.
 */
export async function insertRunning(
  db: Knex,
  table: RunTable,
  row: Record<string, unknown>,
): Promise<boolean> {
  try {
    await db(table).insert(row);
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/**
 * Creates a run's row; when the site already has a running row, closes stale runs first (a
 * running row whose heartbeat stopped was left by a backend that died) and tries once more.
 * False when another run holds the site.
 */
export async function claimRun(
  create: () => Promise<boolean>,
  closeStale: () => Promise<unknown>,
): Promise<boolean> {
  if (await create()) return true;
  await closeStale();
  return create();
}

/** The backend running the run is alive: renews its row's heartbeat. */
export async function renewRunning(
  db: Knex,
  table: RunTable,
  id: string,
  at: Date,
): Promise<void> {
  await db(table).where({ id, status: 'running' }).update({ heartbeat_at: at });
}

/**
 * Closes running rows whose backend stopped renewing them (killed, crashed): their heartbeat is
 * older than `heartbeatBefore`. Resolves to how many it closed.
 */
export async function abandonStaleRuns(
  db: Knex,
  table: RunTable,
  heartbeatBefore: Date,
): Promise<number> {
  return db(table)
    .where({ status: 'running' })
    .andWhere('heartbeat_at', '<', heartbeatBefore)
    .update({ status: 'failed', error: ABANDONED, finished_at: new Date() });
}

/** Renews a running row's heartbeat until the returned function is called. */
export function keepAlive(
  renew: () => Promise<unknown>,
  timing: RunLeaseTiming,
  logger: LoggerService,
): () => void {
  const timer = setInterval(() => {
    // A missed heartbeat is harmless while the next ones land; a lasting outage is logged
    // where the run's result is written.
    renew().catch(error =>
      logger.debug(`Could not renew a run's heartbeat: ${error}`),
    );
  }, timing.heartbeatMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Waits until a run another backend carries out is no longer running. When that backend stops
 * renewing its heartbeat, `closeStale` closes the row, and the wait ends. Closing is a write:
 * when `read` gives the run's heartbeat, it is asked only once that heartbeat is stale.
 */
export async function waitUntilEnded<
  T extends { status: string; heartbeatAt?: Date | null },
>(options: {
  read: () => Promise<T | undefined>;
  closeStale: (heartbeatBefore: Date) => Promise<unknown>;
  timing: RunLeaseTiming;
  gaveUp?: () => boolean;
}): Promise<T | undefined> {
  const pollMs = Math.min(1000, options.timing.heartbeatMs);
  for (;;) {
    const run = await options.read();
    if (!run || run.status !== 'running' || options.gaveUp?.()) return run;
    const staleBefore = new Date(Date.now() - options.timing.staleAfterMs);
    // A run renewed within the stale time is alive: nothing to close, so nothing written.
    if (!run.heartbeatAt || run.heartbeatAt < staleBefore)
      await options.closeStale(staleBefore);
    await new Promise(resolve => setTimeout(resolve, pollMs));
  }
}

/**
 * Whether the database refused the write itself, which no retry mends: the data (PostgreSQL's
 * SQLSTATE class 22), a constraint (23), the statement or a missing table (42), or SQLite's
 * equivalents. Anything else (refused or dropped connections, a database shutting down or
 * starting, a full pool) may pass once the database is back.
 */
export function isRefusedWrite(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return false;
  return (
    /^(22|23|42)[0-9A-Z]{3}$/.test(code) ||
    /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(code)
  );
}

/**
 * Writes a finished run's outcome, retrying while the database is away (an outage longer than
 * the run), so that the result is not lost. Gives up after `patienceMs` and throws the last
 * error, or at once when the database refused the write itself ({@link isRefusedWrite}).
 */
export async function persist<T>(
  write: () => Promise<T>,
  options: {
    what: string;
    logger: LoggerService;
    patienceMs?: number;
    /** Longest pause between two attempts. */
    maxDelayMs?: number;
  },
): Promise<T> {
  const deadline = Date.now() + (options.patienceMs ?? 60 * 60 * 1000);
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  for (let delay = 250, attempt = 1; ; attempt++) {
    try {
      const written = await write();
      if (attempt > 1)
        options.logger.info(`Stored ${options.what} after ${attempt} attempts`);
      return written;
    } catch (error) {
      if (isRefusedWrite(error) || Date.now() + delay > deadline) throw error;
      if (attempt === 1 || attempt % 10 === 0)
        options.logger.warn(
          `Could not store ${options.what} (attempt ${attempt}), retrying: ${error}`,
        );
      await new Promise(resolve => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}
