import { OpenStackSession } from '../../client/session';
import { must } from '../../testing/keystone';
import { sandboxLive, sandboxSettings } from '../../testing/sandboxCredentials';
import {
  SANDBOX_SITES,
  passwordSession,
  sandboxSessions,
} from '../../testing/sandboxSites';
import { runChecks } from '../engine';
import { scanContextFor } from '../scan';
import { CheckResult } from '../types';
import { accountsMetering } from './accountsMetering';
import { accountsReplicator } from './accountsReplicator';

// The platform accounts' rights on live sandbox site-a. Its accounts hold their roles directly:
// the shared assignment list shows them and no per-account read is made. An account holding
// its role only through a group needs the effective read, which expands the group (and the
// roles admin implies).
const settings = sandboxSettings();
const site = SANDBOX_SITES['site-a'];
const { live, describeLive } = sandboxLive(site.keystoneUrl);
jest.setTimeout(60_000);

const EFFECTIVE_READ = /\/v3\/role_assignments\?user\.id=[^&]+&effective/;

async function scanAccounts(
  accounts: { replicator?: string; metering?: string; password?: string } = {},
): Promise<Record<string, CheckResult>> {
  const { sessions, http } = sandboxSessions(site, settings);
  const as = (username: string) =>
    passwordSession(site, http, username, accounts.password!);
  try {
    const results = await runChecks([accountsReplicator, accountsMetering], {
      contextFor: scanContextFor({
        site,
        sessions: {
          ...sessions,
          ...(accounts.replicator && { replicator: as(accounts.replicator) }),
          ...(accounts.metering && { metering: as(accounts.metering) }),
        },
        sources: {},
      }),
    });
    return Object.fromEntries(results.map(r => [r.checkId, r]));
  } finally {
    http.close();
  }
}

const requests = (result: CheckResult) =>
  result.evidence.map(e => `${e.method} ${e.url}`);

describeLive(
  `platform accounts on the live sandbox${live ? '' : ' (SKIPPED)'}`,
  () => {
    it('site-a: direct grants are read from the shared list, no effective read', async () => {
      const results = await scanAccounts();
      for (const id of ['accounts.replicator', 'accounts.metering']) {
        expect(results[id].status).toBe('pass');
        expect(requests(results[id]).some(r => EFFECTIVE_READ.test(r))).toBe(
          false,
        );
      }
    });

    describe('an account holding admin on project admin only through a group', () => {
      const name = `accounts-by-group-${Date.now()}`;
      const password = `pw-${Math.random().toString(36).slice(2)}`;
      let admin: OpenStackSession;
      let http: { close(): void };
      let userId: string;
      let groupId: string;

      beforeAll(async () => {
        const opened = sandboxSessions(site, settings);
        admin = opened.sessions.reader;
        http = opened.http;
        const [projects, roles] = await Promise.all([
          must(admin.identity.projects()),
          must(admin.identity.roles()),
        ]);
        const adminProject = projects.find(p => p.name === 'admin')!;
        const adminRole = roles.find(r => r.name === 'admin')!;
        userId = (
          await must(
            admin.identity.createUser({ name, domain_id: 'default', password }),
          )
        ).id;
        groupId = (
          await must(admin.identity.createGroup({ name, domain_id: 'default' }))
        ).id;
        await must(admin.identity.addUserToGroup(groupId, userId));
        await must(
          admin.identity.grantProjectGroupRole(
            adminProject.id,
            groupId,
            adminRole.id,
          ),
        );
      });

      afterAll(async () => {
        await admin.identity.deleteGroup(groupId);
        await admin.identity.deleteUser(userId);
        http.close();
      });

      it('passes as replicator, from the effective read', async () => {
        const results = await scanAccounts({ replicator: name, password });
        const replicator = results['accounts.replicator'];
        expect(replicator).toMatchObject({
          status: 'pass',
          message: 'The replicator account holds admin on project admin',
          details: expect.objectContaining({ user: name }),
        });
        expect(requests(replicator).some(r => EFFECTIVE_READ.test(r))).toBe(
          true,
        );
      });

      it('fails as metering: admin implies reader on project admin alone', async () => {
        const results = await scanAccounts({ metering: name, password });
        const metering = results['accounts.metering'];
        expect(metering.status).toBe('fail');
        // The account's name is in the details (for the site's owners), not the message.
        expect(metering.message).toMatch(
          /^The metering account cannot read \d+ project/,
        );
        expect(metering.details?.user).toBe(name);
        expect(metering.details?.unreadable).not.toContain('admin');
        expect(metering.details?.unreadable).toContain('service');
      });
    });
  },
);
