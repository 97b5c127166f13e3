import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Server } from 'node:http';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { openstackPlugin } from '../plugin';
import {
  CuttableProxy,
  startCuttableProxy,
} from '@fedstack/plugin-openstack-node/testUtils';
import {
  alsoFor,
  freeLoopbackPort,
  SANDBOX_SITES,
  sandboxCredentialSet,
  sandboxLive,
  sandboxSiteEntity,
  siteEntity,
  waitFor,
} from '../__testUtils__/sandbox';

// PostgreSQL restarts, or stays down for longer than the scan, while a scan of the live site-a
// runs. The backend must not crash, the scan must end as completed or failed (never stay
// `running`, never vanish; a result that waited for the database is stored once it is back),
// the history from before must still be there, and the next scan must land. The PostgreSQL is a
// private one this file starts (never the sandbox's shared one), run as the `fedstack` user.
const BIN = '/usr/lib/postgresql/15/bin';
const required = process.env.FEDSTACK_SANDBOX_REQUIRED === '1';
const canRun =
  process.getuid?.() === 0 &&
  fs.existsSync(`${BIN}/initdb`) &&
  fs.existsSync(`${BIN}/pg_ctl`);
const { live } = sandboxLive();
const runs = (live && canRun) || required;
jest.setTimeout(180_000);

const asFedstack = (command: string, args: string[]) =>
  execFileSync(
    'runuser',
    ['-u', 'fedstack', '--', `${BIN}/${command}`, ...args],
    {
      stdio: 'pipe',
      timeout: 60_000,
    },
  );

