import { mockServices } from '@backstage/backend-test-utils';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { pluginConfig } from '../__testUtils__/config';
import {
  approvalNotice,
  decisionNotice,
  memberNotices,
  memberUserRef,
  noticeScope,
  pendingMembers,
  replicationNotice,
  TenantNotices,
} from './tenantNotices';
import { TenantRecord } from './TenantStore';

// What the tenant notices say, to whom, and when they say nothing (the de-duplication: one
// notification per tenant and state, and nothing for a run that changed nothing).

const tenant = (changes: Partial<TenantRecord> = {}): TenantRecord => ({
  id: '6f1c2a9e-0000-4000-8000-000000000001',
  workspace: 'group:default/team-a',
  siteRef: 'resource:default/site-a',
  project: 'app',
  landingZone: 'standard',
  members: [],
  quotas: {},
  status: 'requested',
  deletionApproved: false,
  requestedBy: 'user:default/alice',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...changes,
});

const report = (changes: {
  steps?: Array<{ summary: string; outcome: string }>;
  remarks?: string[];
  errors?: string[];
  status?: 'successful' | 'failed';
}) => ({
  runId: 'run',
  at: '2026-01-01T00:00:00.000Z',
  status: changes.status ?? 'successful',
  steps: changes.steps ?? [],
  remarks: changes.remarks ?? [],
  warnings: [],
  errors: changes.errors ?? [],
});

// The node library's wording (plugins/openstack-node/src/replication/plan.ts); the live test
// checks it against a real run.
const missing = (euid: string, role: string) =>
  `member ${euid} (${role}) has no account on the site yet; added once they have logged in`;

describe('replicationNotice', () => {
  it('tells the requester and the workspace when a tenant is first replicated', () => {
    const notice = replicationNotice(
      tenant({ status: 'requested' }),
      tenant({
        status: 'successful',
        projectId: 'p1',
        lastReplication: report({
          steps: [
            { summary: 'create project', outcome: 'done' },
            { summary: 'create group', outcome: 'done' },
          ],
          remarks: [missing('x@egi.eu', 'reader')],
        }),
      }),
    );
    expect(notice).toMatchObject({
      recipients: ['user:default/alice', 'group:default/team-a'],
      state: 'replicated',
      title: 'Tenant team-a/app on site-a is ready',
      severity: 'normal',
    });
    expect(notice?.description).toContain('project p1');
    expect(notice?.description).toContain('2 write(s)');
    expect(notice?.description).toContain('member x@egi.eu (reader)');
  });

  it('says nothing for a run that changed nothing', () => {
    const before = tenant({
      status: 'successful',
      lastReplication: report({}),
    });
    expect(
      replicationNotice(
        before,
        tenant({
          status: 'successful',
          lastReplication: report({
            steps: [{ summary: 'add x', outcome: 'skipped' }],
          }),
        }),
      ),
    ).toBeUndefined();
    expect(
      replicationNotice(before, tenant({ status: 'deletion-requested' })),
    ).toBeUndefined();
  });

  it('tells of changes written to a replicated tenant, in the same notification', () => {
    const notice = replicationNotice(
      tenant({ status: 'successful' }),
      tenant({
        status: 'successful',
        lastReplication: report({
          steps: [{ summary: 'add y', outcome: 'done' }],
        }),
      }),
    );
    expect(notice?.title).toBe('Tenant team-a/app on site-a updated');
    const first = replicationNotice(tenant(), tenant({ status: 'successful' }));
    expect(noticeScope(notice!)).toBe(noticeScope(first!));
  });

  it('tells of a failure once, with its errors, until the tenant recovers', () => {
    const failed = tenant({
      status: 'failed',
      lastReplication: report({
        status: 'failed',
        errors: ['create project: HTTP 409 conflict'],
      }),
    });
    const notice = replicationNotice(tenant({ status: 'in-progress' }), failed);
    expect(notice).toMatchObject({
      state: 'failed',
      severity: 'high',
      title: 'Replication of tenant team-a/app on site-a failed',
      description: 'create project: HTTP 409 conflict.',
    });
    // The daily run failing again says nothing; another error neither.
    expect(replicationNotice(failed, failed)).toBeUndefined();
    expect(
      replicationNotice(
        failed,
        tenant({
          status: 'failed',
          lastReplication: report({ status: 'failed', errors: ['other'] }),
        }),
      ),
    ).toBeUndefined();
    // Recovered: the ready notice; failing after that is told again.
    expect(
      replicationNotice(failed, tenant({ status: 'successful' }))?.state,
    ).toBe('replicated');
    expect(
      replicationNotice(tenant({ status: 'successful' }), failed)?.state,
    ).toBe('failed');
  });

  it("names the run's own error when the run failed before the tenants", () => {
    const notice = replicationNotice(
      tenant({ status: 'requested' }),
      tenant({ status: 'failed' }),
      'token: connect ECONNREFUSED 127.0.0.1:9',
    );
    expect(notice?.description).toBe(
      'token: connect ECONNREFUSED 127.0.0.1:9.',
    );
  });

  it('keeps a long error list readable', () => {
    const notice = replicationNotice(
      tenant(),
      tenant({
        status: 'failed',
        lastReplication: report({ errors: ['x'.repeat(5000)] }),
      }),
    );
    expect(notice!.description.length).toBe(1000);
  });

  it('tells of a deletion once', () => {
    const deleting = tenant({
      status: 'deletion-requested',
      deletionApproved: true,
    });
    expect(
      replicationNotice(deleting, tenant({ status: 'deleted' }))?.title,
    ).toBe('Tenant team-a/app on site-a deleted');
    expect(
      replicationNotice(
        tenant({ status: 'deleted' }),
        tenant({ status: 'deleted' }),
      ),
    ).toBeUndefined();
  });
});

