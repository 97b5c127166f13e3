import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

/** Cinder quota sets (`…/v3/{admin_project_id}/os-quota-sets/{project_id}`). */

const usageSchema = z.looseObject({
  limit: z.number(),
  in_use: z.number(),
  reserved: z.number().optional(),
});

export type BlockStorageQuotaUsage = z.infer<typeof usageSchema>;

// Per volume type keys appear too (`volumes___DEFAULT__`); the `id` key is dropped.
const quotaSetSchema = z
  .record(z.string(), z.union([z.number(), usageSchema, z.string()]))
  .transform(set =>
    Object.fromEntries(Object.entries(set).filter(([key]) => key !== 'id')),
  );

/** `GET /os-quota-sets/{project_id}` (`usage=true` gives limit, in use and reserved). */
export async function getBlockStorageQuotaSet(
  volume: ServiceClient,
  projectId: string,
): Promise<HttpResult<Record<string, BlockStorageQuotaUsage>>> {
  const result = await volume.request({
    path: `/os-quota-sets/${encodeURIComponent(projectId)}`,
    query: { usage: 'true' },
    schema: z.looseObject({
      quota_set: quotaSetSchema.pipe(z.record(z.string(), usageSchema)),
    }),
  });
  return mapData(result, data => data.quota_set);
}

/** `PUT /os-quota-sets/{project_id}` with only the keys to change. */
export async function updateBlockStorageQuotaSet(
  volume: ServiceClient,
  projectId: string,
  changes: Record<string, number>,
): Promise<HttpResult<Record<string, number>>> {
  const result = await volume.request({
    method: 'PUT',
    path: `/os-quota-sets/${encodeURIComponent(projectId)}`,
    body: { quota_set: changes },
    schema: z.looseObject({
      quota_set: quotaSetSchema.pipe(z.record(z.string(), z.number())),
    }),
  });
  return mapData(result, data => data.quota_set);
}
