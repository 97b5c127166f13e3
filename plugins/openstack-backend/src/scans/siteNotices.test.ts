import { NotificationService } from '@backstage/plugin-notifications-node';
import { ProfileScore } from '@fedstack/plugin-openstack-common';
import { storeTestDatabases } from '../__testUtils__/databases';
import { WaiverStore } from '../waivers/WaiverStore';
import { sendDailySiteNotices } from './dailySiteNotices';
import {
  checkEvents,
  failingEvents,
  readinessEvents,
  SiteNotices,
} from './siteNotices';

const score = (
  profileId: string,
  ready: boolean,
  blocking: string[] = [],
): ProfileScore => ({
  profileId,
  readiness: ready ? 'ready' : 'not-ready',
  ready,
  blocking,
  notEvaluated: [],
  score: ready ? 100 : 50,
  counts: { pass: 1, warn: 0, fail: ready ? 0 : 1, error: 0, skip: 0 },
});

describe('site events', () => {
  it('finds regressions (passed or warned, now fails or cannot run) and recoveries', () => {
    expect(
      checkEvents([
        { checkId: 'keystone.tls', from: 'pass', to: 'fail' },
        { checkId: 'keystone.v3', from: 'warn', to: 'error' },
        { checkId: 'vo.ops', from: 'fail', to: 'pass' },
        // Neither: a first result, a warning, a skip.
        { checkId: 'vo.community', from: null, to: 'fail' },
        { checkId: 'services.ports', from: 'pass', to: 'warn' },
        { checkId: 'registration.info', from: 'fail', to: 'skip' },
      ]).map(e => `${e.kind} ${e.subject}: ${e.text}`),
    ).toEqual([
      'regression keystone.tls: keystone.tls passed and now fails',
      'regression keystone.v3: keystone.v3 warned and now cannot run',
      'recovery vo.ops: vo.ops passes again',
    ]);
  });

  it('finds readiness lost and regained, and nothing on a first scan', () => {
    expect(
      readinessEvents(
        [score('egi-fedcloud', true), score('tenant-platform', false)],
        [
          score('egi-fedcloud', false, ['keystone.v3']),
          score('tenant-platform', true),
        ],
      ).map(e => `${e.kind} ${e.text}`),
    ).toEqual([
      'readiness-lost no longer ready for egi-fedcloud (blocking: keystone.v3)',
      'readiness-regained ready again for tenant-platform',
    ]);
    expect(readinessEvents(undefined, [score('egi-fedcloud', false)])).toEqual(
      [],
    );
  });

  it('tells failing scans once, at the Nth in a row', () => {
    const failed = { status: 'failed' as const, profiles: [] };
    const unreachable = {
      status: 'completed' as const,
      profiles: [score('egi-fedcloud', false, ['keystone.reachable'])],
    };
    const fine = { status: 'completed' as const, profiles: [score('x', true)] };
    expect(failingEvents([failed, unreachable, fine], 3)).toEqual([]);
    expect(failingEvents([failed, unreachable, failed, fine], 3)).toHaveLength(
      1,
    );
    // The fourth in a row says nothing more.
    expect(failingEvents([failed, failed, failed, failed], 3)).toEqual([]);
    expect(failingEvents([failed, failed, failed], 3)).toHaveLength(1);
  });
});

const sent: Array<{ recipients: unknown; payload: Record<string, unknown> }> =
  [];
const notifications = {
  send: async (n: (typeof sent)[number]) => {
    sent.push(n);
  },
} as unknown as NotificationService;

const databases = storeTestDatabases();

describe.each(databases.ids)('site notices on %s', id => {
  beforeEach(() => {
    sent.length = 0;
  });

  it('sends each event at once, scoped so the latest news of a check replaces the earlier', async () => {
    const db = await databases.migrated(id);
    const notices = new SiteNotices({ notifications, db, digest: 'none' });
    await notices.tell('resource:default/site-b', [
      {
        kind: 'regression',
        subject: 'keystone.tls',
        text: 'keystone.tls passed and now fails',
      },
    ]);
    expect(sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: 'resource:default/site-b' },
        payload: expect.objectContaining({
          title: 'OpenStack site site-b: a check fails',
          description: 'site-b: keystone.tls passed and now fails.',
          link: '/catalog/default/resource/site-b/openstack',
          severity: 'high',
          scope: 'openstack-site:resource:default/site-b:check:keystone.tls',
        }),
      },
    ]);
  });

  it('keeps events for a daily digest: one notification per site, then forgets them', async () => {
    const db = await databases.migrated(id);
    const notices = new SiteNotices({
      notifications,
      db,
      digest: 'daily',
      now: () => new Date('2026-12-07T10:00:00Z'),
    });
    await notices.tell('resource:default/site-a', [
      { kind: 'recovery', subject: 'vo.ops', text: 'vo.ops passes again' },
      {
        kind: 'readiness-regained',
        subject: 'egi-fedcloud',
        text: 'ready again for egi-fedcloud',
      },
    ]);
    await notices.tell('resource:default/site-b', [
      {
        kind: 'scans-failing',
        subject: 'scans',
        text: 'its last 3 scans failed or reached no Keystone',
      },
    ]);
    expect(sent).toEqual([]);
    expect(await notices.sendDigests()).toBe(2);
    expect(
      sent.map(n => [
        n.payload.title,
        n.payload.description,
        n.payload.severity,
        n.payload.scope,
      ]),
    ).toEqual([
      [
        'OpenStack site site-a: 2 changes since the last digest',
        'vo.ops passes again. ready again for egi-fedcloud.',
        'normal',
        'openstack-site:resource:default/site-a:digest:2026-12-07',
      ],
      [
        'OpenStack site site-b: 1 change since the last digest',
        'its last 3 scans failed or reached no Keystone.',
        'high',
        'openstack-site:resource:default/site-b:digest:2026-12-07',
      ],
    ]);
    expect(await notices.sendDigests()).toBe(0);
  });

  it('tells the owners of a waiver ending within the days given, once', async () => {
    const db = await databases.migrated(id);
    const waivers = new WaiverStore(db);
    const now = new Date('2026-12-07T10:00:00Z');
    const day = 24 * 3600_000;
    for (const [checkId, days] of [
      ['keystone.tls', 5],
      ['keystone.v3', 20],
    ] as const) {
      const waiver = await waivers.create(
        {
          siteRef: 'resource:default/site-a',
          checkId,
          reason: 'A new certificate is on its way',
          requestedBy: 'user:default/olivia',
          expiresAt: new Date(now.getTime() + days * day),
        },
        now,
      );
      await waivers.decide(
        waiver.id,
        'approved',
        'user:default/ann',
        undefined,
        now,
      );
    }
    const notices = new SiteNotices({ notifications, db, digest: 'none' });
    const daily = () =>
      sendDailySiteNotices({ notices, waivers, days: 7, now: () => now });
    await daily();
    await daily();
    expect(sent.map(n => n.payload.description)).toEqual([
      'site-a: the waiver of keystone.tls ends on 2026-12-12 (A new certificate is on its way); after that its failure counts again.',
    ]);
  });
});
