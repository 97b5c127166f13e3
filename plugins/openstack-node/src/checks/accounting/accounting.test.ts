import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OpenStackSession } from '../../client/session';
import {
  FixtureSite,
  loadFixture,
  startFixtureSite,
} from '../../testing/sandboxFixtures';
import { ExternalSources, ScanContext, ScanSessions } from '../context';
import { runChecks } from '../engine';
import { scanContextFor } from '../scan';
import { portalTable } from '../../sources/generatedDocuments';
import { LocalServer, startLocalServer } from '../../testing/localServer';
import { Check, CheckResult } from '../types';
import { accountingCoverage } from './accountingCoverage';
import { accountingCredentials } from './accountingCredentials';
import { accountingFresh } from './accountingFresh';

// The accounting checks against site-a's recorded answers (Keystone projects and role
// assignments, Nova's usage), with a cASO spool written as cASO writes it.
const DAY = 86_400_000;

/** `str(datetime.now(tzutc()))`, what cASO's write_lastrun puts in `lastrun.<project>`. */
function casoTimestamp(date: Date): string {
  const iso = date.toISOString();
  const micro = date.getUTCMilliseconds() * 1000;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${
    micro ? `.${String(micro).padStart(6, '0')}` : ''
  }+00:00`;
}

const projects = (
  loadFixture('site-a', 'projects').response.body as {
    projects: Array<Record<string, string>>;
  }
).projects;
const projectId = (name: string) => projects.find(p => p.name === name)!.id;

async function run(
  checks: Array<Check<ScanContext>>,
  options: {
    fixture: FixtureSite;
    sources: ExternalSources;
    now: Date;
    gocdbName?: string | null;
    accountingName?: string;
  },
): Promise<Record<string, CheckResult>> {
  const reader = new OpenStackSession({
    keystoneUrl: options.fixture.keystoneUrl,
    credential: {
      type: 'password',
      username: 'admin',
      password: 'admin-secret',
      scope: { project: { name: 'admin', domain: { id: 'default' } } },
    },
    httpOptions: { timeoutMs: 2000 },
    now: () => options.fixture.recordedAt.getTime(),
  });
  const sessions: ScanSessions = { reader };
  try {
    const results = await runChecks(checks, {
      contextFor: scanContextFor({
        site: {
          name: 'site-a',
          keystoneUrl: options.fixture.keystoneUrl,
          ...(options.gocdbName === null
            ? {}
            : { gocdbName: options.gocdbName ?? 'SITE-A' }),
          ...(options.accountingName
            ? { accountingName: options.accountingName }
            : {}),
        },
        sessions,
        sources: options.sources,
        now: () => options.now,
      }),
    });
    return Object.fromEntries(results.map(r => [r.checkId, r]));
  } finally {
    reader.close();
  }
}

describe('accounting checks (site-a recorded, cASO spool on disk)', () => {
  let fixture: FixtureSite;
  let spool: string;
  const now = new Date('2026-11-23T18:47:35Z');

  beforeAll(async () => {
    fixture = await startFixtureSite('site-a');
    spool = fs.mkdtempSync(path.join(os.tmpdir(), 'caso-spool-'));
  });
  afterAll(async () => {
    await fixture.close();
    fs.rmSync(spool, { recursive: true, force: true });
  });

  const casoRanDaysAgo = (days: Record<string, number>) => {
    for (const file of fs.readdirSync(spool)) fs.rmSync(path.join(spool, file));
    for (const [name, ago] of Object.entries(days)) {
      fs.writeFileSync(
        path.join(spool, `lastrun.${projectId(name)}`),
        casoTimestamp(new Date(now.getTime() - ago * DAY)),
      );
    }
  };
  const spoolSource = (): ExternalSources => ({
    accounting: { kind: 'caso-spool', location: spool },
  });

  it('skips freshness and coverage without an accounting source', async () => {
    const results = await run([accountingFresh, accountingCoverage], {
      fixture,
      sources: {},
      now,
    });
    expect(results['accounting.fresh'].status).toBe('skip');
    expect(results['accounting.coverage'].status).toBe('skip');
  });

  it('reports an error when no accounting credential set is configured', async () => {
    const results = await run([accountingCredentials], {
      fixture,
      sources: {},
      now,
    });
    expect(results['accounting.credentials']).toMatchObject({
      status: 'error',
      message: expect.stringContaining(
        'No accounting credential set is configured',
      ),
    });
  });

  it.each([
    [
      { ops: 1, 'vo.access.egi.eu': 3 },
      'pass',
      /1 days old \(cASO last extracted on 2026-11-22T18:47:35.000Z\)$/,
    ],
    [
      { ops: 8, 'vo.access.egi.eu': 12 },
      'warn',
      /8 days old .*older than 7 days/,
    ],
    [{ ops: 30 }, 'fail', /30 days old .*older than 30 days/],
    [{}, 'fail', /No accounting record found in cASO's spool/],
  ])(
    'judges the newest lastrun of the VO projects %j: %s',
    async (ran, status, message) => {
      casoRanDaysAgo(ran);
      const results = await run([accountingFresh], {
        fixture,
        sources: spoolSource(),
        now,
      });
      expect(results['accounting.fresh']).toMatchObject({
        status,
        message: expect.stringMatching(message),
      });
      // The VO projects were read from Keystone (recorded), the spool files from disk.
      const urls = results['accounting.fresh'].evidence.map(e => e.url);
      expect(urls.some(u => u.endsWith('/v3/projects'))).toBe(true);
      expect(
        urls.filter(u => u.startsWith('file://')).length,
      ).toBeGreaterThanOrEqual(2);
    },
  );

  it('passes coverage when no VO project ran servers in the period (site-a recorded)', async () => {
    casoRanDaysAgo({ ops: 1 });
    const results = await run([accountingCoverage], {
      fixture,
      sources: spoolSource(),
      now,
    });
    // site-a's only server never left BUILD: Nova's usage lists no project.
    expect(results['accounting.coverage']).toMatchObject({
      status: 'pass',
      message: expect.stringContaining(
        'No VO project ran servers in the last 30 days',
      ),
    });
    expect(
      results['accounting.coverage'].evidence.some(e =>
        e.url.includes('/os-simple-tenant-usage?'),
      ),
    ).toBe(true);
  });

  // The portal's answer is generated (sources/generatedDocuments.ts): no recorded answer of the
  // EGI accounting portal could be made here (no internet).
  describe('with the accounting portal', () => {
    let portal: LocalServer;
    let table: unknown;
    beforeAll(async () => {
      portal = await startLocalServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(table));
      });
    });
    afterAll(() => portal.close());
    const portalSource = (): ExternalSources => ({
      accounting: { kind: 'accounting-portal', location: portal.url },
    });

    it.each([
      [
        { '2026-10': 10, '2026-11': 5.5 },
        'pass',
        /0 days old \(records of 2026-11: the portal sums by month\)/,
      ],
      [
        { '2026-09': 10, '2026-10': 3 },
        'warn',
        /22 days old \(records of 2026-10/,
      ],
      [{ '2026-08': 10 }, 'fail', /83 days old .*older than 30 days/],
      [
        {},
        'fail',
        /No accounting record found in the accounting portal for site SITE-A/,
      ],
    ])(
      'judges the newest month with usage %j: %s',
      async (months, status, message) => {
        table = portalTable('SITE', 'DATE', {
          'SITE-A': months,
          'OTHER-SITE': { '2026-11': 1 },
        });
        const results = await run([accountingFresh], {
          fixture,
          sources: portalSource(),
          now,
        });
        expect(results['accounting.fresh']).toMatchObject({
          status,
          message: expect.stringMatching(message),
        });
        expect(portal.requests[portal.requests.length - 1].url).toBe(
          '/cloud/sum_elap_processors/SITE/DATE/2025/11/2026/11/all/onlyinfrajobs/JSON/',
        );
      },
    );

    it("asks for the site's accounting name (a site file's accounting.site_name, TR-FC1-ULAKBIM's EGI-NOTEBOOKS)", async () => {
      table = portalTable('SITE', 'DATE', {
        'TR-FC1-ULAKBIM': { '2026-06': 1 },
        'EGI-NOTEBOOKS': { '2026-11': 7 },
      });
      const results = await run([accountingFresh], {
        fixture,
        sources: portalSource(),
        now,
        gocdbName: 'TR-FC1-ULAKBIM',
        accountingName: 'EGI-NOTEBOOKS',
      });
      expect(results['accounting.fresh']).toMatchObject({
        status: 'pass',
        message: expect.stringContaining(
          'the accounting portal for site EGI-NOTEBOOKS is 0 days old',
        ),
      });
    });

    it('skips a site without GOCDB name: the portal knows sites by it', async () => {
      const results = await run([accountingFresh], {
        fixture,
        sources: portalSource(),
        now,
        gocdbName: null,
      });
      expect(results['accounting.fresh']).toMatchObject({
        status: 'skip',
        message: expect.stringContaining('no GOCDB name'),
      });
    });
  });
});
