import { z } from 'zod';
import { checkIdSchema } from '@fedstack/plugin-openstack-terms';

/**
 * Waivers (`/api/openstack/…/waivers`): a site's owner asks to waive one check on one site, with
 * a reason and an expiry date (required, at most `openstack.waivers.maxDays` ahead); an approver
 * (the policy's `openstack.waiver.approve`, never the requester) approves or rejects it. An
 * approved waiver shows a failing check as waived and counts it as `openstack.waivers.countAs`
 * says, until it expires or is revoked: then the failure counts again, with no scan needed.
 */
export const WAIVER_STATUSES = [
  'pending',
  'approved',
  'rejected',
  'revoked',
] as const;
export const waiverStatusSchema = z.enum(WAIVER_STATUSES);
export type WaiverStatus = z.infer<typeof waiverStatusSchema>;

/**
 * How a waived failure counts in a profile's score: `pass` (as if it passed), or `excluded`
 * (left out of the score, as a skipped check is, but never holding readiness back).
 */
export const WAIVER_COUNTS_AS = ['pass', 'excluded'] as const;
export type WaiverCountsAs = (typeof WAIVER_COUNTS_AS)[number];

const reasonSchema = z
  .string({ error: 'is required' })
  .trim()
  .min(10, { message: 'must say why, in at least 10 characters' })
  .max(2000, { message: 'must be at most 2000 characters' });

/** `POST /sites/{namespace}/{name}/waivers`. */
export const waiverRequestSchema = z
  .object({
    checkId: checkIdSchema,
    reason: reasonSchema,
    /** When the waiver ends: an ISO date-time (or a date, read as its midnight UTC). */
    expiresAt: z.iso
      .datetime({ offset: true, message: 'must be an ISO date-time' })
      .or(z.iso.date({ message: 'must be an ISO date' })),
  })
  .strict();
export type WaiverRequest = z.infer<typeof waiverRequestSchema>;

/** `POST /waivers/{id}/decision`. */
export const waiverDecisionSchema = z
  .object({
    decision: z.enum(['approve', 'reject']),
    /** Why, for a rejection (shown to the requester). */
    reason: z.string().trim().max(2000).optional(),
  })
  .strict();
export type WaiverDecision = z.infer<typeof waiverDecisionSchema>;

export const waiverSchema = z.object({
  id: z.string(),
  siteRef: z.string(),
  checkId: z.string(),
  reason: z.string(),
  status: waiverStatusSchema,
  /** Approved and not yet expired (at the time of the answer). */
  active: z.boolean(),
  expiresAt: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  /** Who ended it early (the requester withdrawing, an owner or an approver). */
  revokedBy: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type Waiver = z.infer<typeof waiverSchema>;

/** What a waiver adds to a check result it covers. */
export const resultWaiverSchema = waiverSchema.pick({
  id: true,
  reason: true,
  expiresAt: true,
  decidedBy: true,
});
export type ResultWaiver = z.infer<typeof resultWaiverSchema>;

export const waiverPolicySchema = z.object({
  maxDays: z.number().int(),
  countsAs: z.enum(WAIVER_COUNTS_AS),
});
export type WaiverPolicy = z.infer<typeof waiverPolicySchema>;

export const listWaiversResponseSchema = z.object({
  items: z.array(waiverSchema),
  /** The installation's rules, for the request form. */
  policy: waiverPolicySchema,
});
export type ListWaiversResponse = z.infer<typeof listWaiversResponseSchema>;

export const listWaiversQuerySchema = z
  .object({
    /** `open`: pending or active (default); `all`: every waiver, history included. */
    state: z.enum(['open', 'all']).default('open'),
  })
  .strict();
