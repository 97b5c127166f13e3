import { randomUUID } from 'node:crypto';
import { TestDatabases } from '@backstage/backend-test-utils';
import { ProfileScore } from '@fedstack/plugin-openstack-common';
import request from 'supertest';
import {
  as,
  closedSiteConfig,
  closedSiteEntity,
  startOpenStackBackend,
} from '../__testUtils__/backend';
import { ScanStore } from './ScanStore';

// Three sites under two owners and two NGIs, each with scans stored 10 days ago and today: the
// rollup counts each group's readiness per profile now and as it stood 7 days ago.
jest.setTimeout(60_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const DAY = 24 * 3600_000;

const score = (readiness: ProfileScore['readiness']): ProfileScore => ({
  profileId: 'tenant-platform',
  readiness,
  ready: readiness === 'ready',
  score: readiness === 'ready' ? 100 : 50,
  blocking: readiness === 'not-ready' ? ['keystone.tls'] : [],
  notEvaluated: [],
  counts: { pass: 1, warn: 0, fail: 0, error: 0, skip: 0 },
});

function site(name: string, owner: string, ngi?: string) {
  const entity = closedSiteEntity(name);
  entity.spec = { ...entity.spec, owner };
  if (ngi) entity.metadata.annotations!['openstack.fedstack.io/ngi'] = ngi;
  return entity;
}

async function storeScan(
  store: ScanStore,
  siteRef: string,
  daysAgo: number,
  readiness: ProfileScore['readiness'],
) {
  const id = randomUUID();
  const startedAt = new Date(Date.now() - daysAgo * DAY);
  await store.createScan({ id, siteRef, trigger: 'schedule', startedAt });
  await store.completeScan(id, {
    finishedAt: new Date(startedAt.getTime() + 1000),
    durationMs: 1000,
    tokensIssued: 1,
    requests: 1,
    profiles: [score(readiness)],
    changes: [],
    results: [],
  });
}

it('groups the fleet by owner or NGI, with readiness now and some days ago', async () => {
  const knex = await databases.init('SQLITE_3');
  const { server } = await startOpenStackBackend({
    knex,
    sites: [
      site('site-a', 'group:default/ngi-es', 'NGI_IBERGRID'),
      site('site-b', 'ngi-es', 'NGI_IBERGRID'),
      site('site-c', 'group:default/ngi-ie'),
    ],
    openstack: closedSiteConfig(),
  });
  const store = new ScanStore(knex);
  await storeScan(store, 'resource:default/site-a', 10, 'not-ready');
  await storeScan(store, 'resource:default/site-a', 0, 'ready');
  await storeScan(store, 'resource:default/site-b', 10, 'ready');
  await storeScan(store, 'resource:default/site-b', 0, 'not-evaluated');
  // site-c was first scanned this week.
  await storeScan(store, 'resource:default/site-c', 1, 'not-ready');

  const byOwner = await request(server)
    .get('/api/openstack/rollups?by=owner&days=7')
    .set('Authorization', as('user:default/guest'));
  expect(byOwner.status).toBe(200);
  const counts = (n: number[]) => ({
    ready: n[0],
    notReady: n[1],
    notEvaluated: n[2],
    notScanned: n[3],
  });
  expect(byOwner.body.groups).toEqual([
    {
      key: 'group:default/ngi-es',
      sites: 2,
      profiles: {
        'tenant-platform': {
          now: counts([1, 0, 1, 0]),
          before: counts([1, 1, 0, 0]),
        },
      },
    },
    {
      key: 'group:default/ngi-ie',
      sites: 1,
      profiles: {
        'tenant-platform': {
          now: counts([0, 1, 0, 0]),
          before: counts([0, 0, 0, 1]),
        },
      },
    },
  ]);

  const byNgi = await request(server)
    .get('/api/openstack/rollups?by=ngi')
    .set('Authorization', as('user:default/guest'));
  expect(
    byNgi.body.groups.map((g: { key: string; sites: number }) => [
      g.key,
      g.sites,
    ]),
  ).toEqual([
    ['NGI_IBERGRID', 2],
    // No NGI named: last, with an empty key.
    ['', 1],
  ]);

  const bad = await request(server)
    .get('/api/openstack/rollups?by=country')
    .set('Authorization', as('user:default/guest'));
  expect(bad.status).toBe(400);
  expect(bad.body.error.message).toMatch(/by:/);
});
