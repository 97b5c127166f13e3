import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Server } from 'node:http';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import request from 'supertest';
import { as, startOpenStackBackend } from '../__testUtils__/backend';
import {
  sandboxCredentialSet,
  sandboxLive,
  sandboxSiteEntity,
} from '../__testUtils__/sandbox';
import {
  groupEntity,
  noticesOf,
  notificationsOf,
} from '../tenants/__testUtils__/notifications';

// A regression on sandbox site-b, re-seeded with a defect between two scans, reaches the site's
// owners through the real notifications backend once: a third scan with the defect still there
// tells nothing more, and the recovery replaces the regression's notification. Re-seeds the
// shared site-b, so it runs with the other variants, one at a time (scripts/test.sh).
jest.setTimeout(240_000);

const { describeLive } = sandboxLive();
const SANDBOX = path.resolve(__dirname, '../../../../sandbox');
const platform = 'group:default/platform-team';
const owner = 'user:default/olivia';
const bystander = 'user:default/zoe';

function seedSiteB(defects: string) {
  const result = spawnSync(
    path.join(SANDBOX, 'seed'),
    ['--site', 'b', '--defects', defects],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0) {
    throw new Error(`sandbox/seed failed: ${result.stdout}${result.stderr}`);
  }
}

describeLive('site notices on sandbox site-b', () => {
  let server: Server;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    seedSiteB('none');
    const site = {
      ...sandboxSiteEntity('site-b', { profiles: 'tenant-platform' }),
      // The notifications backend tells a Resource's owners: the catalog's relation.
      relations: [{ type: 'ownedBy', targetRef: platform }],
    };
    const backend = await startOpenStackBackend({
      features: [notificationsPlugin, permissionsServiceFactory],
      sites: [site, groupEntity(platform, [owner])],
      ownership: user => [user, ...(user === owner ? [platform] : [])],
      config: {
        app: { baseUrl: 'http://localhost:3000' },
        permission: { enabled: false },
      },
      openstack: {
        credentialSets: {
          sandbox: sandboxCredentialSet('replicator', 'metering'),
        },
        network: { allow: ['127.0.0.0/8'] },
      },
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
    seedSiteB('all');
  });

  async function scan() {
    const started = await request(server)
      .post('/api/openstack/sites/default/site-b/scans')
      .set('Authorization', as(owner));
    expect(started.status).toBe(202);
    for (let i = 0; i < 600; i++) {
      const detail = await request(server)
        .get(`/api/openstack/scans/${started.body.scanId}`)
        .set('Authorization', as(owner));
      if (detail.body.scan.status !== 'running') return detail.body;
      await new Promise(resolve => setTimeout(resolve, 200));
    }
    throw new Error('the scan did not end');
  }

  const replicator = (detail: {
    results: Array<{ checkId: string; status: string }>;
  }) => detail.results.find(r => r.checkId === 'accounts.replicator')?.status;

  it('tells the owners of a regression once, and of the recovery in its place', async () => {
    expect(replicator(await scan())).toBe('pass');
    expect(await noticesOf(server, owner)).toEqual([]);

    seedSiteB('replicator-not-admin');
    expect(replicator(await scan())).toBe('fail');
    const regression = [
      'openstack-site:resource:default/site-b:check:accounts.replicator OpenStack site site-b: a check fails',
      'openstack-site:resource:default/site-b:readiness:tenant-platform OpenStack site site-b: lost readiness',
    ];
    expect(await noticesOf(server, owner)).toEqual(regression);
    expect(await noticesOf(server, bystander)).toEqual([]);

    // The defect is still there: nothing changed, nothing is told, not even as an update of
    // the same notification (which would mark it unread again).
    const told = await notificationsOf(server, owner);
    expect(replicator(await scan())).toBe('fail');
    expect(await notificationsOf(server, owner)).toEqual(told);

    seedSiteB('none');
    expect(replicator(await scan())).toBe('pass');
    expect(await noticesOf(server, owner)).toEqual([
      'openstack-site:resource:default/site-b:check:accounts.replicator OpenStack site site-b: a check passes again',
      'openstack-site:resource:default/site-b:readiness:tenant-platform OpenStack site site-b: is ready again',
    ]);
  });
});
