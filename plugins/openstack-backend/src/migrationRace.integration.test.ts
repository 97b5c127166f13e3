import {
  sandboxCredentialSet,
  sandboxLive,
  sandboxPostgresBackends,
} from './__testUtils__/sandbox';

// Two backends started at once on one fresh PostgreSQL database (a rolling deploy of two
// replicas): both run the plugin's migrations at start, and one found knex's migration lock held
// by the other. Both must start, with the migrations run once. Needs the sandbox's PostgreSQL;
// skipped without it unless the test command requires it.
const { describeLive } = sandboxLive('FEDSTACK_SANDBOX_DB_PASSWORD');
jest.setTimeout(120_000);

const openstack = {
  credentialSets: { sandbox: sandboxCredentialSet() },
  scans: {
    schedule: {
      frequency: { hours: 24 },
      timeout: { minutes: 1 },
      initialDelay: { hours: 1 },
    },
  },
};

// Fresh databases each round: the race is at the first start only.
const rounds = [1, 2, 3].map(round =>
  sandboxPostgresBackends(`migrate${round}`),
);

describeLive('two backends starting at once on one fresh database', () => {
  it.each(rounds.map((backends, i) => [i + 1, backends] as const))(
    'both start, and the migrations run once (round %i)',
    async (_round, backends) => {
      const started = await Promise.allSettled([
        backends.start([], openstack),
        backends.start([], openstack),
      ]);
      try {
        expect(
          started.map(s => (s.status === 'rejected' ? String(s.reason) : 'ok')),
        ).toEqual(['ok', 'ok']);
        const db = backends.pluginDatabase();
        try {
          const applied = await db('knex_migrations').select('name');
          const names = applied.map(row => row.name as string);
          expect(new Set(names).size).toBe(names.length);
          expect(names).toContain('20261123000000_scans.js');
          expect(await db('knex_migrations_lock').select('is_locked')).toEqual([
            { is_locked: 0 },
          ]);
        } finally {
          await db.destroy();
        }
      } finally {
        for (const s of started)
          if (s.status === 'fulfilled') await s.value.stop();
      }
    },
  );
});
