import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  CuttableProxy,
  startCuttableProxy,
} from '@fedstack/plugin-openstack-node/testUtils';
import { ABANDONED } from './database/runLease';
import {
  SANDBOX_SITES,
  alsoFor,
  sandboxCredentialSet,
  sandboxLive,
  sandboxPostgresBackends,
  sandboxSiteEntity,
  siteEntity,
  startPostgresBackend,
  waitFor,
} from './__testUtils__/sandbox';

// A backend killed (SIGKILL: no shutdown hook, no last write) in the middle of a scan, while
// another backend shares its PostgreSQL. The killed one's scan must not stay `running`: once its
// heartbeat stops, the survivor closes it as failed, whoever waited on it stops waiting, the next
// scan of the site runs, and the history from before is kept. Needs the sandbox's PostgreSQL and
// site-a; skipped without them unless the test command requires them.
const { describeLive } = sandboxLive('FEDSTACK_SANDBOX_DB_PASSWORD');
jest.setTimeout(180_000);

// Short, so that the test waits seconds, not the default minute and a half.
const runs = { heartbeatSeconds: 0.5, staleAfterSeconds: 3 };
const scansConfig = {
  schedule: {
    frequency: { hours: 24 },
    timeout: { minutes: 2 },
    initialDelay: { hours: 1 },
  },
  // The killed backend's scan waits on a site that never answers: it is still running when killed.
  requestTimeoutMs: 120_000,
};

/**
 * A backend in a child process, which the test can kill. `port` resolves once it serves;
 * `printed` once its output matches.
 */
function startBackendProcess(config: object, env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      path.join(__dirname, '__testUtils__', 'backendProcess.ts'),
    ],
    {
      env: {
        ...process.env,
        ...env,
        FEDSTACK_TEST_BACKEND: JSON.stringify(config),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<never>((_resolve, reject) =>
    child.on('exit', code =>
      reject(new Error(`backend process exited (${code}): ${output}`)),
    ),
  );
  exited.catch(() => undefined);
  const printed = (pattern: RegExp) =>
    Promise.race([
      exited,
      new Promise<RegExpExecArray>(resolve => {
        const look = () => {
          const found = pattern.exec(output);
          if (!found) return;
          child.stdout!.off('data', look);
          resolve(found);
        };
        child.stdout!.on('data', look);
        look();
      }),
    ]);
  child.stdout!.on('data', chunk => {
    output += chunk;
  });
  child.stderr!.on('data', chunk => {
    output += chunk;
  });
  const port = printed(/listening (\d+)/).then(found => Number(found[1]));
  return { child, port, printed };
}

describeLive('a backend killed in the middle of a scan', () => {
  const backends = sandboxPostgresBackends('killed');
  let child: ChildProcess | undefined;
  let held: CuttableProxy | undefined;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(() => process.on('unhandledRejection', onUnhandled));
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
    child?.kill('SIGKILL');
    held?.close();
  });

  it('has its scan closed by the survivor, which then scans the site', async () => {
    const openstack = {
      credentialSets: { sandbox: sandboxCredentialSet() },
      scans: scansConfig,
      runs,
    };
    const survivor = await backends.start(
      [sandboxSiteEntity('site-a', { profiles: 'tenant-platform' })],
      openstack,
    );
    const scan = (server: Parameters<typeof request>[0]) =>
      request(server)
        .post('/api/openstack/sites/default/site-a/scans')
        .send({});
    const statusOf = async (id: string) =>
      (await request(survivor.server).get(`/api/openstack/scans/${id}`)).body
        .scan;
    const ended = (id: string) =>
      waitFor(async () => {
        const summary = await statusOf(id);
        return summary?.status === 'running' ? undefined : summary;
      }, `scan ${id} to end`);

    const before = (await scan(survivor.server)).body.scanId as string;
    expect((await ended(before)).status).toBe('completed');

    // The same site, as the backend that will be killed sees it: behind a proxy that holds every
    // request, a Keystone that never answers.
    const keystone = new URL(SANDBOX_SITES['site-a'].keystoneUrl);
    held = await startCuttableProxy(Number(keystone.port), keystone.hostname);
    held.hold();
    const doomed = startBackendProcess({
      database: backends.database,
      entities: [
        siteEntity({
          name: 'site-a',
          keystoneUrl: `http://127.0.0.1:${held.port}/v3`,
          region: SANDBOX_SITES['site-a'].region,
          profiles: 'tenant-platform',
          credentials: 'sandbox',
        }),
      ],
      openstack: {
        ...openstack,
        credentialSets: {
          sandbox: alsoFor(
            sandboxCredentialSet(),
            `http://127.0.0.1:${held.port}/v3`,
          ),
        },
      },
    });
    child = doomed.child;
    const killedScan = await scan(`http://127.0.0.1:${await doomed.port}`);
    expect(killedScan.status).toBe(202);
    const killedId = killedScan.body.scanId as string;
    expect((await statusOf(killedId)).status).toBe('running');

    child.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise(resolve => child!.once('exit', resolve));

    // At once, the survivor cannot tell: a trigger joins the dead scan…
    const joined = await scan(survivor.server);
    expect(joined.body).toEqual({ scanId: killedId, joined: true });
    // …until its heartbeat is stale, when it is closed as failed, within seconds.
    const closed = await ended(killedId);
    expect(closed).toMatchObject({ status: 'failed', error: ABANDONED });
    expect(Date.now() - killedAt).toBeLessThan(
      (runs.staleAfterSeconds + 5) * 1000,
    );

    const next = await scan(survivor.server);
    expect(next.body.joined).toBe(false);
    expect((await ended(next.body.scanId)).status).toBe('completed');

    const history = await request(survivor.server).get(
      '/api/openstack/sites/default/site-a/scans',
    );
    const ids = JSON.stringify(history.body);
    for (const id of [before, killedId, next.body.scanId])
      expect(ids).toContain(id);
    expect(unhandled).toEqual([]);
  });
});

