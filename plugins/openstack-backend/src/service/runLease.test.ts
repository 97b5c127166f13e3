import { mockServices } from '@backstage/backend-test-utils';
import { ScanStore } from '../database/ScanStore';
import { storeTestDatabases } from '../__testUtils__/databases';
import { ABANDONED, keepAlive, persist, waitUntilEnded } from './runLease';

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
