import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sandboxLive, sandboxSettings } from '../../testing/sandboxCredentials';
import { SANDBOX_SITES, sandboxSessions } from '../../testing/sandboxSites';
import { ExternalSources } from '../context';
import { runChecks } from '../engine';
import { scanContextFor } from '../scan';
import { CheckResult } from '../types';
import { accountingCoverage } from './accountingCoverage';
import { accountingCredentials } from './accountingCredentials';
import { accountingFresh } from './accountingFresh';

// The accounting checks against the live sandbox (sandbox/start). site-a's accounting account is
// a system reader with reader on the VO projects; site-b's has no system role (defect
// `accounting-no-list`). Skipped unless site-a's Keystone answers or the sandbox is required.
const settings = sandboxSettings();
const { live, describeLive } = sandboxLive(SANDBOX_SITES['site-a'].keystoneUrl);

jest.setTimeout(60_000);

async function scanAccounting(
  siteName: keyof typeof SANDBOX_SITES,
  sources: ExternalSources = {},
): Promise<{ results: Record<string, CheckResult>; passwords: string[] }> {
  const site = SANDBOX_SITES[siteName];
  const { sessions, http, passwords } = sandboxSessions(site, settings);
  try {
    const results = await runChecks(
      [accountingCredentials, accountingFresh, accountingCoverage],
      {
        contextFor: scanContextFor({
          site: { ...site, gocdbName: siteName.toUpperCase() },
          sessions,
          sources,
        }),
      },
    );
    return {
      results: Object.fromEntries(results.map(r => [r.checkId, r])),
      passwords,
    };
  } finally {
    http.close();
  }
}

describeLive(
  `accounting checks on the live sandbox${
    live ? '' : ' (SKIPPED: sandbox not running)'
  }`,
  () => {
    let spool: string;
    beforeAll(() => {
      spool = fs.mkdtempSync(path.join(os.tmpdir(), 'caso-spool-'));
    });
    afterAll(() => fs.rmSync(spool, { recursive: true, force: true }));

    it('site-a: the accounting account may read what cASO reads', async () => {
      const { results, passwords } = await scanAccounting('site-a');
      const credentials = results['accounting.credentials'];
      expect(credentials).toMatchObject({
        status: 'pass',
        message: expect.stringMatching(
          /accounting account authenticates, may list users and projects \(system scope\), and reads all \d+ VO projects/,
        ),
        details: expect.objectContaining({ user: 'accounting' }),
      });
      // The system-scoped token request and the two lists are evidence.
      const requests = credentials.evidence.map(e => `${e.method} ${e.url}`);
      expect(requests.some(r => r.includes('/v3/users?name=accounting'))).toBe(
        true,
      );
      expect(requests.some(r => r.endsWith('/v3/projects'))).toBe(true);
      const everything = JSON.stringify(results);
      for (const password of passwords)
        expect(everything).not.toContain(password);
    });

    it('site-b: refused the system scope, the accounting account may not list', async () => {
      const { results } = await scanAccounting('site-b');
      expect(results['accounting.credentials']).toMatchObject({
        status: 'fail',
        message: expect.stringMatching(
          /may not call identity:list_users and identity:list_projects \(Keystone refused it a system-scoped token/,
        ),
      });
    });

    it('site-a: freshness and coverage from a cASO spool of its VO projects', async () => {
      // The spool cASO would leave after running an hour ago, one file per VO project.
      const first = await scanAccounting('site-a');
      const voProjects = first.results['accounting.credentials'].details
        ?.voProjects as Array<{ project: string }>;
      expect(voProjects.length).toBeGreaterThan(0);
      const ranAt = new Date(Date.now() - 3_600_000).toISOString();
      for (const { project } of voProjects) {
        // Named files: cASO's `projects` option may list names (ids are tried first).
        fs.writeFileSync(
          path.join(spool, `lastrun.${project}`),
          `${ranAt.slice(0, 10)} ${ranAt.slice(11, 23)}000+00:00`,
        );
      }
      const { results } = await scanAccounting('site-a', {
        accounting: { kind: 'caso-spool', location: spool },
      });
      expect(results['accounting.fresh']).toMatchObject({
        status: 'pass',
        message: expect.stringContaining('is 0 days old'),
      });
      // The sandbox's servers never ran (fake driver, BUILD): nothing to account.
      expect(results['accounting.coverage'].status).toBe('pass');
    });
  },
);
