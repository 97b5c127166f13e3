import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

/** Cinder volumes, as the metering samples them (size, type, status, owner). */

export const volumeSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  status: z.string(),
  /** GB */
  size: z.number(),
  volume_type: z.string().nullish(),
  created_at: z.string(),
  // Only with an admin (or all_tenants-allowed) token.
  'os-vol-tenant-attr:tenant_id': z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  attachments: z
    .array(
      z.looseObject({ server_id: z.string(), device: z.string().nullish() }),
    )
    .optional(),
});

export type Volume = z.infer<typeof volumeSchema>;

/** `GET /volumes/detail` (`all_tenants=1` for every project). */
export async function listVolumes(
  volume: ServiceClient,
  filters: { all_tenants?: boolean; project_id?: string } = {},
): Promise<HttpResult<Volume[]>> {
  const result = await volume.request({
    path: '/volumes/detail',
    query: {
      all_tenants: filters.all_tenants ? 1 : undefined,
      project_id: filters.project_id,
    },
    schema: z.looseObject({ volumes: z.array(volumeSchema) }),
  });
  return mapData(result, data => data.volumes);
}
