import { z } from 'zod';

/** `GET /api/openstack/health`. */
export const healthResponseSchema = z.object({
  status: z.literal('ok'),
  /** Names of the configured credential sets; never their secrets. */
  credentialSets: z.array(z.string()),
});

export type HealthResponse = z.infer<typeof healthResponseSchema>;
