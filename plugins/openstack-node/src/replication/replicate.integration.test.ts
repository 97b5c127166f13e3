import { randomBytes } from 'node:crypto';
import { OpenStackHttp } from '../client/http';
import { startCuttableProxy } from '../testing/cuttableProxy';
import { must, removeWorkspaceFromKeystone } from '../testing/keystone';
import { Redactor } from '../client/redaction';
import { OpenStackSession } from '../client/session';
import {
  reachableSync,
  SANDBOX_REQUIRED,
  sandboxSettings,
} from '../testing/sandboxCredentials';
import { AccountGrant, DesiredTenant, TENANT_MARK } from './desired';
import { ReplicationOptions, replicate } from './replicate';

// Replication against the live sandbox's site-a Keystone (and Nova, Cinder, Neutron for quotas).
// Every object is named after this run's workspace and removed at the end.
const settings = sandboxSettings();
const KEYSTONE = 'http://127.0.0.1:5000/v3';
const live = SANDBOX_REQUIRED || reachableSync(KEYSTONE);
const describeLive = live ? describe : describe.skip;
jest.setTimeout(120_000);

const password = (variable: string, fallback: string) =>
  settings[variable] ?? fallback;
const http = new OpenStackHttp({
  timeoutMs: 15_000,
  // The effective role-assignment list of a whole cloud is larger than a check's answers.
  maxBodyBytes: 64 * 1024 * 1024,
  redactor: new Redactor([
    password('FEDSTACK_SANDBOX_REPLICATOR_PASSWORD', 'replicator-secret'),
    password('FEDSTACK_SANDBOX_ADMIN_PASSWORD', 'admin-secret'),
  ]),
});
const adminProject = { project: { name: 'admin', domain: { id: 'default' } } };
function replicatorAt(keystoneUrl: string) {
  return new OpenStackSession({
    keystoneUrl,
    region: 'RegionOne',
    http,
    credential: {
      type: 'password',
      username: 'replicator',
      password: password(
        'FEDSTACK_SANDBOX_REPLICATOR_PASSWORD',
        'replicator-secret',
      ),
      scope: adminProject,
    },
  });
}
const replicator = replicatorAt(KEYSTONE);
// Test set-up and inspection only (the replicator writes the tenants).
const admin = new OpenStackSession({
  keystoneUrl: KEYSTONE,
  region: 'RegionOne',
  http,
  credential: {
    type: 'password',
    username: 'admin',
    password: password('FEDSTACK_SANDBOX_ADMIN_PASSWORD', 'admin-secret'),
    scope: adminProject,
  },
});

const run = randomBytes(3).toString('hex');
const workspace = `ws${run}`;
const euid = (n: number) => `${createHex(`${run}-${n}`)}@egi.eu`;
function createHex(seed: string): string {
  return Buffer.from(seed).toString('hex').padEnd(32, '0').slice(0, 32);
}

