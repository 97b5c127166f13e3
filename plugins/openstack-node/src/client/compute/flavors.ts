import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

export const flavorSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  vcpus: z.number(),
  /** MB */
  ram: z.number(),
  /** GB */
  disk: z.number(),
  // Nova sends "" for no swap before microversion 2.75, 0 after.
  swap: z.union([z.number(), z.string()]).optional(),
  'OS-FLV-EXT-DATA:ephemeral': z.number().optional(),
  'OS-FLV-DISABLED:disabled': z.boolean().optional(),
  'os-flavor-access:is_public': z.boolean().optional(),
});

export type Flavor = z.infer<typeof flavorSchema>;

/** `GET /flavors/detail` */
export async function listFlavors(
  compute: ServiceClient,
  filters: { is_public?: 'true' | 'false' | 'none'; minDisk?: number } = {},
): Promise<HttpResult<Flavor[]>> {
  const result = await compute.request({
    path: '/flavors/detail',
    query: filters,
    schema: z.looseObject({ flavors: z.array(flavorSchema) }),
  });
  return mapData(result, data => data.flavors);
}
