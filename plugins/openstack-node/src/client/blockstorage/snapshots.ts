import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

export const snapshotSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  status: z.string(),
  /** GB */
  size: z.number(),
  volume_id: z.string(),
  created_at: z.string(),
  'os-extended-snapshot-attributes:project_id': z.string().optional(),
});

export type Snapshot = z.infer<typeof snapshotSchema>;

/** `GET /snapshots/detail` (`all_tenants=1` for every project). */
export async function listSnapshots(
  volume: ServiceClient,
  filters: { all_tenants?: boolean; project_id?: string } = {},
): Promise<HttpResult<Snapshot[]>> {
  const result = await volume.request({
    path: '/snapshots/detail',
    query: {
      all_tenants: filters.all_tenants ? 1 : undefined,
      project_id: filters.project_id,
    },
    schema: z.looseObject({ snapshots: z.array(snapshotSchema) }),
  });
  return mapData(result, data => data.snapshots);
}
