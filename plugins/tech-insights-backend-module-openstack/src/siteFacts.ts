import { z } from 'zod';
import { DateTime } from 'luxon';
import { parseEntityRef } from '@backstage/catalog-model';
import type { TechInsightFact } from '@backstage-community/plugin-tech-insights-node';
import {
  BUILT_IN_PROFILE_IDS,
  checkResultSummarySchema,
  siteSummarySchema,
} from '@fedstack/plugin-openstack-common';
import { profileFactNames } from './factSchema';

/**
 * `GET /api/openstack/export?format=json`: every site the caller may read with its latest
 * completed scan and that scan's results, in one answer. Only the fields the facts use are kept
 * of each result (the export also carries evidence summaries).
 */
export const fleetExportSchema = z.object({
  exportedAt: z.string(),
  sites: z.array(
    z.object({
      site: siteSummarySchema,
      results: z.array(
        checkResultSummarySchema.pick({
          checkId: true,
          status: true,
          severity: true,
        }),
      ),
    }),
  ),
});
export type FleetExport = z.infer<typeof fleetExportSchema>;
type FleetRow = FleetExport['sites'][number];

const BUILT_IN = new Set<string>(BUILT_IN_PROFILE_IDS);

const withStatus = (row: FleetRow, ...statuses: string[]) =>
  row.results.filter(r => statuses.includes(r.status)).map(r => r.checkId);

/** One site's facts (the schema is `openstackSiteFactSchema`). */
export function siteFacts(row: FleetRow): TechInsightFact {
  const { site } = row;
  const { kind, namespace, name } = parseEntityRef(site.entityRef);
  const scan = site.latestScan;
  const facts: TechInsightFact['facts'] = {
    scanned: scan !== null,
    profiles: site.profiles,
    problems: site.problems,
  };
  if (scan) {
    // `/sites` and the export list completed scans only, which have finished.
    facts.lastScanAt = DateTime.fromISO(scan.finishedAt ?? scan.startedAt, {
      zone: 'utc',
    });
    facts.lastScanId = scan.id;
    facts.failingChecks = withStatus(row, 'fail', 'error');
    facts.warningChecks = withStatus(row, 'warn');
    facts.notEvaluatedChecks = withStatus(row, 'skip');
    facts.checkStatuses = Object.fromEntries(
      row.results.map(r => [r.checkId, r.status]),
    );
    facts.profileScores = Object.fromEntries(
      scan.profiles.map(p => [
        p.profileId,
        {
          score: p.score,
          ready: p.ready,
          readiness: p.readiness,
          blocking: p.blocking,
        },
      ]),
    );
    for (const p of scan.profiles) {
      // Flat facts only where the schema has them (see openstackSiteFactSchema).
      if (!BUILT_IN.has(p.profileId)) continue;
      const names = profileFactNames(p.profileId);
      if (p.score !== null) facts[names.score] = p.score;
      facts[names.ready] = p.ready;
      facts[names.readiness] = p.readiness;
      facts[names.blockingChecks] = p.blocking;
    }
  }
  return { entity: { kind, namespace, name }, facts };
}
