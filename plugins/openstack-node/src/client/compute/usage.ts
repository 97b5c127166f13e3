import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

/** Nova's usage report (`os-simple-tenant-usage`): what cASO reads for accounting. */

export const serverUsageSchema = z.looseObject({
  instance_id: z.string(),
  name: z.string(),
  flavor: z.string(),
  vcpus: z.number(),
  memory_mb: z.number(),
  local_gb: z.number(),
  hours: z.number(),
  state: z.string(),
  started_at: z.string(),
  ended_at: z.string().nullish(),
  tenant_id: z.string(),
});

export const tenantUsageSchema = z.looseObject({
  tenant_id: z.string(),
  start: z.string(),
  stop: z.string(),
  total_hours: z.number(),
  total_vcpus_usage: z.number(),
  total_memory_mb_usage: z.number(),
  total_local_gb_usage: z.number(),
  server_usages: z.array(serverUsageSchema).optional(),
});

export type TenantUsage = z.infer<typeof tenantUsageSchema>;

// Nova wants naive ISO timestamps (no zone, no milliseconds), taken as UTC.
function novaTime(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** `GET /os-simple-tenant-usage?start=&end=&detailed=1`: every project (admin). */
export async function listTenantUsages(
  compute: ServiceClient,
  period: { start: Date; end: Date },
): Promise<HttpResult<TenantUsage[]>> {
  const result = await compute.request({
    path: '/os-simple-tenant-usage',
    query: {
      start: novaTime(period.start),
      end: novaTime(period.end),
      detailed: 1,
    },
    schema: z.looseObject({ tenant_usages: z.array(tenantUsageSchema) }),
  });
  return mapData(result, data => data.tenant_usages);
}

/** `GET /os-simple-tenant-usage/{tenant_id}`: one project (a project reader may ask). */
export async function getTenantUsage(
  compute: ServiceClient,
  projectId: string,
  period: { start: Date; end: Date },
): Promise<HttpResult<TenantUsage | undefined>> {
  const result = await compute.request({
    path: `/os-simple-tenant-usage/${encodeURIComponent(projectId)}`,
    query: { start: novaTime(period.start), end: novaTime(period.end) },
    // A project with no usage in the period comes back as `{"tenant_usage": {}}`.
    schema: z.looseObject({
      tenant_usage: z.union([tenantUsageSchema, z.looseObject({})]),
    }),
  });
  return mapData(result, data =>
    'tenant_id' in data.tenant_usage
      ? (data.tenant_usage as TenantUsage)
      : undefined,
  );
}
