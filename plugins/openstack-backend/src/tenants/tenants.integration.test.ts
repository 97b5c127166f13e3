import { randomBytes } from 'node:crypto';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  openstackTenantApprovePermission,
  TenantDetail,
} from '@fedstack/plugin-openstack-common';
import request from 'supertest';
import {
  sandboxCredentialSet,
  sandboxLive,
  sandboxSiteEntity,
} from '../__testUtils__/sandbox';
import {
  must,
  removeWorkspaceFromKeystone,
} from '@fedstack/plugin-openstack-node/testUtils';
import { sandboxAdmin } from '../__testUtils__/keystone';
import {
  as,
  OpenStackTestBackend,
  startOpenStackBackend,
} from '../__testUtils__/backend';

// Tenants through the real backend plugin into the live sandbox's Keystone: request, approval,
// replication (on change and on demand), dry run, deletion. Skipped without the sandbox unless
// the test command requires it.
const { describeLive } = sandboxLive();
jest.setTimeout(120_000);

const run = randomBytes(3).toString('hex');
const team = `team-${run}`;
const workspace = `group:default/${team}`;
const euid = (n: number) =>
  `${Buffer.from(`${run}-${n}`)
    .toString('hex')
    .padEnd(32, '0')
    .slice(0, 32)}@egi.eu`;

const alice = 'user:default/alice';
const bob = 'user:default/bob';
const carol = 'user:default/carol';
// An approver outside the workspace: nobody approves their own request.
const dave = 'user:default/dave';
const membership: Record<string, string[]> = {
  [alice]: [alice, workspace],
  [bob]: [bob, 'group:default/someone-else'],
  [carol]: [carol],
  [dave]: [dave, 'group:default/platform-team'],
};

const siteA = sandboxSiteEntity('site-a', { profiles: 'tenant-platform' });

