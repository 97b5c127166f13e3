import { TestDatabaseId } from '@backstage/backend-test-utils';
import { TenantRecord, TenantStore } from './TenantStore';
import { storeTestDatabases } from '../__testUtils__/databases';

// The store on SQLite and on PostgreSQL (the sandbox's, when the test command runs).
const databases = storeTestDatabases();

async function storeFor(id: TestDatabaseId) {
  return new TenantStore(await databases.migrated(id));
}

const tenant = (
  id: string,
  over: Partial<TenantRecord> = {},
): TenantRecord => ({
  id,
  workspace: 'group:default/team-a',
  siteRef: 'resource:default/site-a',
  project: 'app',
  landingZone: 'standard',
  members: [{ euid: 'a@egi.eu', role: 'admin' }],
  quotas: { compute: { cores: 4 } },
  status: 'requested',
  deletionApproved: false,
  requestedBy: 'user:default/alice',
  createdAt: '2026-11-23T10:00:00.000Z',
  updatedAt: '2026-11-23T10:00:00.000Z',
  ...over,
});

describe.each(databases.ids)('TenantStore on %p', databaseId => {
  it('keeps tenants with their events, and changes them only from the expected status', async () => {
    const store = await storeFor(databaseId);
    const at = '2026-11-23T10:00:00.000Z';
    await store.createTenant(tenant('t1'), {
      at,
      actor: 'user:default/alice',
      action: 'requested',
    });
    await store.createTenant(
      tenant('t2', {
        siteRef: 'resource:default/site-b',
        status: 'requires-approval',
      }),
      {
        at,
        actor: 'user:default/alice',
        action: 'requested',
      },
    );
    expect(
      (await store.listTenants({ siteRef: 'resource:default/site-a' })).map(
        t => t.id,
      ),
    ).toEqual(['t1']);
    expect(
      (await store.listTenants({ status: 'requires-approval' })).map(t => t.id),
    ).toEqual(['t2']);
    expect(await store.sitesWithTenants()).toEqual([
      'resource:default/site-a',
      'resource:default/site-b',
    ]);

    // Two approvers at once: only the first moves the tenant on.
    const first = await store.updateTenant(
      't2',
      { status: 'requested' },
      { at, actor: 'a', action: 'approved' },
      ['requires-approval'],
    );
    const second = await store.updateTenant(
      't2',
      { status: 'rejected' },
      { at, actor: 'b', action: 'rejected' },
      ['requires-approval'],
    );
    expect(first?.status).toBe('requested');
    expect(second).toBeUndefined();
    expect((await store.listEvents('t2')).map(e => e.action)).toEqual([
      'requested',
      'approved',
    ]);

    const replicated = await store.updateTenant('t1', {
      status: 'successful',
      projectId: 'p1',
      appliedQuotas: { compute: { cores: 4 } },
      lastReplication: { runId: 'r1', remarks: ['x'] },
    });
    expect(replicated).toMatchObject({
      status: 'successful',
      projectId: 'p1',
      appliedQuotas: { compute: { cores: 4 } },
      lastReplication: { runId: 'r1', remarks: ['x'] },
      members: [{ euid: 'a@egi.eu', role: 'admin' }],
    });
    expect(await store.meteringTargets()).toEqual([
      { siteRef: 'resource:default/site-a', projectId: 'p1' },
    ]);
    await store.updateTenant('t1', { status: 'deleted' });
    expect(await store.meteringTargets()).toEqual([]);
  });

  it("lists only the given workspaces' tenants, none for no workspace", async () => {
    const store = await storeFor(databaseId);
    const event = { at: '2026-11-23T10:00:00.000Z', actor: 'a', action: 'x' };
    await store.createTenant(tenant('w1'), event);
    await store.createTenant(
      tenant('w2', { workspace: 'group:default/team-b' }),
      event,
    );
    await store.createTenant(
      tenant('w3', { workspace: 'group:default/team-c' }),
      event,
    );
    const ids = async (workspaces: string[]) =>
      (await store.listTenants({ workspaces })).map(t => t.id).sort();
    expect(
      await ids(['group:default/team-a', 'group:default/team-c', 'user:x']),
    ).toEqual(['w1', 'w3']);
    expect(await ids([])).toEqual([]);
    expect(
      (
        await store.listTenants({
          workspace: 'group:default/team-b',
          workspaces: ['group:default/team-a'],
        })
      ).map(t => t.id),
    ).toEqual([]);
  });

  it('keeps replication runs and closes the ones a stopped instance left running', async () => {
    const store = await storeFor(databaseId);
    await store.createRun({
      id: 'r1',
      siteRef: 'resource:default/site-a',
      trigger: 'manual',
      dryRun: false,
      startedAt: new Date('2026-11-23T09:00:00Z'),
    });
    await store.createRun({
      id: 'r2',
      siteRef: 'resource:default/site-a',
      trigger: 'schedule',
      dryRun: true,
      startedAt: new Date('2026-11-23T10:00:00Z'),
    });
    await store.completeRun('r2', {
      status: 'planned',
      keystoneCalls: 8,
      steps: [{ summary: 'create project a', tenantId: 't1' }],
      tenants: [],
      finishedAt: new Date('2026-11-23T10:00:01Z'),
    });
    await store.abandonRunningRuns(new Date('2026-11-23T09:30:00Z'));
    const runs = await store.listRuns('resource:default/site-a');
    expect(runs.map(r => [r.id, r.status, r.dryRun])).toEqual([
      ['r2', 'planned', true],
      ['r1', 'failed', false],
    ]);
    expect(runs[0]).toMatchObject({
      keystoneCalls: 8,
      steps: [{ summary: 'create project a', tenantId: 't1' }],
    });
    expect(runs[1].error).toMatch(/abandoned/);
    expect(await store.getRun('nope')).toBeUndefined();
  });

  it("writes a replication's outcome only over the version it read, and counts each site's changes", async () => {
    const store = await storeFor(databaseId);
    const siteA = 'resource:default/site-a';
    const at = '2026-11-23T10:00:00.000Z';
    const event = { at, actor: 'user:default/alice', action: 'x' };
    expect(await store.siteChanges(siteA)).toBe(0);
    await store.createTenant(tenant('v1', { status: 'successful' }), event);
    await store.createTenant(
      tenant('v2', { siteRef: 'resource:default/site-b' }),
      event,
    );
    expect(await store.siteChanges(siteA)).toBe(1);

    // A run reads the tenant, a user asks for its deletion meanwhile: the run's outcome (read
    // as "successful") must not bring it back.
    const read = (await store.getTenant('v1'))!;
    expect(read.version).toBe(0);
    const deleted = await store.updateTenant(
      'v1',
      { status: 'deletion-requested' },
      event,
    );
    expect(deleted?.version).toBe(1);
    expect(await store.siteChanges(siteA)).toBe(2);
    expect(
      await store.recordReplication('v1', read.version!, {
        status: 'successful',
        projectId: 'p1',
      }),
    ).toBeUndefined();
    expect(await store.getTenant('v1')).toMatchObject({
      status: 'deletion-requested',
      version: 1,
    });
    expect(await store.getTenant('v1')).not.toHaveProperty('projectId', 'p1');

    // Over the version it read, it writes, bumps the version, and is no change to replicate.
    const recorded = await store.recordReplication(
      'v1',
      1,
      { projectId: 'p1' },
      { at, actor: 'replication', action: 'replicated' },
    );
    expect(recorded).toMatchObject({ projectId: 'p1', version: 2 });
    expect(await store.siteChanges(siteA)).toBe(2);
    expect((await store.listEvents('v1')).map(e => e.action)).toEqual([
      'x',
      'x',
      'replicated',
    ]);
    // A refused change counts nothing.
    expect(
      await store.updateTenant('v1', { status: 'rejected' }, event, [
        'requires-approval',
      ]),
    ).toBeUndefined();
    expect(await store.siteChanges(siteA)).toBe(2);
    expect(await store.siteChanges('resource:default/site-b')).toBe(1);

    // A completed run records the count it read; one that never completed has none.
    for (const id of ['c1', 'c2'])
      await store.createRun({
        id,
        siteRef: id === 'c1' ? siteA : 'resource:default/site-b',
        trigger: 'manual',
        dryRun: false,
        startedAt: new Date(at),
      });
    await store.completeRun('c1', {
      status: 'successful',
      keystoneCalls: 1,
      steps: [],
      tenants: [],
      finishedAt: new Date(at),
      seenChanges: 2,
    });
    expect(await store.seenChanges('c1')).toBe(2);
    expect(await store.seenChanges('c2')).toBeUndefined();
    expect(await store.seenChanges('nope')).toBeUndefined();
  });
});
