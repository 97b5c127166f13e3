import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

/** Nova quota sets. Writes only from the replicator's plan. */

// `/detail` gives {limit, in_use, reserved} per key; the plain form gives numbers.
export const quotaDetailSchema = z.looseObject({
  limit: z.number(),
  in_use: z.number(),
  reserved: z.number().optional(),
});

export type ComputeQuotaSet = Record<string, number>;
export type ComputeQuotaSetDetail = Record<
  string,
  z.infer<typeof quotaDetailSchema>
>;

const limitsSchema = z
  .record(z.string(), z.union([z.number(), z.string()]))
  .transform(
    (set): ComputeQuotaSet =>
      Object.fromEntries(
        Object.entries(set).filter(
          (entry): entry is [string, number] => typeof entry[1] === 'number',
        ),
      ),
  );

const detailSchema = z
  .record(z.string(), z.union([quotaDetailSchema, z.string()]))
  .transform(
    (set): ComputeQuotaSetDetail =>
      Object.fromEntries(
        Object.entries(set).filter(
          (entry): entry is [string, z.infer<typeof quotaDetailSchema>] =>
            typeof entry[1] !== 'string',
        ),
      ),
  );

/** `GET /os-quota-sets/{project_id}` */
export async function getComputeQuotaSet(
  compute: ServiceClient,
  projectId: string,
): Promise<HttpResult<ComputeQuotaSet>> {
  const result = await compute.request({
    path: `/os-quota-sets/${encodeURIComponent(projectId)}`,
    schema: z.looseObject({ quota_set: limitsSchema }),
  });
  return mapData(result, data => data.quota_set);
}

/** `GET /os-quota-sets/{project_id}/detail`: limits with what is in use. */
export async function getComputeQuotaSetDetail(
  compute: ServiceClient,
  projectId: string,
): Promise<HttpResult<ComputeQuotaSetDetail>> {
  const result = await compute.request({
    path: `/os-quota-sets/${encodeURIComponent(projectId)}/detail`,
    schema: z.looseObject({ quota_set: detailSchema }),
  });
  return mapData(result, data => data.quota_set);
}

/**
 * `PUT /os-quota-sets/{project_id}` with only the keys to change. `force` lets a limit go below
 * what is in use (a landing zone shrinking a tenant).
 */
export async function updateComputeQuotaSet(
  compute: ServiceClient,
  projectId: string,
  changes: ComputeQuotaSet,
  options: { force?: boolean } = {},
): Promise<HttpResult<ComputeQuotaSet>> {
  const result = await compute.request({
    method: 'PUT',
    path: `/os-quota-sets/${encodeURIComponent(projectId)}`,
    body: {
      quota_set: { ...changes, ...(options.force ? { force: true } : {}) },
    },
    schema: z.looseObject({ quota_set: limitsSchema }),
  });
  return mapData(result, data => data.quota_set);
}