describe('approval and decision notices', () => {
  it('tells the approvers, not the requester, what waits for them', () => {
    const notice = approvalNotice(
      tenant({ status: 'requires-approval' }),
      'request',
      {
        approvers: ['group:default/platform-team'],
        requester: 'user:default/alice',
      },
    );
    expect(notice).toMatchObject({
      recipients: ['group:default/platform-team'],
      exclude: 'user:default/alice',
      state: 'approval',
      title: 'Tenant team-a/app on site-a waits for approval',
    });
    const deletion = approvalNotice(tenant(), 'deletion', {
      approvers: ['group:default/platform-team'],
      requester: 'user:default/bob',
    });
    expect(deletion?.state).toBe('deletion-approval');
    expect(
      approvalNotice(tenant(), 'request', {
        approvers: [],
        requester: 'user:default/alice',
      }),
    ).toBeUndefined();
  });

  it('tells the requester and the workspace, not the approver, of a decision', () => {
    const approved = decisionNotice(tenant(), {
      kind: 'request',
      decision: 'approve',
      actor: 'user:default/dave',
      requester: 'user:default/alice',
      comment: 'ok for the pilot',
    });
    expect(approved).toMatchObject({
      recipients: ['user:default/alice', 'group:default/team-a'],
      exclude: 'user:default/dave',
      state: 'approved',
      title: 'Tenant team-a/app on site-a approved',
    });
    expect(approved.description).toBe(
      "Approved by user:default/dave: “ok for the pilot”. It is replicated into the site's Keystone next.",
    );
    const states = (['request', 'deletion'] as const).flatMap(kind =>
      (['approve', 'reject'] as const).map(
        decision =>
          decisionNotice(tenant(), {
            kind,
            decision,
            actor: 'user:default/dave',
          }).state,
      ),
    );
    // Each decision its own notification; the same decision again updates it.
    expect(new Set(states).size).toBe(4);
  });
});

