import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  reachableSync,
  SANDBOX_REQUIRED,
  sandboxSettings,
} from '../testing/sandboxCredentials';
import { SANDBOX_SITES, sandboxSessions } from '../testing/sandboxSites';
import { BUILT_IN_CHECKS as CHECKS } from './catalogue';
import { scanSite } from './scan';

/**
 * Each documented defect of site-b, seeded alone, is caught by exactly the check it names, with
 * the status it names: compared with site-b seeded without defects, that check and no other
 * changes (but those a defect lists in `alsoTrips`, with their status). Re-seeds the shared site-b, so this file runs on its own (see scripts/test.sh).
 */

// Test-only, run from the source tree.
// eslint-disable-next-line no-restricted-syntax
const SANDBOX_DIR = path.resolve(__dirname, '../../../../sandbox');
const defects: Array<{
  id: string;
  check: string;
  status: string;
  /** The accounting source to judge it with: the portal sums by month, cASO's spool is exact. */
  judgedWith?: 'caso-spool';
  /** Why the sandbox cannot show it (the check cannot run on site-b either way). */
  notJudgeable?: string;
  /** Other checks it trips by their own rule, with their status (`alsoTripsWhy` says why). */
  alsoTrips?: Record<string, string>;
}> = JSON.parse(
  fs.readFileSync(path.join(SANDBOX_DIR, 'defects.json'), 'utf8'),
).defects;

const settings = sandboxSettings();
const live =
  SANDBOX_REQUIRED || reachableSync(SANDBOX_SITES['site-b'].keystoneUrl);
const describeLive = live ? describe : describe.skip;
const implemented = new Set(CHECKS.map(check => check.metadata.id));

jest.setTimeout(120_000);

function seedSiteB(defectList: string) {
  const result = spawnSync(
    path.join(SANDBOX_DIR, 'seed'),
    ['--site', 'b', '--defects', defectList],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0) {
    throw new Error(`sandbox/seed failed: ${result.stdout}${result.stderr}`);
  }
}

/** The sandbox's stand-ins for GOCDB, the information system and accounting (sandbox/README.md). */
function sourcesFor(accounting: 'accounting-portal' | 'caso-spool') {
  return {
    gocdbUrl: settings.FEDSTACK_SANDBOX_GOCDB_URL,
    cloudInfoUrl: settings.FEDSTACK_SANDBOX_CLOUD_INFO_URL,
    accounting: {
      kind: accounting,
      location:
        accounting === 'caso-spool'
          ? settings.FEDSTACK_SANDBOX_CASO_SPOOL_URL
          : settings.FEDSTACK_SANDBOX_ACCOUNTING_URL,
    },
  };
}

async function scanSiteB(
  accounting: 'accounting-portal' | 'caso-spool' = 'accounting-portal',
) {
  const site = { ...SANDBOX_SITES['site-b'], gocdbName: 'SANDBOX-SITE-B' };
  const { sessions, http } = sandboxSessions(site, settings);
  try {
    const report = await scanSite({
      site,
      profiles: ['egi-fedcloud', 'tenant-platform'],
      sessions,
      sources: sourcesFor(accounting),
    });
    return Object.fromEntries(
      report.results.map(r => [
        r.checkId,
        { status: r.status, message: r.message },
      ]),
    );
  } finally {
    http.close();
  }
}

describeLive(
  `site-b's defects one at a time${
    live ? '' : ' (SKIPPED: sandbox not running)'
  }`,
  () => {
    type Found = Record<string, { status: string; message: string }>;
    // site-b without defects, judged with each accounting source.
    const baselines: Record<string, Found> = {};

    beforeAll(async () => {
      seedSiteB('none');
      baselines['accounting-portal'] = await scanSiteB('accounting-portal');
      baselines['caso-spool'] = await scanSiteB('caso-spool');
    });

    afterAll(() => {
      // site-b is shared: put back the documented variant (every defect).
      seedSiteB('all');
    });

    for (const defect of defects) {
      if (!implemented.has(defect.check)) {
        it.todo(`${defect.id} → ${defect.check} (check not written yet)`);
        continue;
      }
      if (defect.notJudgeable) {
        it.todo(`${defect.id} → ${defect.check}: ${defect.notJudgeable}`);
        continue;
      }
      it(`${defect.id} is caught by ${defect.check} alone (${defect.status})`, async () => {
        const accounting = defect.judgedWith ?? 'accounting-portal';
        const baseline = baselines[accounting];
        const baselineOf = (checkId: string) => baseline[checkId];
        seedSiteB(defect.id);
        const found = await scanSiteB(accounting);
        const changed = Object.keys(found).filter(
          id => found[id].status !== baselineOf(id)?.status,
        );
        const also = defect.alsoTrips ?? {};
        expect(changed.sort()).toEqual(
          [defect.check, ...Object.keys(also)].sort(),
        );
        expect(found[defect.check].status).toBe(defect.status);
        for (const [id, status] of Object.entries(also))
          expect(`${id}: ${found[id].status}`).toBe(`${id}: ${status}`);
        // The message says what is wrong, not only that something is.
        expect(found[defect.check].message).not.toBe(
          baselineOf(defect.check).message,
        );
      });
    }
  },
);
