import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

/** Neutron quotas (`/v2.0/quotas/{project_id}`; the catalog's endpoint has no version). */

const usageSchema = z.looseObject({
  limit: z.number(),
  used: z.number(),
  reserved: z.number().optional(),
});

export type NetworkQuotaUsage = z.infer<typeof usageSchema>;

/** `GET /v2.0/quotas/{project_id}` */
export async function getNetworkQuota(
  network: ServiceClient,
  projectId: string,
): Promise<HttpResult<Record<string, number>>> {
  const result = await network.request({
    path: `/v2.0/quotas/${encodeURIComponent(projectId)}`,
    schema: z.looseObject({ quota: z.record(z.string(), z.number()) }),
  });
  return mapData(result, data => data.quota);
}

/** `GET /v2.0/quotas/{project_id}/details`: limit, used and reserved per resource. */
export async function getNetworkQuotaDetails(
  network: ServiceClient,
  projectId: string,
): Promise<HttpResult<Record<string, NetworkQuotaUsage>>> {
  const result = await network.request({
    path: `/v2.0/quotas/${encodeURIComponent(projectId)}/details`,
    schema: z.looseObject({ quota: z.record(z.string(), usageSchema) }),
  });
  return mapData(result, data => data.quota);
}

/** `PUT /v2.0/quotas/{project_id}` with only the keys to change. */
export async function updateNetworkQuota(
  network: ServiceClient,
  projectId: string,
  changes: Record<string, number>,
): Promise<HttpResult<Record<string, number>>> {
  const result = await network.request({
    method: 'PUT',
    path: `/v2.0/quotas/${encodeURIComponent(projectId)}`,
    body: { quota: changes },
    schema: z.looseObject({ quota: z.record(z.string(), z.number()) }),
  });
  return mapData(result, data => data.quota);
}