describe('member notices', () => {
  const euid = '0a1b2c3d@egi.eu';

  it('reads the pending members from the remarks', () => {
    expect(
      pendingMembers([
        missing(euid, 'admin'),
        `member other@egi.eu (reader) matches 2 users (u1 in domain d1, u2 in domain d2); none is added until only one is left`,
        'something else',
      ]),
    ).toEqual([
      { euid, role: 'admin' },
      { euid: 'other@egi.eu', role: 'reader' },
    ]);
  });

  it('names members as the Check-in sign-in does', () => {
    expect(memberUserRef(euid, 'default')).toBe('user:default/0a1b2c3d');
    expect(memberUserRef('0A1B@egi.eu', 'egi')).toBe('user:egi/0a1b');
    expect(memberUserRef(`${'a'.repeat(64)}@egi.eu`, 'default')).toBe(
      `user:default/${'a'.repeat(63)}`,
    );
    expect(memberUserRef('@egi.eu', 'default')).toBeUndefined();
  });

  it('tells a pending member once their membership is added, and nobody else', () => {
    const before = tenant({
      status: 'successful',
      lastReplication: report({
        remarks: [missing(euid, 'admin'), missing('late@egi.eu', 'reader')],
      }),
    });
    const after = tenant({ status: 'successful' });
    const notices = memberNotices(
      before,
      after,
      [euid, 'always-there@egi.eu'],
      'default',
    );
    expect(notices).toEqual([
      expect.objectContaining({
        recipients: ['user:default/0a1b2c3d'],
        state: `member:${euid}`,
        title: 'You were added to tenant team-a/app on site-a',
      }),
    ]);
    // Not pending before: a first replication's members are the workspace's news, not theirs.
    expect(memberNotices(tenant(), after, [euid], 'default')).toEqual([]);
  });
});

describe('TenantNotices', () => {
  const sent: unknown[] = [];
  const notifications: NotificationService = {
    send: async notification => {
      sent.push(notification);
    },
  };
  beforeEach(() => sent.splice(0));

  it('sends with a scope, a topic and the tenant page as link', async () => {
    const notices = new TenantNotices({
      notifications,
      settings: pluginConfig({ notifications: { tenantsPath: '/tenants/' } })
        .notifications,
      platformOperators: ['group:default/platform-team'],
      logger: mockServices.logger.mock(),
    });
    expect(notices.approvers).toEqual(['group:default/platform-team']);
    await notices.send(
      approvalNotice(tenant(), 'request', {
        approvers: notices.approvers,
        requester: 'user:default/alice',
      }),
      undefined,
    );
    expect(sent).toEqual([
      {
        recipients: {
          type: 'entity',
          entityRef: ['group:default/platform-team'],
          excludeEntityRef: 'user:default/alice',
        },
        payload: expect.objectContaining({
          link: `/tenants/${tenant().id}`,
          topic: 'openstack-tenants',
          scope: `openstack-tenant:${tenant().id}:approval`,
        }),
      },
    ]);
  });

  it('prefers configured approvers, and sends nothing when disabled', async () => {
    const configured = new TenantNotices({
      notifications,
      settings: pluginConfig({
        notifications: { approvers: ['user:default/zoe'] },
      }).notifications,
      platformOperators: ['group:default/platform-team'],
      logger: mockServices.logger.mock(),
    });
    expect(configured.approvers).toEqual(['user:default/zoe']);
    const off = new TenantNotices({
      notifications,
      settings: pluginConfig({ notifications: { enabled: false } })
        .notifications,
      logger: mockServices.logger.mock(),
    });
    await off.send(replicationNotice(tenant(), tenant({ status: 'deleted' })));
    expect(sent).toEqual([]);
  });

  it('logs a failed send instead of failing the change', async () => {
    const logger = mockServices.logger.mock();
    const notices = new TenantNotices({
      notifications: {
        send: async () => {
          throw new Error('Failed to send notifications: status 404');
        },
      },
      settings: pluginConfig({}).notifications,
      logger,
    });
    await expect(
      notices.send(replicationNotice(tenant(), tenant({ status: 'deleted' }))),
    ).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not send the notification "Tenant team-a/app on site-a deleted": Failed to send notifications: status 404',
    );
  });

  it('refuses approvers that are not users or groups', () => {
    expect(() =>
      pluginConfig({ notifications: { approvers: ['platform-team'] } }),
    ).toThrow(/openstack\.notifications\.approvers\.0: must be user or group/);
    expect(() =>
      pluginConfig({
        notifications: { approvers: ['resource:default/site-a'] },
      }),
    ).toThrow(/approvers/);
  });
});