function startBackend() {
  return startOpenStackBackend({
    features: [
      // Carol may not approve; everyone else may do everything.
      mockServices.permissions.mock({
        authorize: async (requests, options) =>
          requests.map(r => ({
            result:
              r.permission.name === openstackTenantApprovePermission.name &&
              (options.credentials.principal as { userEntityRef?: string })
                .userEntityRef === carol
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      }).factory,
    ],
    sites: [siteA],
    ownership: user => membership[user] ?? [user],
    openstack: {
      credentialSets: {
        sandbox: sandboxCredentialSet('replicator', 'metering'),
      },
      replication: {
        landingZones: [
          {
            id: 'quick',
            title: 'Quick',
            tags: ['fedstack'],
            quotas: { compute: { cores: 4 }, network: { router: 1 } },
            maxQuotas: { compute: { cores: 32 } },
            autoApproveUpTo: { compute: { cores: 8 } },
          },
          {
            id: 'manual',
            title: 'Manual, own domain',
            domain: 'per-workspace',
            domainNamePattern: '{workspace}-domain',
            roles: { admin: 'member' },
            deleteProjects: true,
          },
        ],
      },
    },
    logLevel: 'warn',
  });
}

const admin = sandboxAdmin();

describeLive('tenants through the backend', () => {
  let backend: OpenStackTestBackend;
  const users: string[] = [];

  beforeAll(async () => {
    const idp = await must(admin.identity.identityProvider('egi.eu'));
    for (const n of [1, 2]) {
      const user = await must(
        admin.identity.createUser({
          name: euid(n),
          domain_id: String(idp.domain_id),
        }),
      );
      users.push(user.id);
    }
    backend = await startBackend();
  });

  afterAll(async () => {
    await backend?.stop();
    await removeWorkspaceFromKeystone(admin, team);
    for (const id of users) await admin.identity.deleteUser(id);
    admin.close();
  });

  const api = () => request(backend.server);
  const replicateSiteA = async (dryRun = false) => {
    const res = await api()
      .post('/api/openstack/sites/default/site-a/replications')
      .set('Authorization', as(alice))
      .send({ dryRun });
    expect(res.status).toBe(200);
    return res.body;
  };
  const tenant = async (id: string): Promise<TenantDetail> =>
    (
      await api()
        .get(`/api/openstack/tenants/${id}`)
        .set('Authorization', as(alice))
    ).body;

  let quickId: string;

  it('refuses bad requests with what was wrong, and non-members with 403', async () => {
    const good = {
      workspace,
      site: 'resource:default/site-a',
      project: 'app',
      landingZone: 'quick',
      members: [{ euid: euid(1), role: 'admin' }],
    };
    const bad = await api()
      .post('/api/openstack/tenants')
      .set('Authorization', as(alice))
      .send({
        ...good,
        project: 'Not OK',
        members: [{ euid: 'x y', role: 'admin' }],
      });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/project: lower-case letters/);
    expect(bad.body.error.message).toMatch(/members\.0\.euid/);

    const role = await api()
      .post('/api/openstack/tenants')
      .set('Authorization', as(alice))
      .send({ ...good, members: [{ euid: euid(1), role: 'owner' }] });
    expect(role.status).toBe(400);
    expect(role.body.error.message).toMatch(
      /members\.0\.role: owner is not a role/,
    );

    const tooBig = await api()
      .post('/api/openstack/tenants')
      .set('Authorization', as(alice))
      .send({ ...good, quotas: { compute: { cores: 64 } } });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.message).toMatch(/compute\.cores 64 > 32/);

    const outsider = await api()
      .post('/api/openstack/tenants')
      .set('Authorization', as(bob))
      .send(good);
    expect(outsider.status).toBe(403);
    expect(outsider.body.error.message).toMatch(
      `not a member of workspace ${workspace}`,
    );

    const unknownSite = await api()
      .post('/api/openstack/tenants')
      .set('Authorization', as(alice))
      .send({ ...good, site: 'resource:default/nowhere' });
    expect(unknownSite.status).toBe(400);
  });

  it('replicates an auto-approved request into Keystone, with a remark for a member not yet there', async () => {
    const res = await api()
      .post('/api/openstack/tenants')
      .set('Authorization', as(alice))
      .send({
        workspace,
        site: 'resource:default/site-a',
        project: 'app',
        landingZone: 'quick',
        members: [
          { euid: euid(1), role: 'admin' },
          { euid: euid(9), role: 'reader' },
        ],
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'requested',
      projectName: `${team}.app`,
      domainName: 'default',
      quotas: { compute: { cores: 4 }, network: { router: 1 } },
    });
    quickId = res.body.id;

    const again = await api()
      .post('/api/openstack/tenants')
      .set('Authorization', as(alice))
      .send({
        workspace,
        site: 'resource:default/site-a',
        project: 'app',
        landingZone: 'quick',
      });
    expect(again.status).toBe(409);

    // Joins the replication the request started, or runs one.
    const runA = await replicateSiteA();
    expect(['successful', 'failed']).toContain(runA.status);
    const detail = await tenant(quickId);
    expect(detail.status).toBe('successful');
    expect(detail.projectId).toBeDefined();
    expect(detail.lastReplication?.remarks).toEqual([
      expect.stringContaining(
        `member ${euid(9)} (reader) has no account on the site yet`,
      ),
    ]);
    expect(detail.events.map(e => e.action)).toEqual([
      "requested (approved: within the landing zone's auto-approval)",
      expect.stringMatching(/^replicated: successful/),
    ]);
    const project = await must(admin.identity.project(detail.projectId!));
    expect(project.name).toBe(`${team}.app`);
    // The site's metering account may read the tenant's project, to sample it.
    const accounts = await must(
      admin.identity.roleAssignments({
        'scope.project.id': detail.projectId!,
        include_names: true,
      }),
    );
    expect(
      accounts.filter(a => a.user).map(a => `${a.user?.name}=${a.role.name}`),
    ).toEqual(['metering=reader']);
    const quotas = await must(admin.compute.quotaSet(detail.projectId!));
    expect(quotas.cores).toBe(4);
    const groups = await must(
      admin.identity.groups({ name: `${team}.app-admin` }),
    );
    expect(groups).toHaveLength(1);
    const members = await must(admin.identity.groupUsers(groups[0].id));
    expect(members.map(u => u.name)).toEqual([euid(1)]);

    // A second run has nothing to write; the tenant still shows the run that made it, checked
    // again by this one.
    const noop = await replicateSiteA();
    expect(
      noop.steps.filter((s: { tenantId?: string }) => s.tenantId === quickId),
    ).toEqual([]);
    const checked = await tenant(quickId);
    expect(checked.lastReplication).toMatchObject({
      runId: detail.lastReplication!.runId,
      steps: detail.lastReplication!.steps,
      checkedRunId: noop.id,
    });
    expect(checked.lastReplication!.steps.length).toBeGreaterThan(0);
  });

  it('shows a member change as a plan in a dry run, then writes it', async () => {
    const changed = await api()
      .put(`/api/openstack/tenants/${quickId}/members`)
      .set('Authorization', as(alice))
      .send({ members: [{ euid: euid(2), role: 'admin' }] });
    expect(changed.status).toBe(200);
    // The change's own replication may be running; wait for it before planning.
    await replicateSiteA();
    const settled = await replicateSiteA(true);
    expect(settled.status).toBe('planned');
    expect(
      settled.steps.filter(
        (s: { tenantId?: string }) => s.tenantId === quickId,
      ),
    ).toEqual([]);
    const groups = await must(
      admin.identity.groups({ name: `${team}.app-admin` }),
    );
    const members = await must(admin.identity.groupUsers(groups[0].id));
    expect(members.map(u => u.name)).toEqual([euid(2)]);
  });

  it('holds a request outside auto-approval until an approver approves it', async () => {
    const res = await api()
      .post('/api/openstack/tenants')
      .set('Authorization', as(alice))
      .send({
        workspace,
        site: 'resource:default/site-a',
        project: 'own',
        landingZone: 'manual',
        members: [{ euid: euid(1), role: 'admin' }],
      });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('requires-approval');
    const id = res.body.id;

    const plan = await replicateSiteA(true);
    expect(
      plan.tenants.map((t: { tenantId: string }) => t.tenantId),
    ).not.toContain(id);

    const refused = await api()
      .post(`/api/openstack/tenants/${id}/approval`)
      .set('Authorization', as(carol))
      .send({ decision: 'approve' });
    expect(refused.status).toBe(403);
    const badDecision = await api()
      .post(`/api/openstack/tenants/${id}/approval`)
      .set('Authorization', as(alice))
      .send({ decision: 'maybe' });
    expect(badDecision.status).toBe(400);
    expect(badDecision.body.error.message).toMatch(/decision/);

    const own = await api()
      .post(`/api/openstack/tenants/${id}/approval`)
      .set('Authorization', as(alice))
      .send({ decision: 'approve' });
    expect(own.status).toBe(403);
    const approved = await api()
      .post(`/api/openstack/tenants/${id}/approval`)
      .set('Authorization', as(dave))
      .send({ decision: 'approve', comment: 'ok for the pilot' });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('requested');
    await replicateSiteA();
    const detail = await tenant(id);
    expect(detail.status).toBe('successful');
    const domains = await must(
      admin.identity.domains({ name: `${team}-domain` }),
    );
    expect(domains).toHaveLength(1);
    const project = await must(admin.identity.project(detail.projectId!));
    expect(project.domain_id).toBe(domains[0].id);

    // Deleting: bindings go first; after approval the groups and (here) the project.
    const deletion = await api()
      .delete(`/api/openstack/tenants/${id}`)
      .set('Authorization', as(alice));
    expect(deletion.body.status).toBe('deletion-requested');
    await replicateSiteA();
    const grants = await must(
      admin.identity.roleAssignments({ 'scope.project.id': detail.projectId! }),
    );
    expect(grants.filter(g => g.group)).toEqual([]);
    await api()
      .post(`/api/openstack/tenants/${id}/approval`)
      .set('Authorization', as(dave))
      .send({ decision: 'approve' })
      .expect(200);
    await replicateSiteA();
    expect((await tenant(id)).status).toBe('deleted');
    const gone = await admin.identity.project(detail.projectId!);
    expect(gone.ok).toBe(false);
  });
});
