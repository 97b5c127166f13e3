import { z } from 'zod';
import { OpenStackSession } from '../client/session';
import { sandboxLive, sandboxSettings } from '../testing/sandboxCredentials';
import {
  SANDBOX_SITES,
  sandboxSessions,
  sandboxSiteReader,
} from '../testing/sandboxSites';
import { sandboxSiteAVerdicts } from '../testing/sandboxVerdicts';
import { ExternalSources } from './context';
import { scanSite } from './scan';
import { CheckResult } from './types';

// site-a scanned as a federation would let fedstack read it: the sandbox's `site-reader`, reader
// on the system and on project admin, no admin anywhere (sandbox/README.md, "Accounts and
// credentials"). Its identity reads go with a system-scoped token (`identityScope`), the
// services' with the project-scoped one. The verdicts must be the admin's.
const settings = sandboxSettings();
const { live, describeLive } = sandboxLive(SANDBOX_SITES['site-a'].keystoneUrl);

jest.setTimeout(90_000);

const site = {
  ...SANDBOX_SITES['site-a'],
  gocdbName: settings.SITE_A_GOCDB_NAME ?? 'SANDBOX-SITE-A',
};
const siteReader = sandboxSiteReader(settings);
const adminProject = { name: 'admin', domain: { id: 'default' } };

// The stand-ins of GOCDB, the information system and the accounting portal: the registration
// and accounting checks evaluate too (accounting.coverage reads Nova's usage, which Nova gives
// a read-only account per project only).
const sources: ExternalSources = {
  gocdbUrl:
    settings.FEDSTACK_SANDBOX_GOCDB_URL ??
    'http://127.0.0.1:8301/gocdbpi/public/',
  cloudInfoUrl:
    settings.FEDSTACK_SANDBOX_CLOUD_INFO_URL ?? 'http://127.0.0.1:8302/',
  accounting: {
    kind: 'accounting-portal',
    location:
      settings.FEDSTACK_SANDBOX_ACCOUNTING_URL ?? 'http://127.0.0.1:8303/',
  },
};

async function scan(reader: 'admin' | 'site-reader') {
  const made = sandboxSessions(site, settings);
  const sessions =
    reader === 'admin'
      ? made.sessions
      : {
          ...made.sessions,
          reader: new OpenStackSession({
            keystoneUrl: site.keystoneUrl,
            region: site.region,
            http: made.http,
            credential: siteReader,
          }),
        };
  try {
    const report = await scanSite({
      site,
      profiles: ['egi-fedcloud', 'tenant-platform'],
      sessions,
      sources,
    });
    return {
      report,
      sessions,
      passwords: [...made.passwords, siteReader.password],
    };
  } finally {
    made.http.close();
  }
}

const statuses = (results: CheckResult[]) =>
  Object.fromEntries(results.map(r => [r.checkId, r.status]));

describeLive(
  `site-a scanned by a read-only account${
    live ? '' : ' (SKIPPED: sandbox not running)'
  }`,
  () => {
    it('gives the admin’s verdicts on every check, and shows no password', async () => {
      const [asReader, asAdmin] = await Promise.all([
        scan('site-reader'),
        scan('admin'),
      ]);
      const verdicts = statuses(asReader.report.results);
      // The stand-ins are given: the registration and accounting checks are judged too.
      expect(verdicts).toEqual(sandboxSiteAVerdicts({ sources: true }));
      expect(verdicts).toEqual(statuses(asAdmin.report.results));
      // And the same words: nothing the read-only account sees less of.
      const messages = (results: CheckResult[]) =>
        Object.fromEntries(results.map(r => [r.checkId, r.message]));
      expect(messages(asReader.report.results)).toEqual(
        messages(asAdmin.report.results),
      );
      // Usage was read per VO project: Nova refuses a read-only account every project's.
      const coverage = asReader.report.results.find(
        r => r.checkId === 'accounting.coverage',
      )!;
      const adminCoverage = asAdmin.report.results.find(
        r => r.checkId === 'accounting.coverage',
      )!;
      expect(coverage.message).toBe(adminCoverage.message);
      const usageReads = coverage.evidence
        .filter(e => e.url.includes('/os-simple-tenant-usage'))
        .map(e => e.status);
      // Refused every project's, then read each VO project's (ops, vo.access.egi.eu).
      expect(usageReads).toEqual([403, 200, 200]);
      const everything = JSON.stringify(asReader.report);
      for (const password of asReader.passwords) {
        expect(everything).not.toContain(password);
      }
    });

    it('is read-only: its tokens hold the reader role only, and Keystone refuses it a write', async () => {
      const reader = new OpenStackSession({
        keystoneUrl: site.keystoneUrl,
        httpOptions: { timeoutMs: 10_000 },
        credential: siteReader,
      });
      try {
        const service = await reader.token();
        const identity = await reader.identityToken();
        if (!service.ok) throw new Error(service.error.message);
        if (!identity.ok) throw new Error(identity.error.message);
        expect(service.value.project?.name).toBe('admin');
        expect(service.value.roles.map(r => r.name)).toEqual(['reader']);
        expect(identity.value.system).toEqual({ all: true });
        expect(identity.value.roles.map(r => r.name)).toEqual(['reader']);

        // Identity reads go with the system-scoped token; the project-scoped one is refused them.
        const users = await reader.identity.users({ name: 'admin' });
        expect(users.ok ? users.data.length : users.error).toBe(1);
        const projectOnly = await reader
          .withScope({ project: adminProject })
          .identity.users({ name: 'admin' });
        expect(projectOnly.ok ? 'listed' : projectOnly.error.status).toBe(403);

        // No write: creating a project is refused with either token (an admin would get 201).
        for (const session of [
          reader,
          reader.withScope({ project: adminProject }),
        ]) {
          const created = await session.identity.client.request({
            method: 'POST',
            path: '/v3/projects',
            body: {
              project: {
                name: `fedstack-read-only-probe-${Date.now()}`,
                domain_id: 'default',
              },
            },
            schema: z.unknown(),
          });
          expect(created.ok ? created.status : created.error.status).toBe(403);
        }
      } finally {
        reader.close();
      }
    });
  },
);
