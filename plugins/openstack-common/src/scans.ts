import { z } from 'zod';
import { entityNameSchema, entityNamespaceSchema } from './entityNames';
import { resultWaiverSchema } from './waivers';
import {
  checkStatusSchema,
  profileIdSchema,
  profileScoreSchema,
  severitySchema,
} from '@fedstack/plugin-openstack-terms';

/**
 * The REST API's view of scans and check results (`/api/openstack`). The backend answers with
 * these shapes; the frontend parses them, so a mismatch shows as an error, not as a blank page.
 */

/** One request a check made, secrets redacted, bodies cut short. */
export const evidenceSchema = z.object({
  at: z.string(),
  method: z.string(),
  url: z.string(),
  status: z.number().int().optional(),
  durationMs: z.number(),
  requestHeaders: z.record(z.string(), z.string()),
  requestBody: z.string().optional(),
  responseHeaders: z.record(z.string(), z.string()),
  responseBody: z.string().optional(),
  truncated: z.boolean().optional(),
  error: z.string().optional(),
});
export type Evidence = z.infer<typeof evidenceSchema>;

/**
 * A request as every reader of a site sees it: no headers, no bodies (they can hold Keystone's
 * user lists and account names), and its URL without the user names and ids it asked about.
 * The full evidence is for the site's owners, one check at a time.
 */
export const evidenceSummarySchema = evidenceSchema.pick({
  at: true,
  method: true,
  url: true,
  status: true,
  durationMs: true,
  error: true,
});
export type EvidenceSummary = z.infer<typeof evidenceSummarySchema>;

/** What a summarized URL shows instead of a user's name or id. */
const WITHHELD_IN_URL = '<withheld>';

/**
 * The URL with the users it names withheld: `/users/{id}` path segments, `user.id` and
 * `user_id` query values, and the `name` a `/users` list was filtered by.
 */
