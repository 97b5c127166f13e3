import { z } from 'zod';
import { usageTotalsSchema } from '@fedstack/plugin-openstack-terms';

/**
 * The REST API's view of metering (`/api/openstack/sites/:namespace/:name/projects/:projectId/…`):
 * samples of what a project holds, usage over time (hours used), and the Infrastructure
 * Manager workloads among its servers. The sample itself is made by the node library's
 * `sampleProjectUsage`; these are the shapes the backend answers with.
 */

export const meteringProblemSchema = z.object({
  resource: z.string(),
  kind: z.string(),
  message: z.string(),
  status: z.number().optional(),
});
export type MeteringProblem = z.infer<typeof meteringProblemSchema>;

/** One stored sample, without its resource lists. */
export const meteringSampleSummarySchema = z.object({
  takenAt: z.string(),
  totals: usageTotalsSchema,
  /** Resource types whose call failed: missing from this sample's totals. */
  errors: z.array(meteringProblemSchema),
  /** Resource types the site does not offer (e.g. no load-balancer service in the catalog). */
  unavailable: z.array(z.object({ resource: z.string(), reason: z.string() })),
});
export type MeteringSampleSummary = z.infer<typeof meteringSampleSummarySchema>;

/** Hours used over the period, each sample holding until the next (at most 2 hours). */
export const usageHoursSchema = z.object({
  from: z.string(),
  to: z.string(),
  samples: z.number().int(),
  coveredHours: z.number(),
  serverHours: z.number(),
  vcpuHours: z.number(),
  ramGbHours: z.number(),
  diskGbHours: z.number(),
  volumeGbHours: z.number(),
  snapshotGbHours: z.number(),
  floatingIpHours: z.number(),
  routerHours: z.number(),
  loadBalancerHours: z.number(),
  imageGbHours: z.number(),
});
export type UsageHours = z.infer<typeof usageHoursSchema>;

/** `GET /sites/:namespace/:name/projects/:projectId/usage?from=&to=` */
export const projectUsageResponseSchema = z.object({
  siteRef: z.string(),
  projectId: z.string(),
  from: z.string(),
  to: z.string(),
  /** The samples taken in the period, oldest first. */
  samples: z.array(meteringSampleSummarySchema),
  usage: usageHoursSchema,
});
export type ProjectUsageResponse = z.infer<typeof projectUsageResponseSchema>;

/**
 * A server of the project; one EGI's Infrastructure Manager created carries its
 * `eu.egi.cloud.orchestrator*` properties in `workload` (empty for the others).
 */
export const workloadServerSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  flavor: z.object({
    name: z.string().optional(),
    vcpus: z.number(),
    ram: z.number(),
    disk: z.number(),
  }),
  deleted: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string().optional(),
  workload: z.record(z.string(), z.string()),
});
export type WorkloadServer = z.infer<typeof workloadServerSchema>;

/** `GET /sites/:namespace/:name/projects/:projectId/workloads` (from the latest sample). */
export const projectWorkloadsResponseSchema = z.object({
  siteRef: z.string(),
  projectId: z.string(),
  /** When the latest sample was taken; null when the project was never sampled. */
  takenAt: z.string().nullable(),
  items: z.array(workloadServerSchema),
});
export type ProjectWorkloadsResponse = z.infer<
  typeof projectWorkloadsResponseSchema
>;

/** `POST /sites/:namespace/:name/metering`: one sample of each of the site's projects, now. */
export const meteringRunResponseSchema = z.object({
  siteRef: z.string(),
  samples: z.array(
    meteringSampleSummarySchema.extend({ projectId: z.string() }),
  ),
  /** Projects that could not be sampled at all (e.g. no token for them). */
  failures: z.array(z.object({ projectId: z.string(), error: z.string() })),
});
export type MeteringRunResponse = z.infer<typeof meteringRunResponseSchema>;

/** `projectId` in a path: a Keystone id (hex, or any id a site's backend uses; no slashes). */
export const projectParamsSchema = z.object({
  projectId: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'not a Keystone project id'),
});

/** `?from=&to=` as ISO 8601 times; default the 7 days up to now. */
export const usageQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
