import request from 'supertest';
import { mockServices } from '@backstage/backend-test-utils';
import {
  as,
  closedSiteConfig,
  closedSiteEntity,
  startOpenStackBackend,
} from '../__testUtils__/backend';

// A site whose Keystone is a closed port: its scan fails keystone.reachable (critical), so
// tenant-platform is not ready. The clock is jest's (Date only; timers stay real, so the
// backend's HTTP and database run as usual): a waiver's expiry is crossed by moving it.
jest.setTimeout(60_000);

const owner = 'user:default/owner';
const approver = 'user:default/approver';
const DAY = 24 * 3600_000;
const start = new Date('2026-12-07T12:00:00Z');

let server: Awaited<ReturnType<typeof startOpenStackBackend>>['server'];

// What the auditor was told: each event, and how it ended.
const audited: Array<{ eventId: string; meta: unknown; ended?: string }> = [];
const auditor = mockServices.auditor.mock({
  createEvent: async options => {
    const event: (typeof audited)[number] = {
      eventId: options.eventId,
      meta: options.meta,
    };
    audited.push(event);
    return {
      success: async () => {
        event.ended = 'success';
      },
      fail: async () => {
        event.ended = 'fail';
      },
    };
  },
});

beforeAll(async () => {
  jest.useFakeTimers({
    now: start,
    doNotFake: [
      'nextTick',
      'setImmediate',
      'clearImmediate',
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'queueMicrotask',
      'hrtime',
      'performance',
    ],
  });
  ({ server } = await startOpenStackBackend({
    sites: [closedSiteEntity()],
    openstack: { ...closedSiteConfig(), waivers: { maxDays: 30 } },
    features: [auditor.factory],
  }));
  const scan = await request(server)
    .post('/api/openstack/sites/default/site-a/scans')
    .set('Authorization', as(owner));
  if (scan.status !== 202) throw new Error(`scan: ${scan.status} ${scan.text}`);
  for (let i = 0; i < 100; i++) {
    const detail = await request(server)
      .get(`/api/openstack/scans/${scan.body.scanId}`)
      .set('Authorization', as(owner));
    if (detail.body.scan.status === 'completed') return;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error('the scan did not complete');
});

afterAll(() => jest.useRealTimers());

const tenantPlatform = async () => {
  const site = await request(server)
    .get('/api/openstack/sites/default/site-a')
    .set('Authorization', as(owner));
  return {
    profile: site.body.site.latestScan.profiles[0],
    reachable: site.body.results.find(
      (r: { checkId: string }) => r.checkId === 'keystone.reachable',
    ),
  };
};

const ask = (body: object, user = owner) =>
  request(server)
    .post('/api/openstack/sites/default/site-a/waivers')
    .set('Authorization', as(user))
    .send(body);

describe('waivers', () => {
  let waiverId: string;

  it('refuses a waiver without a reason, of an unknown check, or past the maximum, naming the field', async () => {
    const inTenDays = new Date(start.getTime() + 10 * DAY).toISOString();
    expect(
      (await ask({ checkId: 'keystone.reachable', expiresAt: inTenDays })).body
        .error.message,
    ).toMatch(/reason: is required/);
    expect(
      (
        await ask({
          checkId: 'keystone.nope',
          reason: 'A good reason here',
          expiresAt: inTenDays,
        })
      ).body.error.message,
    ).toMatch(/checkId: keystone\.nope is not a check/);
    const tooLate = await ask({
      checkId: 'keystone.reachable',
      reason: 'Keystone moves to a new host',
      expiresAt: new Date(start.getTime() + 31 * DAY).toISOString(),
    });
    expect(tooLate.status).toBe(400);
    expect(tooLate.body.error.message).toMatch(/at most 30 days ahead/);
    const past = await ask({
      checkId: 'keystone.reachable',
      reason: 'Keystone moves to a new host',
      expiresAt: '2026-12-01',
    });
    expect(past.body.error.message).toMatch(/must be in the future/);
  });

  it('counts nothing while pending, and lets only another user decide', async () => {
    const asked = await ask({
      checkId: 'keystone.reachable',
      reason: 'Keystone moves to a new host this week',
      expiresAt: new Date(start.getTime() + 10 * DAY).toISOString(),
    });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({
      status: 'pending',
      active: false,
      requestedBy: owner,
    });
    waiverId = asked.body.id;

    // One open waiver per check and site.
    const again = await ask({
      checkId: 'keystone.reachable',
      reason: 'Keystone moves to a new host this week',
      expiresAt: new Date(start.getTime() + 5 * DAY).toISOString(),
    });
    expect(again.status).toBe(409);

    expect((await tenantPlatform()).profile.blocking).toContain(
      'keystone.reachable',
    );

    const own = await request(server)
      .post(`/api/openstack/waivers/${waiverId}/decision`)
      .set('Authorization', as(owner))
      .send({ decision: 'approve' });
    expect(own.status).toBe(403);
    expect(own.body.error.message).toBe('You may not decide your own waiver');
  });

  it('once approved, shows the failure as waived, never blocking, and counts it as configured', async () => {
    const before = (await tenantPlatform()).profile;
    const approved = await request(server)
      .post(`/api/openstack/waivers/${waiverId}/decision`)
      .set('Authorization', as(approver))
      .send({ decision: 'approve' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      active: true,
      decidedBy: approver,
    });

    const { profile, reachable } = await tenantPlatform();
    expect(reachable).toMatchObject({
      status: 'fail',
      waiver: { id: waiverId, decidedBy: approver },
    });
    expect(profile.blocking).not.toContain('keystone.reachable');
    expect(profile.waived).toEqual(['keystone.reachable']);
    // Excluded (the default): left out of the score, which therefore rises or stays.
    expect(profile.counts).toEqual(before.counts);

    const fleet = await request(server)
      .get('/api/openstack/sites')
      .set('Authorization', as(owner));
    expect(fleet.body.items[0].latestScan.profiles[0].waived).toEqual([
      'keystone.reachable',
    ]);
    const listed = await request(server)
      .get('/api/openstack/waivers')
      .set('Authorization', as(owner));
    expect(listed.body).toMatchObject({
      items: [{ id: waiverId, active: true }],
      policy: { maxDays: 30, countsAs: 'excluded' },
    });
  });

  it('comes back by itself at expiry, and stays in the history', async () => {
    jest.setSystemTime(new Date(start.getTime() + 10 * DAY + 1000));
    const { profile, reachable } = await tenantPlatform();
    expect(reachable.waiver).toBeUndefined();
    expect(profile.blocking).toContain('keystone.reachable');
    expect(profile.waived).toBeUndefined();
    const open = await request(server)
      .get('/api/openstack/sites/default/site-a/waivers')
      .set('Authorization', as(owner));
    expect(open.body.items).toEqual([]);
    const all = await request(server)
      .get('/api/openstack/sites/default/site-a/waivers?state=all')
      .set('Authorization', as(owner));
    expect(all.body.items).toMatchObject([
      { id: waiverId, status: 'approved', active: false },
    ]);
  });

  it('can be ended early, and a rejection says why', async () => {
    jest.setSystemTime(new Date(start.getTime() + 11 * DAY));
    const asked = await ask({
      checkId: 'keystone.reachable',
      reason: 'Keystone moves to a new host again',
      expiresAt: new Date(start.getTime() + 20 * DAY).toISOString(),
    });
    const withoutWhy = await request(server)
      .post(`/api/openstack/waivers/${asked.body.id}/decision`)
      .set('Authorization', as(approver))
      .send({ decision: 'reject' });
    expect(withoutWhy.body.error.message).toMatch(/reason: say why/);
    const revoked = await request(server)
      .delete(`/api/openstack/waivers/${asked.body.id}`)
      .set('Authorization', as(owner));
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedBy: owner });
    const decidedLate = await request(server)
      .post(`/api/openstack/waivers/${asked.body.id}/decision`)
      .set('Authorization', as(approver))
      .send({ decision: 'approve' });
    expect(decidedLate.status).toBe(409);
  });

  it('audited every request, decision and revocation, refused ones too', () => {
    const summary = audited.map(e => `${e.eventId}:${e.ended}`);
    expect(summary).toEqual([
      // Four refused requests, one asked, one conflicting.
      ...Array(4).fill('waiver-request:fail'),
      'waiver-request:success',
      'waiver-request:fail',
      'waiver-decision:fail',
      'waiver-decision:success',
      'waiver-request:success',
      'waiver-decision:fail',
      'waiver-revoke:success',
      'waiver-decision:fail',
    ]);
    expect(audited.find(e => e.ended === 'success')?.meta).toEqual({
      site: 'resource:default/site-a',
    });
  });
});