export function withoutUserNames(url: string): string {
  const [beforeQuery, ...rest] = url.split('?');
  const path = beforeQuery.replace(
    /\/users\/[^/#]+/g,
    `/users/${WITHHELD_IN_URL}`,
  );
  if (rest.length === 0) return path;
  const listsUsers = /\/users\/?$/.test(path);
  const query = rest
    .join('?')
    .replace(
      /(^|&)(user\.id|user_id|name)=([^&#]*)/g,
      (whole, start: string, key: string) =>
        key === 'name' && !listsUsers
          ? whole
          : `${start}${key}=${WITHHELD_IN_URL}`,
    );
  return `${path}?${query}`;
}

/** Builds the summary field by field, so nothing else of the evidence can reach an answer. */
export function summarizeEvidence(evidence: Evidence): EvidenceSummary {
  return {
    at: evidence.at,
    method: evidence.method,
    url: withoutUserNames(evidence.url),
    ...(evidence.status === undefined ? {} : { status: evidence.status }),
    durationMs: evidence.durationMs,
    ...(evidence.error === undefined ? {} : { error: evidence.error }),
  };
}

export const checkResultSchema = z.object({
  checkId: z.string(),
  title: z.string(),
  area: z.string(),
  severity: severitySchema,
  status: checkStatusSchema,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  remediation: z.string(),
  docsUrl: z.string(),
  startedAt: z.string(),
  durationMs: z.number(),
  evidence: z.array(evidenceSchema),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

/**
 * A check result as every reader of its site sees it, what scorecard, scan and export reads
 * answer: evidence summarized, and without the details that name accounts or people.
 */
export const checkResultSummarySchema = checkResultSchema.extend({
  evidence: z.array(evidenceSummarySchema),
  /**
   * Keys of `details` left out because they name accounts or people (user names or ids):
   * `GET /scans/:id/checks/:checkId` has them for the site's owners.
   */
  withheldDetails: z.array(z.string()).optional(),
  /** The approved, unexpired waiver covering this failing check, in a site's latest results. */
  waiver: resultWaiverSchema.optional(),
});
export type CheckResultSummary = z.infer<typeof checkResultSummarySchema>;

/**
 * Which keys of a check's details name accounts or people (its metadata's `ownerOnlyDetails`),
 * or `'all'` when that is not known (a check no longer installed).
 */
export type OwnerOnlyDetails = readonly string[] | 'all';

/**
 * Field by field too: a stored result may carry fields this version does not know. The details
 * `ownerOnly` names are left out and listed in `withheldDetails`.
 */
export function summarizeCheckResult(
  result: CheckResult,
  ownerOnly: OwnerOnlyDetails,
): CheckResultSummary {
  const keys = Object.keys(result.details ?? {});
  const withheld = keys.filter(
    key => ownerOnly === 'all' || ownerOnly.includes(key),
  );
  const details =
    result.details &&
    Object.fromEntries(
      Object.entries(result.details).filter(([key]) => !withheld.includes(key)),
    );
  return {
    checkId: result.checkId,
    title: result.title,
    area: result.area,
    severity: result.severity,
    status: result.status,
    message: result.message,
    ...(details === undefined ||
    (withheld.length > 0 && keys.length === withheld.length)
      ? {}
      : { details }),
    ...(withheld.length > 0 ? { withheldDetails: withheld } : {}),
    remediation: result.remediation,
    docsUrl: result.docsUrl,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    evidence: result.evidence.map(summarizeEvidence),
  };
}

/** A check whose status differs from the site's previous scan. */
export const checkChangeSchema = z.object({
  checkId: z.string(),
  from: checkStatusSchema.nullable(),
  to: checkStatusSchema,
});
export type CheckChange = z.infer<typeof checkChangeSchema>;

export const scanSummarySchema = z.object({
  id: z.string(),
  siteRef: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  trigger: z.enum(['schedule', 'manual']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  profiles: z.array(profileScoreSchema),
  tokensIssued: z.number().int().nullable(),
  requests: z.number().int().nullable(),
  /** Why a scan as a whole failed (not a check: those are results). */
  error: z.string().nullable(),
  changes: z.array(checkChangeSchema),
});
export type ScanSummary = z.infer<typeof scanSummarySchema>;

export const siteSummarySchema = z.object({
  entityRef: z.string(),
  name: z.string(),
  title: z.string().optional(),
  keystoneUrl: z.string().optional(),
  region: z.string().optional(),
  /** The site entity's owner (a group's ref, normally): the fleet groups by it. */
  owner: z.string().optional(),
  /** The NGI or federation its `ngi` annotation names (GOCDB's ROC for imported sites). */
  ngi: z.string().optional(),
  profiles: z.array(z.string()),
  /** Why the site cannot be scanned as declared (bad annotations, unknown credential set). */
  problems: z.array(z.string()),
  latestScan: scanSummarySchema.nullable(),
});
export type SiteSummary = z.infer<typeof siteSummarySchema>;

export const listSitesResponseSchema = z.object({
  items: z.array(siteSummarySchema),
});
export type ListSitesResponse = z.infer<typeof listSitesResponseSchema>;

/**
 * A profile as the backend defines it (built in, or added by a module): which checks it applies
 * and when a site is ready (`GET /profiles`); a scan keeps
 * the definitions it was scored with, so its scores stay comparable when profiles change.
 */
export const profileInfoSchema = z.object({
  id: profileIdSchema,
  title: z.string(),
  description: z.string(),
  checks: z.array(z.string()),
  weights: z.record(z.string(), z.number()),
  readiness: z.object({
    blocking: z.array(severitySchema),
    mustBeEvaluated: z.array(severitySchema),
  }),
});
export type ProfileInfo = z.infer<typeof profileInfoSchema>;

export const scanDetailResponseSchema = z.object({
  scan: scanSummarySchema,
  /** Evidence summarized; `GET /scans/:id/checks/:checkId` has the rest. */
  results: z.array(checkResultSummarySchema),
  /**
   * The profiles as this scan scored them (checks, weights, readiness rule, the installation's
   * settings applied); absent for scans stored before definitions were kept.
   */
  profileDefinitions: z.array(profileInfoSchema).optional(),
});
export type ScanDetailResponse = z.infer<typeof scanDetailResponseSchema>;

/**
 * One check of a scan (`GET /scans/:id/checks/:checkId`): with its full evidence (headers and
 * bodies) for those who may scan the site, its owners; summarized for other readers, with
 * `withheld` saying why.
 */
export const checkResultResponseSchema = z.discriminatedUnion(
  'evidenceDetail',
  [
    z.object({
      evidenceDetail: z.literal('full'),
      scan: scanSummarySchema,
      result: checkResultSchema,
    }),
    z.object({
      evidenceDetail: z.literal('summary'),
      scan: scanSummarySchema,
      result: checkResultSummarySchema,
      withheld: z.string(),
    }),
  ],
);
export type CheckResultResponse = z.infer<typeof checkResultResponseSchema>;

export const siteDetailResponseSchema = z.object({
  site: siteSummarySchema,
  /**
   * The latest finished scan's results, evidence summarized; empty before the first scan.
   * `GET /scans/:id/checks/:checkId` has a check's full evidence.
   */
  results: z.array(checkResultSummarySchema),
  /** Score history, oldest first. */
  history: z.array(scanSummarySchema),
});
export type SiteDetailResponse = z.infer<typeof siteDetailResponseSchema>;

export const triggerScanResponseSchema = z.object({
  scanId: z.string(),
  /** True when a scan of the site was already running and this request joined it. */
  joined: z.boolean(),
});
export type TriggerScanResponse = z.infer<typeof triggerScanResponseSchema>;

/** Server-sent events of a running scan (`GET /scans/:id/events`). */
export const scanEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('check-started'), checkId: z.string() }),
  z.object({
    type: z.literal('check-finished'),
    checkId: z.string(),
    status: checkStatusSchema,
    message: z.string(),
  }),
  z.object({ type: z.literal('scan-finished'), scan: scanSummarySchema }),
]);
export type ScanEvent = z.infer<typeof scanEventSchema>;

/** `{namespace}/{name}` path parameters of a site (`.` and `..` are refused, as the catalog does). */
export const siteParamsSchema = z.object({
  namespace: entityNamespaceSchema,
  name: entityNameSchema,
});

/** `{id}/checks/{checkId}` path parameters of one check result. */
export const checkParamsSchema = z.object({
  id: z.uuid(),
  checkId: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'not a check id'),
});

/**
 * `GET /rollups?by=owner|ngi&days=7`: the fleet grouped by the sites' owner or NGI, with per
 * profile how many of a group's sites are ready, not ready, not evaluated or not scanned, now and
 * `days` ago (each site's latest completed scan then): what a federation manager asks.
 */
export const rollupQuerySchema = z
  .object({
    by: z.enum(['owner', 'ngi']).default('owner'),
    days: z.coerce.number().int().min(1).max(365).default(7),
  })
  .strict();
export type RollupQuery = z.infer<typeof rollupQuerySchema>;

export const readinessCountsSchema = z.object({
  ready: z.number().int(),
  notReady: z.number().int(),
  notEvaluated: z.number().int(),
  notScanned: z.number().int(),
});
export type ReadinessCounts = z.infer<typeof readinessCountsSchema>;

export const rollupGroupSchema = z.object({
  /** The owner's or NGI's ref or name; empty for sites that name none. */
  key: z.string(),
  sites: z.number().int(),
  profiles: z.record(
    z.string(),
    z.object({ now: readinessCountsSchema, before: readinessCountsSchema }),
  ),
});
export type RollupGroup = z.infer<typeof rollupGroupSchema>;

export const rollupResponseSchema = z.object({
  by: z.enum(['owner', 'ngi']),
  /** The time `before` counts describe. */
  since: z.string(),
  groups: z.array(rollupGroupSchema),
});
export type RollupResponse = z.infer<typeof rollupResponseSchema>;
