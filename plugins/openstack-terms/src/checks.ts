import { z } from 'zod';

/**
 * A check's verdict. `error`: the check itself could not run (no token, an unexpected answer, a
 * prerequisite that did not pass); `skip`: it was not evaluated (its source is not configured,
 * the site declares nothing to check it against): left out of the score, shown as "not evaluated".
 *
 * @public
 */
export const CHECK_STATUSES = [
  'pass',
  'warn',
  'fail',
  'error',
  'skip',
] as const;
/** @public */
export const checkStatusSchema = z.enum(CHECK_STATUSES);
/** @public */
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/**
 * How much a check weighs, and whether its failure holds a site back (a profile's readiness rule
 * says which severities do).
 *
 * @public
 */
export const SEVERITIES = ['critical', 'major', 'minor'] as const;
/** @public */
export const severitySchema = z.enum(SEVERITIES);
/** @public */
export type Severity = (typeof SEVERITIES)[number];

/**
 * The requirement a check belongs to; the scorecard groups by it. Checks added by modules pick
 * one of these, so every screen knows where to show them.
 *
 * @public
 */
export const CHECK_AREAS = [
  'identity',
  'services',
  'federation',
  'vo',
  'accounting',
  'accounts',
  'registration',
] as const;
/** @public */
export const checkAreaSchema = z.enum(CHECK_AREAS);
/** @public */
export type CheckArea = (typeof CHECK_AREAS)[number];

/**
 * A check id, e.g. `keystone.v3` or an NGI's `ngi.security-contact`: lower case, digits, dots
 * and dashes.
 *
 * @public
 */
export const checkIdSchema = z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, {
  message: 'must be lower case letters, digits, dots and dashes',
});
