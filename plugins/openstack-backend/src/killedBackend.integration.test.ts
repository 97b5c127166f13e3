import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import {
  CuttableProxy,
  startCuttableProxy,
} from '@fedstack/plugin-openstack-node/testUtils';
import { ABANDONED } from './service/runLease';
import {
  SANDBOX_SITES,
  alsoFor,
  sandboxCredentialSet,
  sandboxLive,
  sandboxPostgresBackends,
  sandboxSiteEntity,
  siteEntity,
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

/** A backend in a child process, which the test can kill. Resolves once it serves. */
function startBackendProcess(config: object) {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      path.join(__dirname, '__testUtils__', 'backendProcess.ts'),
    ],
    {
      env: { ...process.env, FEDSTACK_TEST_BACKEND: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const port = new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', chunk => {
      output += chunk;
      const listening = /listening (\d+)/.exec(output);
      if (listening) resolve(Number(listening[1]));
    });
    child.stderr!.on('data', chunk => {
      output += chunk;
    });
    child.on('exit', code =>
      reject(new Error(`backend process exited (${code}): ${output}`)),
    );
  });
  return { child, port };
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
