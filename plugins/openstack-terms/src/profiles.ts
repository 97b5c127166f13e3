import { z } from 'zod';
import { checkStatusSchema, severitySchema } from './checks';

/**
 * The profiles every installation has: `egi-fedcloud`, what a site needs to join the EGI
 * Federated Cloud; `tenant-platform`, what a tenant-replication platform needs. Backend modules
 * may add more (the backend's `openstackComplianceExtensionPoint`), so a profile id is any
 * string of this form.
 *
 * @public
 */
export const BUILT_IN_PROFILE_IDS = [
  'egi-fedcloud',
  'tenant-platform',
] as const;

/** @public */
export const profileIdSchema = z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, {
  message: 'must be a profile id (lower case letters, digits, dots and dashes)',
});
/** @public */
export type ProfileId = z.infer<typeof profileIdSchema>;

/**
 * Where a profile stands: `ready`; `not-ready` (a blocking check failed or could not run);
 * `not-evaluated` (nothing failed, but a check that must be evaluated was skipped, e.g. its
 * source is not configured: the score leaves it out, so it cannot vouch for the site).
 *
 * @public
 */
export const READINESS_STATES = [
  'ready',
  'not-ready',
  'not-evaluated',
] as const;
/** @public */
export const readinessSchema = z.enum(READINESS_STATES);
/** @public */
export type Readiness = (typeof READINESS_STATES)[number];

/**
 * How reports, the console and the portal name a readiness.
 *
 * @public
 */
export const READINESS_WORDS: Record<Readiness, string> = {
  ready: 'READY',
  'not-ready': 'NOT READY',
  'not-evaluated': 'INCOMPLETE',
};

/**
 * A check of a profile that ended `skip`, and why.
 *
 * @public
 */
export const notEvaluatedCheckSchema = z.object({
  checkId: z.string(),
  severity: severitySchema,
  /** The check's message: what it lacked (a source, a declaration). */
  reason: z.string(),
  /** Its severity keeps the profile from `ready` (the profile's readiness rule). */
  blocksReadiness: z.boolean(),
});
/** @public */
export type NotEvaluatedCheck = z.infer<typeof notEvaluatedCheckSchema>;

/**
 * One profile's verdict on one scan, as the scan computed it and the REST API serves it.
 *
 * @public
 */
export const profileScoreSchema = z.object({
  profileId: profileIdSchema,
  /**
   * Weighted share of passes, 0–100 (a warning counts half); null when nothing applied.
   * Checks not evaluated are left out: `notEvaluated` says which.
   */
  score: z.number().nullable(),
  readiness: readinessSchema,
  /** `readiness === 'ready'`, kept for clients of the boolean. */
  ready: z.boolean(),
  /** Blocking checks that failed or could not run: what stands between the site and ready. */
  blocking: z.array(z.string()),
  /** Checks of the profile that were skipped, in the order of the results. */
  notEvaluated: z.array(notEvaluatedCheckSchema),
  counts: z.record(checkStatusSchema, z.number().int()),
  /**
   * Checks that did not pass but that an approved, unexpired waiver covers: never blocking,
   * counted as the installation says (as passed, or left out). Absent when none is.
   */
  waived: z.array(z.string()).optional(),
});
/** @public */
export type ProfileScore = z.infer<typeof profileScoreSchema>;
