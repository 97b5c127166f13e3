import { TestDatabaseId } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { CheckResult, ProfileScore } from '@fedstack/plugin-openstack-common';
import { ScanStore } from './ScanStore';
import { storeTestDatabases } from '../__testUtils__/databases';

// The store on SQLite and on PostgreSQL (the sandbox's, when the test command runs).
const databases = storeTestDatabases();

function result(checkId: string, status: CheckResult['status']): CheckResult {
  return {
    checkId,
    status,
    title: checkId,
    area: 'identity',
    severity: 'critical',
    message: `${checkId} is ${status}`,
    remediation: 'fix it',
    docsUrl: 'https://docs.egi.eu/',
    startedAt: '2026-11-23T10:00:00.000Z',
    durationMs: 12,
    evidence: [
      {
        at: '2026-11-23T10:00:00.000Z',
        method: 'GET',
        url: 'http://127.0.0.1:5000/v3',
        status: 200,
        durationMs: 3,
        requestHeaders: { 'x-auth-token': '<redacted>' },
        responseHeaders: {},
        responseBody: '{"version": {}}',
      },
    ],
  };
}

async function storeFor(id: TestDatabaseId) {
  return new ScanStore(await databases.migrated(id));
}

describe.each(databases.ids)('ScanStore on %p', databaseId => {
  it('closes a scan left running from before heartbeats once its start is stale', async () => {
    const knex = await databases.migrated(databaseId);
    const directory = resolvePackagePath(
      '@fedstack/plugin-openstack-backend',
      'migrations',
    );
    // Back to just before the backfill (undoing the later migrations first), with a row as an
    // older backend wrote it.
    const backfill = '20261124100000_backfill_heartbeats.js';
    for (;;) {
      const [done] = await knex.migrate.list({ directory });
      const last = done[done.length - 1]?.name ?? done[done.length - 1]?.file;
      await knex.migrate.down({ directory });
      if (last === backfill) break;
    }
    await knex('openstack_scans').insert({
      id: 'old',
      site_ref: 'resource:default/old',
      status: 'running',
      trigger: 'schedule',
      started_at: new Date(Date.UTC(2026, 10, 20)),
      profiles: '[]',
      changes: '[]',
    });
    await knex.migrate.latest({ directory });
    const store = new ScanStore(knex);
    expect(
      await store.abandonRunningScans(new Date(Date.UTC(2026, 10, 19))),
    ).toBe(0);
    expect(
      await store.abandonRunningScans(new Date(Date.UTC(2026, 10, 21))),
    ).toBe(1);
  });

  it('stores each check’s result while its scan runs, and completes a dead backend’s scan once', async () => {
    const store = await storeFor(databaseId);
    const id = '00000000-0000-4000-8000-000000000011';
    const startedAt = new Date(Date.UTC(2026, 11, 6, 10));
    const plan = {
      checks: ['keystone.reachable', 'keystone.v3'],
      profiles: ['tenant-platform' as const],
      profileSettings: {},
    };
    await store.createScan({
      id,
      siteRef: 'resource:default/a',
      trigger: 'manual',
      startedAt,
      plan,
    });
    await store.saveResult(id, result('keystone.reachable', 'error'));
    // Stored again (a retried write): one row, the last result.
    await store.saveResult(id, result('keystone.reachable', 'pass'));
    await store.saveResult(id, result('keystone.v3', 'fail'));
    expect(
      (await store.getResults(id)).map(r => [r.checkId, r.status]).sort(),
    ).toEqual([
      ['keystone.reachable', 'pass'],
      ['keystone.v3', 'fail'],
    ]);
    expect((await store.getScan(id))?.status).toBe('running');

    // Its heartbeat (its start) is older than the first bound, not the second.
    expect(
      await store.staleRunningScans(new Date(Date.UTC(2026, 11, 6, 9))),
    ).toEqual([]);
    const staleBefore = new Date(Date.UTC(2026, 11, 6, 11));
    expect(await store.staleRunningScans(staleBefore)).toEqual([
      { id, siteRef: 'resource:default/a', startedAt, plan },
    ]);

    const outcome = {
      finishedAt: new Date(Date.UTC(2026, 11, 6, 10, 1)),
      durationMs: 60_000,
      tokensIssued: null,
      requests: null,
      profiles: [],
      changes: [],
      results: await store.getResults(id),
    };
    // Alive for the first bound: nothing written.
    expect(
      await store.completeScan(id, outcome, {
        ifStaleBefore: new Date(Date.UTC(2026, 11, 6, 9)),
      }),
    ).toBe(false);
    expect((await store.getScan(id))?.status).toBe('running');
    expect(
      await store.completeScan(id, outcome, { ifStaleBefore: staleBefore }),
    ).toBe(true);
    // A second backend finding the same dead scan completes it no more.
    expect(
      await store.completeScan(id, outcome, { ifStaleBefore: staleBefore }),
    ).toBe(false);
    expect(await store.getScan(id)).toMatchObject({
      status: 'completed',
      durationMs: 60_000,
      tokensIssued: null,
      requests: null,
      error: null,
    });
    expect((await store.getResults(id)).map(r => r.checkId).sort()).toEqual([
      'keystone.reachable',
      'keystone.v3',
    ]);
    expect(await store.staleRunningScans(staleBefore)).toEqual([]);
  });

  it('completes a scan writing only the results not stored as its checks ended', async () => {
    const store = await storeFor(databaseId);
    const id = '00000000-0000-4000-8000-000000000012';
    await store.createScan({
      id,
      siteRef: 'resource:default/b',
      trigger: 'schedule',
      startedAt: new Date(Date.UTC(2026, 11, 6, 10)),
    });
    const stored = result('keystone.reachable', 'pass');
    await store.saveResult(id, stored);
    // A row the completion does not report (not the scan's any more) goes.
    await store.saveResult(id, result('keystone.gone', 'fail'));
    const saved = await store.getResults(id);
    await store.completeScan(
      id,
      {
        finishedAt: new Date(Date.UTC(2026, 11, 6, 10, 1)),
        durationMs: 60_000,
        tokensIssued: 2,
        requests: 9,
        profiles: [],
        changes: [],
        // The stored one as the completion reports it, if it were written again.
        results: [
          { ...stored, message: 'written twice' },
          result('keystone.v3', 'warn'),
        ],
      },
      { storedChecks: new Set(['keystone.reachable']) },
    );
    const results = await store.getResults(id);
    expect(results.map(r => [r.checkId, r.status]).sort()).toEqual([
      ['keystone.reachable', 'pass'],
      ['keystone.v3', 'warn'],
    ]);
    // Not written again: the row stored as the check ended.
    expect(results.find(r => r.checkId === 'keystone.reachable')).toEqual(
      saved.find(r => r.checkId === 'keystone.reachable'),
    );
    expect(Object.fromEntries(await store.getStatuses(id))).toEqual({
      'keystone.reachable': 'pass',
      'keystone.v3': 'warn',
    });
  });

  it('keeps the results a scan stored when it is closed as abandoned', async () => {
    const store = await storeFor(databaseId);
    const id = '00000000-0000-4000-8000-000000000012';
    await store.createScan({
      id,
      siteRef: 'resource:default/a',
      trigger: 'schedule',
      startedAt: new Date(Date.UTC(2026, 11, 6, 10)),
    });
    await store.saveResult(id, result('keystone.reachable', 'pass'));
    // Started by a backend from before plans: no plan.
    expect(
      await store.staleRunningScans(new Date(Date.UTC(2026, 11, 6, 11))),
    ).toEqual([expect.not.objectContaining({ plan: expect.anything() })]);
    expect(
      await store.abandonRunningScans(new Date(Date.UTC(2026, 11, 6, 11))),
    ).toBe(1);
    expect(await store.getScan(id)).toMatchObject({ status: 'failed' });
    expect((await store.getResults(id)).map(r => r.checkId)).toEqual([
      'keystone.reachable',
    ]);
  });

  it('keeps scans with their results, and finds each site’s latest', async () => {
    const store = await storeFor(databaseId);
    const profiles = [
      {
        profileId: 'egi-fedcloud' as const,
        score: 50,
        readiness: 'not-ready' as const,
        ready: false,
        blocking: ['keystone.v3'],
        notEvaluated: [],
        counts: { pass: 1, warn: 0, fail: 1, error: 0, skip: 0 },
      },
    ];
    for (const [id, site, at] of [
      ['00000000-0000-4000-8000-000000000001', 'resource:default/a', 1],
      ['00000000-0000-4000-8000-000000000002', 'resource:default/a', 2],
      ['00000000-0000-4000-8000-000000000003', 'resource:default/b', 3],
    ] as const) {
      await store.createScan({
        id,
        siteRef: site,
        trigger: 'manual',
        startedAt: new Date(Date.UTC(2026, 10, 23, at)),
      });
      await store.completeScan(id, {
        finishedAt: new Date(Date.UTC(2026, 10, 23, at, 1)),
        durationMs: 250,
        tokensIssued: 3,
        requests: 18,
        profiles,
        changes: [{ checkId: 'keystone.v3', from: 'pass', to: 'fail' }],
        results: [
          result('keystone.reachable', 'pass'),
          result('keystone.v3', 'fail'),
        ],
      });
    }
    // A scan still running is nobody's latest.
    await store.createScan({
      id: '00000000-0000-4000-8000-000000000004',
      siteRef: 'resource:default/a',
      trigger: 'schedule',
      startedAt: new Date(Date.UTC(2026, 10, 23, 5)),
    });

    const latest = await store.latestCompletedScans();
    expect([...latest.keys()].sort()).toEqual([
      'resource:default/a',
      'resource:default/b',
    ]);
    const a = latest.get('resource:default/a')!;
    expect(a).toMatchObject({
      id: '00000000-0000-4000-8000-000000000002',
      status: 'completed',
      durationMs: 250,
      tokensIssued: 3,
      profiles,
      changes: [{ checkId: 'keystone.v3', from: 'pass', to: 'fail' }],
    });
    expect(a.startedAt).toBe('2026-11-23T02:00:00.000Z');

    const results = await store.getResults(a.id);
    expect(results.map(r => [r.checkId, r.status]).sort()).toEqual([
      ['keystone.reachable', 'pass'],
      ['keystone.v3', 'fail'],
    ]);
    expect(results[0].evidence[0].requestHeaders).toEqual({
      'x-auth-token': '<redacted>',
    });

    const history = await store.listScans('resource:default/a', 10);
    expect(history.map(s => s.status)).toEqual([
      'running',
      'completed',
      'completed',
    ]);

    expect(
      await store.abandonRunningScans(new Date(Date.UTC(2026, 10, 24))),
    ).toBe(1);
    expect(
      (await store.getScan('00000000-0000-4000-8000-000000000004'))?.status,
    ).toBe('failed');
  });

  it('reads a scan stored before "not evaluated" by the same rule, from its skipped results', async () => {
    const store = await storeFor(databaseId);
    const id = '00000000-0000-4000-8000-000000000009';
    await store.createScan({
      id,
      siteRef: 'resource:default/old',
      trigger: 'schedule',
      startedAt: new Date(Date.UTC(2026, 10, 22)),
    });
    // As an older backend stored it: "ready" with accounting.fresh (major) skipped.
    const legacy = [
      {
        profileId: 'egi-fedcloud',
        score: 100,
        ready: true,
        blocking: [],
        counts: { pass: 1, warn: 0, fail: 0, error: 0, skip: 2 },
      },
      {
        profileId: 'tenant-platform',
        score: 100,
        ready: true,
        blocking: [],
        counts: { pass: 1, warn: 0, fail: 0, error: 0, skip: 0 },
      },
    ] as unknown as ProfileScore[];
    const skipped = (
      checkId: string,
      severity: CheckResult['severity'],
    ): CheckResult => ({
      ...result(checkId, 'skip'),
      severity,
      message: `No source for ${checkId}`,
    });
    await store.completeScan(id, {
      finishedAt: new Date(Date.UTC(2026, 10, 22, 0, 1)),
      durationMs: 250,
      tokensIssued: 1,
      requests: 5,
      profiles: legacy,
      changes: [],
      results: [
        result('keystone.reachable', 'pass'),
        skipped('accounting.fresh', 'major'),
        skipped('registration.info', 'minor'),
      ],
    });

    const [egi, tenant] = (await store.getScan(id))!.profiles;
    expect(egi).toMatchObject({
      readiness: 'not-evaluated',
      ready: false,
      notEvaluated: [
        {
          checkId: 'accounting.fresh',
          severity: 'major',
          reason: 'No source for accounting.fresh',
          blocksReadiness: true,
        },
        {
          checkId: 'registration.info',
          severity: 'minor',
          reason: 'No source for registration.info',
          blocksReadiness: false,
        },
      ],
    });
    expect(tenant).toMatchObject({
      readiness: 'ready',
      ready: true,
      notEvaluated: [],
    });
    const latest = await store.latestCompletedScans();
    expect(latest.get('resource:default/old')!.profiles[0].readiness).toBe(
      'not-evaluated',
    );
    expect(
      (await store.listScans('resource:default/old', 1))[0].profiles[0].ready,
    ).toBe(false);
  });
});