describeLive(
  `replication on the live sandbox${
    live ? '' : ' (SKIPPED: sandbox not running)'
  }`,
  () => {
    let federatedDomain: string;
    let otherUserDomain: string;
    // The platform's metering account gets reader on each tenant project, to sample it.
    let metering: AccountGrant;
    const users = new Map<string, string>();
    const cleanup: Array<() => Promise<unknown>> = [];

    const tenant = (over: Partial<DesiredTenant> = {}): DesiredTenant => ({
      key: `tenant-${run}-1`,
      domain: { id: 'default' },
      projectName: `${workspace}.app`,
      description: 'App team project',
      tags: ['fedstack', `ws-${workspace}`],
      phase: 'active',
      groups: [
        {
          role: 'admin',
          name: `${workspace}.app-admin`,
          openstackRole: 'member',
          members: [euid(1), euid(2)],
        },
        {
          role: 'reader',
          name: `${workspace}.app-reader`,
          openstackRole: 'reader',
          members: [euid(3), euid(9)],
        },
      ],
      quotas: {
        compute: { cores: 7, instances: 3 },
        blockStorage: { volumes: 4, gigabytes: 50 },
        network: { network: 2, router: 1 },
      },
      accountGrants: [metering],
      ...over,
    });
    const options = (): ReplicationOptions => ({
      userDomains: [federatedDomain, otherUserDomain],
    });

    beforeAll(async () => {
      const idp = await must(admin.identity.identityProvider('egi.eu'));
      federatedDomain = String(idp.domain_id);
      const other = await must(
        admin.identity.createDomain({ name: `users-${run}`, enabled: true }),
      );
      otherUserDomain = other.id;
      const [meteringUser] = await must(
        admin.identity.users({ name: 'metering', domain_id: 'default' }),
      );
      metering = {
        userId: meteringUser.id,
        userName: 'metering',
        openstackRole: 'reader',
      };
      cleanup.push(async () => {
        await admin.identity.updateDomain(other.id, { enabled: false });
        await admin.identity.deleteDomain(other.id);
      });
      for (const n of [1, 2, 3, 4, 5]) {
        const user = await must(
          admin.identity.createUser({
            name: euid(n),
            domain_id: federatedDomain,
          }),
        );
        users.set(euid(n), user.id);
        cleanup.push(() => admin.identity.deleteUser(user.id));
      }
    });

    afterAll(async () => {
      // Whatever the tests left: projects and groups of this run's workspace, then users, domains.
      await removeWorkspaceFromKeystone(admin, workspace);
      for (const step of cleanup.reverse()) await step();
      http.close();
    });

    async function keystoneView(domainId = 'default') {
      const [projects, groups] = await Promise.all([
        must(admin.identity.projects({ domain_id: domainId })),
        must(admin.identity.groups({ domain_id: domainId })),
      ]);
      const project = projects.find(p => p.name === `${workspace}.app`);
      const members = async (name: string) => {
        const group = groups.find(g => g.name === name);
        if (!group) return undefined;
        const list = await must(admin.identity.groupUsers(group.id));
        return list.map(u => u.name).sort();
      };
      const grants = project
        ? await must(
            admin.identity.roleAssignments({
              'scope.project.id': project.id,
              include_names: true,
            }),
          )
        : [];
      return {
        project,
        projectsNamed: projects.filter(p => p.name.startsWith(workspace))
          .length,
        groupsNamed: groups.filter(g => g.name.startsWith(workspace)).length,
        admins: await members(`${workspace}.app-admin`),
        readers: await members(`${workspace}.app-reader`),
        grants: grants
          .filter(a => a.group)
          .map(a => `${a.group?.name}=${a.role.name}`)
          .sort(),
        accounts: grants
          .filter(a => a.user)
          .map(a => `${a.user?.name}=${a.role.name}`)
          .sort(),
      };
    }

    it('creates a tenant from scratch, with a remark for a member who has not logged in', async () => {
      const report = await replicate(replicator, [tenant()], options());
      expect(report.error).toBeUndefined();
      expect(report.tenants[0].errors).toEqual([]);
      expect(report.status).toBe('successful');
      expect(report.tenants[0].remarks).toEqual([
        expect.stringContaining(
          `member ${euid(9)} (reader) has no account on the site yet`,
        ),
      ]);
      const view = await keystoneView();
      expect(view.project).toMatchObject({
        enabled: true,
        description: 'App team project',
        [TENANT_MARK]: `tenant-${run}-1`,
      });
      expect([...(view.project?.tags ?? [])].sort()).toEqual([
        'fedstack',
        `ws-${workspace}`,
      ]);
      expect(view.admins).toEqual([euid(1), euid(2)].sort());
      expect(view.readers).toEqual([euid(3)]);
      expect(view.grants).toEqual([
        `${workspace}.app-admin=member`,
        `${workspace}.app-reader=reader`,
      ]);
      expect(view.accounts).toEqual(['metering=reader']);
      expect(report.tenants[0].projectId).toBe(view.project?.id);

      // Quotas read back from Nova, Cinder and Neutron.
      const id = view.project!.id;
      const [compute, volume, network] = await Promise.all([
        must(admin.compute.quotaSet(id)),
        must(admin.blockStorage.quotaSet(id)),
        must(admin.network.quota(id)),
      ]);
      expect(compute).toMatchObject({ cores: 7, instances: 3 });
      expect(volume.volumes.limit).toBe(4);
      expect(volume.gigabytes.limit).toBe(50);
      expect(network).toMatchObject({ network: 2, router: 1 });
    });

    it('re-runs with nothing to write, in a few Keystone calls', async () => {
      const desired = tenant({ appliedQuotas: tenant().quotas });
      const report = await replicate(replicator, [desired], options());
      expect(report.steps).toEqual([]);
      expect(report.status).toBe('successful');
      // Roles, domains, projects, groups, users ×2 domains, role assignments ×2 (token cached).
      expect(report.keystoneCalls).toBe(8);
      expect(report.otherCalls).toBe(0);

      // With a full quota check, the three quota sets are read and still nothing is written.
      const full = await replicate(replicator, [desired], {
        ...options(),
        quotaRefresh: 'all',
      });
      expect(full.steps).toEqual([]);
      expect(full.otherCalls).toBe(3);
    });

    it('repairs drift: a deleted group, a membership and a tag added by hand', async () => {
      const before = await keystoneView();
      const groups = await must(
        admin.identity.groups({ domain_id: 'default' }),
      );
      const adminGroup = groups.find(g => g.name === `${workspace}.app-admin`)!;
      const readerGroup = groups.find(
        g => g.name === `${workspace}.app-reader`,
      )!;
      await must(admin.identity.deleteGroup(readerGroup.id));
      await must(
        admin.identity.addUserToGroup(adminGroup.id, users.get(euid(4))!),
      );
      await must(
        admin.identity.updateProject(before.project!.id, {
          tags: [...(before.project!.tags ?? []), 'by-hand'],
        }),
      );

      const plan = await replicate(
        replicator,
        [tenant({ appliedQuotas: tenant().quotas })],
        {
          ...options(),
          dryRun: true,
        },
      );
      expect(plan.status).toBe('planned');
      expect(plan.steps.map(s => s.summary)).toEqual([
        `update project ${workspace}.app: tags -by-hand`,
        `remove ${euid(4)} from group ${workspace}.app-admin`,
        `create group ${workspace}.app-reader in domain default`,
        `grant reader on ${workspace}.app to group ${workspace}.app-reader`,
        `add ${euid(3)} to group ${workspace}.app-reader`,
      ]);
      // A dry run writes nothing.
      expect((await keystoneView()).readers).toBeUndefined();

      const report = await replicate(
        replicator,
        [tenant({ appliedQuotas: tenant().quotas })],
        options(),
      );
      expect(report.status).toBe('successful');
      expect(report.steps.every(s => s.outcome?.status === 'done')).toBe(true);
      const after = await keystoneView();
      expect(after.admins).toEqual(before.admins);
      expect(after.readers).toEqual([euid(3)]);
      expect(after.grants).toEqual(before.grants);
      expect(after.project?.tags?.sort()).toEqual(before.project?.tags?.sort());
    });

    it('picks up a member who logs in after the first run; an ambiguous name is a remark', async () => {
      const late = await must(
        admin.identity.createUser({
          name: euid(9),
          domain_id: federatedDomain,
        }),
      );
      cleanup.push(() => admin.identity.deleteUser(late.id));
      // Two users named euid(5): one per user domain.
      const twin = await must(
        admin.identity.createUser({
          name: euid(5),
          domain_id: otherUserDomain,
        }),
      );
      cleanup.push(() => admin.identity.deleteUser(twin.id));
      const desired = tenant({ appliedQuotas: tenant().quotas });
      desired.groups[0].members.push(euid(5));

      const report = await replicate(replicator, [desired], options());
      expect(report.status).toBe('successful');
      expect(report.steps.map(s => s.summary)).toEqual([
        `add ${euid(9)} to group ${workspace}.app-reader`,
      ]);
      expect(report.tenants[0].remarks).toEqual([
        expect.stringMatching(
          new RegExp(`member ${euid(5)} \\(admin\\) matches 2 users`),
        ),
      ]);
      const view = await keystoneView();
      expect(view.readers).toEqual([euid(3), euid(9)].sort());
      expect(view.admins).toEqual([euid(1), euid(2)].sort());
    });

    it('makes a per-workspace domain and keeps names unique per domain, ignoring case', async () => {
      const own = tenant({
        key: `tenant-${run}-2`,
        domain: { name: `${workspace}-domain` },
        projectName: `${workspace}.app`,
        groups: [
          {
            role: 'admin',
            name: `${workspace}.app-admin`,
            openstackRole: 'member',
            members: [euid(1)],
          },
        ],
        quotas: undefined,
      });
      const clash = tenant({
        key: `tenant-${run}-3`,
        projectName: `${workspace.toUpperCase()}.APP`,
        groups: [],
        quotas: undefined,
      });
      const report = await replicate(
        replicator,
        [tenant({ appliedQuotas: tenant().quotas }), own, clash],
        options(),
      );
      const byKey = Object.fromEntries(report.tenants.map(t => [t.key, t]));
      expect(byKey[own.key].status).toBe('successful');
      expect(byKey[clash.key].status).toBe('failed');
      expect(byKey[clash.key].errors).toEqual([
        expect.stringContaining('is already used by tenant'),
      ]);
      expect(report.steps[0].summary).toBe(`create domain ${workspace}-domain`);
      const domains = await must(
        admin.identity.domains({ name: `${workspace}-domain` }),
      );
      expect(domains).toHaveLength(1);
      const view = await keystoneView(domains[0].id);
      expect(view.project?.[TENANT_MARK]).toBe(own.key);
      expect(view.admins).toEqual([euid(1)]);
    });

    it('converges with no duplicates after Keystone goes away in the middle of a run', async () => {
      const proxy = await startCuttableProxy(5000);
      const flaky = replicatorAt(`http://127.0.0.1:${proxy.port}/v3`);
      const fresh = tenant({
        key: `tenant-${run}-4`,
        projectName: `${workspace}.cut`,
        groups: [1, 2, 3].map(n => ({
          role: `role${n}`,
          name: `${workspace}.cut-role${n}`,
          openstackRole: 'member',
          members: [euid(1), euid(2), euid(3)],
        })),
        quotas: undefined,
      });
      // Let the token and the reads through, and cut Keystone off after a few writes.
      proxy.cutAfter(9 + 4);
      const cut = await replicate(flaky, [fresh], {
        ...options(),
        concurrency: 1,
      });
      expect(cut.status).toBe('failed');
      const done = cut.steps.filter(s => s.outcome?.status === 'done').length;
      expect(done).toBeGreaterThan(0);
      expect(done).toBeLessThan(cut.steps.length);
      proxy.close();

      const again = await replicate(replicator, [fresh], options());
      expect(again.status).toBe('successful');
      expect(again.steps.some(s => s.kind === 'create-project')).toBe(false);
      const projects = await must(
        admin.identity.projects({ name: `${workspace}.cut` }),
      );
      expect(projects).toHaveLength(1);
      const groups = await must(
        admin.identity.groups({ domain_id: 'default' }),
      );
      for (const n of [1, 2, 3])
        expect(
          groups.filter(g => g.name === `${workspace}.cut-role${n}`),
        ).toHaveLength(1);
      const noop = await replicate(replicator, [fresh], options());
      expect(noop.steps).toEqual([]);
      // Clean up through the lifecycle: delete the project too.
      const gone = await replicate(
        replicator,
        [{ ...fresh, phase: 'removed', deleteProject: true }],
        options(),
      );
      expect(gone.status).toBe('successful');
      expect(
        await must(admin.identity.projects({ name: `${workspace}.cut` })),
      ).toEqual([]);
    });

    it('deletes in two steps: bindings off on request, groups (and only then the project) after approval', async () => {
      const requested = await replicate(
        replicator,
        [tenant({ phase: 'bindings-disabled' })],
        options(),
      );
      expect(requested.status).toBe('successful');
      expect(requested.steps.map(s => s.kind)).toEqual([
        'revoke-role',
        'revoke-role',
      ]);
      let view = await keystoneView();
      expect(view.grants).toEqual([]);
      // Metering goes on while the deletion waits for approval.
      expect(view.accounts).toEqual(['metering=reader']);
      expect(view.admins).toEqual([euid(1), euid(2)].sort());

      const removed = await replicate(
        replicator,
        [tenant({ phase: 'removed' })],
        options(),
      );
      expect(removed.status).toBe('successful');
      expect(removed.tenants[0].warnings).toEqual([
        expect.stringContaining(
          'is kept: the landing zone does not delete projects',
        ),
      ]);
      expect(removed.steps.map(s => s.kind)).toEqual([
        'delete-group',
        'delete-group',
        'revoke-user-role',
      ]);
      view = await keystoneView();
      expect(view.project).toBeDefined();
      expect(view.accounts).toEqual([]);
      expect(view.admins).toBeUndefined();
      expect(view.readers).toBeUndefined();

      const deleted = await replicate(
        replicator,
        [tenant({ phase: 'removed', deleteProject: true })],
        options(),
      );
      expect(deleted.steps.map(s => s.kind)).toEqual(['delete-project']);
      expect((await keystoneView()).project).toBeUndefined();
    });
  },
);
