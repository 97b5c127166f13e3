import { randomBytes } from 'node:crypto';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import knexFactory from 'knex';
import { openstackPlugin } from '../plugin';

// Two real backend instances on one PostgreSQL (the sandbox's), each with the real scheduler:
// the metering job is scheduled by both and must run once (scheduler scope `global`). Needs the
// sandbox's PostgreSQL and Keystone; skipped without them unless the test command requires them.
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
    const prefix = `fedstack_meter_${randomBytes(4).toString('hex')}_`;
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
                    metering: {
                      type: 'password',
                      username: 'metering',
                      password: env.FEDSTACK_SANDBOX_METERING_PASSWORD,
                    },
                  },
                },
                // Scans wait; metering fires at once, on every project it may read.
                scans: {
                  schedule: {
                    frequency: { hours: 24 },
                    timeout: { minutes: 2 },
                    initialDelay: { hours: 1 },
                  },
                },
                metering: {
                  schedule: {
                    frequency: { minutes: 30 },
                    timeout: { minutes: 2 },
                  },
                  projects: 'visible',
                },
              },
            },
          }),
        ],
      });

    it('samples each project once per scheduled run', async () => {
      const one = await start();
      const two = await start();
      const db = knexFactory({
        client: 'pg',
        connection: { ...connection, database: `${prefix}openstack` },
      });
      try {
        // Both instances have scheduled the job; wait for its samples, then a while more for a
        // second run that must not come.
        const deadline = Date.now() + 60_000;
        let rows: Array<{ project_id: string }> = [];
        while (Date.now() < deadline) {
          rows = await db('openstack_metering_samples').select('project_id');
          if (rows.length >= 4) break;
          await new Promise(resolve => setTimeout(resolve, 500));
        }
        await new Promise(resolve => setTimeout(resolve, 5_000));
        rows = await db('openstack_metering_samples').select('project_id');
        const perProject = new Map<string, number>();
        for (const { project_id } of rows) {
          perProject.set(project_id, (perProject.get(project_id) ?? 0) + 1);
        }
        // site-a's metering account reads admin, service, ops and vo.access.egi.eu.
        expect(perProject.size).toBeGreaterThanOrEqual(4);
        expect(new Set(perProject.values())).toEqual(new Set([1]));
      } finally {
        await db.destroy();
        await one.stop();
        await two.stop();
      }
    });
  },
);
