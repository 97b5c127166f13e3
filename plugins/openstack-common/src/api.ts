import { z } from 'zod';
import { profileInfoSchema } from './scans';
import {
  checkAreaSchema,
  severitySchema,
} from '@fedstack/plugin-openstack-terms';

/** `GET /api/openstack/health`. */
export const healthResponseSchema = z.object({
  status: z.literal('ok'),
  /** Names of the configured credential sets; never their secrets. */
  credentialSets: z.array(z.string()),
});

export type HealthResponse = z.infer<typeof healthResponseSchema>;

export const listProfilesResponseSchema = z.object({
  items: z.array(profileInfoSchema),
});
export type ListProfilesResponse = z.infer<typeof listProfilesResponseSchema>;

/** A check's metadata (`GET /checks`), in the order reports list checks. */
export const checkInfoSchema = z.object({
  id: z.string(),
  title: z.string(),
  area: checkAreaSchema,
  severity: severitySchema,
  reads: z.string(),
  rule: z.string(),
  remediation: z.string(),
  docsUrl: z.string(),
  requires: z.array(z.string()),
});
export type CheckInfo = z.infer<typeof checkInfoSchema>;

export const listChecksResponseSchema = z.object({
  items: z.array(checkInfoSchema),
});
export type ListChecksResponse = z.infer<typeof listChecksResponseSchema>;
