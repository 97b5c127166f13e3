import { z } from 'zod';

/**
 * What a project holds at one moment, as the metering job samples it and the REST API serves it;
 * deleted and shelved-offloaded servers hold nothing.
 *
 * @public
 */
export const usageTotalsSchema = z.object({
  /** Servers holding resources (neither deleted nor shelved-offloaded). */
  servers: z.number(),
  vcpus: z.number(),
  ramMb: z.number(),
  diskGb: z.number(),
  volumes: z.number(),
  volumeGb: z.number(),
  snapshots: z.number(),
  snapshotGb: z.number(),
  floatingIps: z.number(),
  routers: z.number(),
  loadBalancers: z.number(),
  images: z.number(),
  imageBytes: z.number(),
});
/** @public */
export type UsageTotals = z.infer<typeof usageTotalsSchema>;
