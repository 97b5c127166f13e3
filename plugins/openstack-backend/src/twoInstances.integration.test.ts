import { randomBytes } from 'node:crypto';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import knexFactory from 'knex';
import { openstackPlugin } from './plugin';

// Two real backend instances on one PostgreSQL (the sandbox's), each with the real scheduler:
// the fleet scan is scheduled by both and must run once. Needs the sandbox's PostgreSQL and
// Keystone; skipped without them unless the test command requires them.
const env = process.env;
const required = env.FEDSTACK_SANDBOX_REQUIRED === '1';
const live = required || !!env.FEDSTACK_SANDBOX_DB_PASSWORD;
const describeLive = live ? describe : describe.skip;
jest.setTimeout(120_000);

const site: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'site-a',
    namespace: 'default',
    annotations: {
      'openstack.fedstack.io/keystone-url': 'http://127.0.0.1:5000/v3',
      'openstack.fedstack.io/region': 'RegionOne',
      'openstack.fedstack.io/profiles': 'tenant-platform',
      'openstack.fedstack.io/credentials': 'sandbox',
    },
  },
  spec: { type: 'openstack-site', owner: 'group:default/platform-team' },
};

describeLive(
  `two backend instances on one PostgreSQL${live ? '' : ' (SKIPPED)'}`,
  () => {
    const prefix = `fedstack_two_${randomBytes(4).toString('hex')}_`;
    const connection = {
      host: '127.0.0.1',
      port: 5433,
      user: 'postgres',
      password: env.FEDSTACK_SANDBOX_DB_PASSWORD,
    };

    afterAll(async () => {
      const admin = knexFactory({
        client: 'pg',
        connection: { ...connection, database: 'postgres' },
      });
      const { rows } = await admin.raw(
        'SELECT datname FROM pg_database WHERE datname LIKE ?',
        [`${prefix}%`],
      );
      for (const { datname } of rows) {
        await admin.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
      await admin.destroy();
    });

    const start = () =>
      startTestBackend({
        features: [
          openstackPlugin,
          databaseServiceFactory,
          schedulerServiceFactory,
          catalogServiceMock.factory({ entities: [site] }),
          mockServices.rootConfig.factory({
            data: {
              backend: {
                baseUrl: 'http://localhost:7007',
                database: { client: 'pg', connection, prefix },
              },
              openstack: {
                credentialSets: {
                  sandbox: {
                    reader: {
                      type: 'password',
                      username: 'admin',
                      password: env.FEDSTACK_SANDBOX_ADMIN_PASSWORD,
                      project: 'admin',
                    },
                  },
                },
                scans: {
                  schedule: {
                    frequency: { minutes: 30 },
                    timeout: { minutes: 2 },
                  },
                },
              },
            },
          }),
        ],
      });

    it('runs each scheduled fleet scan once', async () => {
      // One after the other, as in a rolling start: creating the scheduler's tables at the same
      // instant on an empty database races in knex's migrations.
      const one = await start();
      const two = await start();
      const db = knexFactory({
        client: 'pg',
        connection: { ...connection, database: `${prefix}openstack` },
      });
      try {
        // Both instances have scheduled the task; wait for the scan to land, then a while more
        // for a second one that must not come.
        const deadline = Date.now() + 60_000;
        let scans: Array<{ status: string }> = [];
        while (Date.now() < deadline) {
          scans = await db('openstack_scans').select('status');
          if (scans.some(s => s.status === 'completed')) break;
          await new Promise(resolve => setTimeout(resolve, 500));
        }
        await new Promise(resolve => setTimeout(resolve, 5_000));
        scans = await db('openstack_scans').select('status', 'trigger');
        expect(scans).toEqual([{ status: 'completed', trigger: 'schedule' }]);
      } finally {
        await db.destroy();
        await one.stop();
        await two.stop();
      }
    });
  },
);