(runs ? describe : describe.skip)(
  `a scan while PostgreSQL restarts${
    runs ? '' : ' (SKIPPED: needs root, the postgres binaries and the sandbox)'
  }`,
  () => {
    let dir: string;
    let port: number;
    let server: Server;
    let stop: () => Promise<void>;
    // site-a again, as `site-a-held`, behind a proxy that can hold its Keystone's answers.
    let proxy: CuttableProxy;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    const pgCtl = (...args: string[]) =>
      asFedstack('pg_ctl', [
        '-D',
        `${dir}/data`,
        '-l',
        `${dir}/log`,
        '-w',
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
        ...args,
      ]);

    beforeAll(async () => {
      process.on('unhandledRejection', onUnhandled);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedstack-pg-'));
      fs.chmodSync(dir, 0o700);
      execFileSync('chown', ['fedstack:', dir]);
      port = await freeLoopbackPort();
      asFedstack('initdb', [
        '-D',
        `${dir}/data`,
        '-U',
        'postgres',
        '--auth=trust',
        '--no-sync',
      ]);
      pgCtl('start');
      const keystone = new URL(SANDBOX_SITES['site-a'].keystoneUrl);
      proxy = await startCuttableProxy(
        Number(keystone.port),
        keystone.hostname,
      );
      const backend = await startTestBackend({
        features: [
          openstackPlugin,
          databaseServiceFactory,
          catalogServiceMock.factory({
            entities: [
              sandboxSiteEntity('site-a', {
                profiles: 'egi-fedcloud,tenant-platform',
              }),
              siteEntity({
                name: 'site-a-held',
                keystoneUrl: `http://127.0.0.1:${proxy.port}/v3`,
                region: SANDBOX_SITES['site-a'].region,
                profiles: 'egi-fedcloud,tenant-platform',
                credentials: 'sandbox',
              }),
            ],
          }),
          mockServices.rootConfig.factory({
            data: {
              backend: {
                baseUrl: 'http://localhost:7007',
                database: {
                  client: 'pg',
                  connection: {
                    host: '127.0.0.1',
                    port,
                    user: 'postgres',
                    password: 'unused',
                  },
                },
              },
              openstack: {
                credentialSets: {
                  sandbox: alsoFor(
                    sandboxCredentialSet('replicator', 'metering'),
                    `http://127.0.0.1:${proxy.port}/v3`,
                  ),
                },
                scans: {
                  schedule: {
                    frequency: { hours: 24 },
                    timeout: { minutes: 2 },
                    initialDelay: { hours: 1 },
                  },
                },
              },
            },
          }),
          mockServices.rootLogger.factory({ level: 'error' }),
        ],
      });
      server = backend.server;
      stop = () => backend.stop();
    });

    afterAll(async () => {
      process.off('unhandledRejection', onUnhandled);
      await stop?.();
      proxy?.close();
      if (dir) {
        try {
          pgCtl('stop', '-m', 'immediate');
        } catch {
          // Already stopped.
        }
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    const scanOnce = async (site = 'site-a') => {
      const triggered = await request(server)
        .post(`/api/openstack/sites/default/${site}/scans`)
        .send({});
      expect(triggered.status).toBe(202);
      return triggered.body.scanId as string;
    };
    const finished = (scanId: string) =>
      waitFor(async () => {
        const answer = await request(server).get(
          `/api/openstack/scans/${scanId}`,
        );
        if (answer.status !== 200) return undefined;
        const status = answer.body.scan?.status ?? answer.body.status;
        return status === 'running' ? undefined : answer.body;
      }, `scan ${scanId} to end`);
    const statusOf = (body: any) => body.scan?.status ?? body.status;

    it('ends the scan as completed or failed, keeps the history, and lands the next', async () => {
      const first = await scanOnce();
      expect(statusOf(await finished(first))).toBe('completed');

      const during = await scanOnce();
      // The scan is recorded and still running: restart now, while it asks the site.
      const seen = await waitFor(async () => {
        const answer = await request(server).get(
          `/api/openstack/scans/${during}`,
        );
        return answer.status === 200 ? answer.body : undefined;
      }, `scan ${during} to be recorded`);
      expect(statusOf(seen)).toBe('running');
      pgCtl('restart', '-m', 'fast');
      const ended = await finished(during);
      expect(['completed', 'failed']).toContain(statusOf(ended));

      const history = await request(server).get(
        '/api/openstack/sites/default/site-a/scans',
      );
      expect(history.status).toBe(200);
      const ids = JSON.stringify(history.body);
      expect(ids).toContain(first);
      expect(ids).toContain(during);

      const next = await scanOnce();
      expect(statusOf(await finished(next))).toBe('completed');
      expect(unhandled).toEqual([]);
    });

    it('keeps a scan that ends while PostgreSQL is down and stores it once it is back', async () => {
      const before = await scanOnce('site-a-held');
      expect(statusOf(await finished(before))).toBe('completed');

      // The scan waits on its Keystone while PostgreSQL goes down, then ends during the outage.
      proxy.hold();
      const during = await scanOnce('site-a-held');
      expect(
        statusOf(
          await waitFor(async () => {
            const answer = await request(server).get(
              `/api/openstack/scans/${during}`,
            );
            return answer.status === 200 ? answer.body : undefined;
          }, `scan ${during} to be recorded`),
        ),
      ).toBe('running');
      const downAt = Date.now();
      pgCtl('stop', '-m', 'fast');
      proxy.release();
      // Longer than the scan takes (~1 s): it ends while nothing can store it.
      await new Promise(resolve => setTimeout(resolve, 8000));
      const upAt = Date.now();
      pgCtl('start');

      const ended = await finished(during);
      expect(statusOf(ended)).toBe('completed');
      // It finished during the outage, so it was stored after PostgreSQL came back.
      const finishedAt = Date.parse(ended.scan.finishedAt);
      expect(finishedAt).toBeGreaterThan(downAt);
      expect(finishedAt).toBeLessThan(upAt);
      expect(
        (ended.results as Array<{ checkId: string }>).map(r => r.checkId),
      ).toContain('keystone.reachable');

      const history = await request(server).get(
        '/api/openstack/sites/default/site-a-held/scans',
      );
      const ids = JSON.stringify(history.body);
      expect(ids).toContain(before);
      expect(ids).toContain(during);
      expect(unhandled).toEqual([]);
    });
  },
);
