import { mockServices } from '@backstage/backend-test-utils';
import { ScanStore } from '../scans/ScanStore';
import Knex from 'knex';
import { storeTestDatabases } from '../__testUtils__/databases';
import { ABANDONED, keepAlive, persist, waitUntilEnded } from './runLease';
import { ScanService } from '../scans/ScanService';
import { SiteRegistry } from '../sites/SiteRegistry';
import { pluginConfig } from '../__testUtils__/config';

const databases = storeTestDatabases();
const logger = mockServices.logger.mock();
const timing = { heartbeatMs: 50, staleAfterMs: 300 };

describe.each(databases.ids)('run liveness on %p', databaseId => {
  const running = async (store: ScanStore, id: string, startedAt: Date) => {
    expect(
      await store.createScan({
        id,
        siteRef: `resource:default/${id}`,
        trigger: 'manual',
        startedAt,
      }),
    ).toBe(true);
  };

  it('keeps a renewed scan running and closes one whose backend stopped', async () => {
    const store = new ScanStore(await databases.migrated(databaseId));
    const longAgo = new Date(Date.now() - 60_000);
    await running(store, 'alive', longAgo);
    await running(store, 'dead', longAgo);
    // Its backend renews it from the start (as a scan's start sets the first heartbeat).
    await store.renewScan('alive');
    const stop = keepAlive(() => store.renewScan('alive'), timing, logger);
    try {
      // The live one started as long ago as the dead one: only the heartbeat tells them apart.
      const [alive, dead] = await Promise.all([
        waitUntilEnded({
          read: () => store.getScan('alive'),
          closeStale: before => store.abandonRunningScans(before),
          timing,
          gaveUp: (() => {
            const until = Date.now() + 1500;
            return () => Date.now() > until;
          })(),
        }),
        waitUntilEnded({
          read: () => store.getScan('dead'),
          closeStale: before => store.abandonRunningScans(before),
          timing,
        }),
      ]);
      expect(dead).toMatchObject({ status: 'failed', error: ABANDONED });
      expect(alive?.status).toBe('running');
    } finally {
      stop();
    }
  });

  it('waits on a scan another backend renews without writing, and closes it once that stops', async () => {
    const store = new ScanStore(await databases.migrated(databaseId));
    await running(store, 'elsewhere', new Date());
    const stop = keepAlive(() => store.renewScan('elsewhere'), timing, logger);
    const closes = jest.spyOn(store, 'abandonRunningScans');
    const scans = new ScanService({
      store,
      registry: {} as SiteRegistry,
      config: { ...pluginConfig({}), runs: timing },
      logger,
    });
    try {
      // About thirty polls of a live scan (one every heartbeat, 50 ms here).
      const until = Date.now() + 1500;
      await scans.finished('elsewhere', () => Date.now() > until);
      expect(closes).not.toHaveBeenCalled();
    } finally {
      stop();
    }
    // Its backend stopped: once the heartbeat is stale, one write closes it.
    await scans.finished('elsewhere');
    expect(closes).toHaveBeenCalledTimes(1);
    expect(await store.getScan('elsewhere')).toMatchObject({
      status: 'failed',
      error: ABANDONED,
    });
  });
});

describe('persist', () => {
  it('retries a write until the database takes it', async () => {
    let attempts = 0;
    await persist(
      async () => {
        attempts++;
        if (attempts < 4) throw new Error('connection refused');
      },
      { what: 'a scan', logger, maxDelayMs: 20 },
    );
    expect(attempts).toBe(4);
  });

  it('gives up after its patience with the last error', async () => {
    let attempts = 0;
    const started = Date.now();
    await expect(
      persist(
        async () => {
          attempts++;
          throw new Error(`down ${attempts}`);
        },
        { what: 'a scan', logger, patienceMs: 400, maxDelayMs: 50 },
      ),
    ).rejects.toThrow(`down`);
    expect(attempts).toBeGreaterThan(2);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe.each(databases.ids)('persist on %p', databaseId => {
  it('gives up at once when the database refuses the write itself (a constraint)', async () => {
    const knex = await databases.migrated(databaseId);
    await knex.schema.createTable('persist_probe', table => {
      table.string('id').primary();
    });
    await knex('persist_probe').insert({ id: 'scan-1' });
    let attempts = 0;
    // The driver's error, as it came (not `rejects.toThrow`: a native driver's error may come
    // from another realm than Jest's Error).
    const refusal = await persist(
      async () => {
        attempts++;
        await knex('persist_probe').insert({ id: 'scan-1' });
      },
      { what: 'a scan', logger, maxDelayMs: 20, patienceMs: 1000 },
    ).then(
      () => undefined,
      (error: unknown) => error as { message?: string },
    );
    expect(refusal?.message).toMatch(/unique/i);
    expect(attempts).toBe(1);
  });

  it('retries when the database is away (a refused connection) and stores once it is back', async () => {
    const knex = await databases.migrated(databaseId);
    await knex.schema.createTable('persist_probe', table => {
      table.string('id').primary();
    });
    // A second client of the same kind pointed at a port nobody listens on, until "the
    // database is back" after three attempts.
    const away = Knex(
      databaseId === 'POSTGRES_15'
        ? {
            client: 'pg',
            connection: 'postgresql://nobody:secret@127.0.0.1:1/none',
            pool: { min: 0, max: 1, acquireTimeoutMillis: 2000 },
          }
        : {
            client: 'better-sqlite3',
            connection: { filename: '/nonexistent-dir/fedstack.sqlite' },
            useNullAsDefault: true,
            pool: { min: 0, max: 1, acquireTimeoutMillis: 2000 },
          },
    );
    let attempts = 0;
    try {
      await persist(
        async () => {
          attempts++;
          const db = attempts < 3 ? away : knex;
          await db('persist_probe').insert({ id: 'scan-2' });
        },
        { what: 'a scan', logger, maxDelayMs: 20 },
      );
    } finally {
      await away.destroy();
    }
    expect(attempts).toBe(3);
    expect(await knex('persist_probe').select('id')).toEqual([
      { id: 'scan-2' },
    ]);
  });
});