// The backend is killed (SIGKILL) after every check of its scan ended, before the scan itself was
// stored: a test-only pause point (FEDSTACK_TEST_PAUSE_BEFORE_STORING_SCAN in ScanService) holds
// it there. Each check's result was stored as the check ended; the survivor, once the heartbeat
// is stale, completes the scan with them instead of closing it as abandoned. On the sandbox's
// PostgreSQL, and on SQLite files both processes open.
for (const kind of ['PostgreSQL', 'SQLite'] as const) {
  sandboxLive(
    kind === 'PostgreSQL'
      ? 'FEDSTACK_SANDBOX_DB_PASSWORD'
      : 'FEDSTACK_SANDBOX_ADMIN_PASSWORD',
  ).describeLive(
    `a backend killed after its checks ended, before its scan was stored, on ${kind}`,
    () => {
      const postgres =
        kind === 'PostgreSQL' && sandboxPostgresBackends('stored');
      let sqliteDirectory: string | undefined;
      // The `backend.database` configuration both backends share.
      const sharedDatabase = () =>
        postgres
          ? postgres.database
          : {
              client: 'better-sqlite3',
              connection: { directory: sqliteDirectory! },
            };
      let child: ChildProcess | undefined;
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);

      beforeAll(() => {
        process.on('unhandledRejection', onUnhandled);
        if (kind === 'SQLite')
          sqliteDirectory = mkdtempSync(
            path.join(os.tmpdir(), 'fedstack-killed-'),
          );
      });
      afterAll(() => {
        process.off('unhandledRejection', onUnhandled);
        child?.kill('SIGKILL');
        if (sqliteDirectory)
          rmSync(sqliteDirectory, { recursive: true, force: true });
      });

      it('has the survivor complete the scan with every check’s verdict', async () => {
        const database = sharedDatabase();
        const entities = [
          sandboxSiteEntity('site-a', { profiles: 'tenant-platform' }),
        ];
        const openstack = {
          credentialSets: { sandbox: sandboxCredentialSet() },
          scans: scansConfig,
          runs,
        };
        const survivor = await startPostgresBackend({
          database,
          entities,
          openstack,
        });
        const doomed = startBackendProcess(
          { database, entities, openstack },
          { FEDSTACK_TEST_PAUSE_BEFORE_STORING_SCAN: '1' },
        );
        child = doomed.child;
        const scan = (server: Parameters<typeof request>[0]) =>
          request(server)
            .post('/api/openstack/sites/default/site-a/scans')
            .send({});
        type Detail = {
          scan: {
            status: string;
            error: string | null;
            profiles: Array<{ profileId: string; score: number }>;
          };
          results: Array<{ checkId: string; status: string }>;
        };
        const detail = async (id: string) =>
          (await request(survivor.server).get(`/api/openstack/scans/${id}`))
            .body as Detail;
        const ended = (id: string) =>
          waitFor(async () => {
            const now = await detail(id);
            return now.scan?.status === 'running' ? undefined : now;
          }, `scan ${id} to end`);

        const started = await scan(`http://127.0.0.1:${await doomed.port}`);
        expect(started.status).toBe(202);
        const killedId = started.body.scanId as string;
        // Every check ended and its result is stored; the scan is not.
        const [, pausedId] = await doomed.printed(
          /paused before storing scan (\S+)/,
        );
        expect(pausedId).toBe(killedId);
        const stored = await detail(killedId);
        expect(stored.scan.status).toBe('running');
        expect(stored.results.length).toBeGreaterThan(0);

        child.kill('SIGKILL');
        await new Promise(resolve => child!.once('exit', resolve));

        // A trigger on the survivor joins the dead scan, and closes it once its heartbeat is
        // stale: completed, with the verdicts the dead backend's checks reached.
        const joined = await scan(survivor.server);
        expect(joined.body).toEqual({ scanId: killedId, joined: true });
        const closed = await ended(killedId);
        expect(closed.scan).toMatchObject({ status: 'completed', error: null });
        const verdicts = (detailed: Detail) =>
          Object.fromEntries(detailed.results.map(r => [r.checkId, r.status]));
        expect(verdicts(closed)).toEqual(verdicts(stored));
        expect(closed.scan.profiles.map(p => p.profileId)).toEqual([
          'tenant-platform',
        ]);

        // The next scan runs every check again: the same checks, each with a verdict.
        const next = await scan(survivor.server);
        expect(next.body.joined).toBe(false);
        const after = await ended(next.body.scanId);
        expect(after.scan.status).toBe('completed');
        expect(Object.keys(verdicts(closed)).sort()).toEqual(
          Object.keys(verdicts(after)).sort(),
        );
        for (const status of Object.values(verdicts(closed)))
          expect(['pass', 'warn', 'fail', 'error', 'skip']).toContain(status);
        expect(unhandled).toEqual([]);
      });
    },
  );
}
