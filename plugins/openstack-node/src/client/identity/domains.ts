import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

export const domainSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  description: z.string().nullish(),
});

export type Domain = z.infer<typeof domainSchema>;

/** `GET /v3/domains` */
export async function listDomains(
  identity: ServiceClient,
  filters: { name?: string; enabled?: boolean } = {},
): Promise<HttpResult<Domain[]>> {
  const result = await identity.request({
    path: '/v3/domains',
    query: { name: filters.name, enabled: stringFlag(filters.enabled) },
    schema: z.looseObject({ domains: z.array(domainSchema) }),
  });
  return mapData(result, data => data.domains);
}

/** `GET /v3/domains/{domain_id}` */
export async function getDomain(
  identity: ServiceClient,
  id: string,
): Promise<HttpResult<Domain>> {
  const result = await identity.request({
    path: `/v3/domains/${encodeURIComponent(id)}`,
    schema: z.looseObject({ domain: domainSchema }),
  });
  return mapData(result, data => data.domain);
}

// Keystone reads `enabled=false` as false and a bare flag as true.
function stringFlag(value: boolean | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

/** `POST /v3/domains` */
export async function createDomain(
  identity: ServiceClient,
  domain: { name: string; description?: string; enabled?: boolean },
): Promise<HttpResult<Domain>> {
  const result = await identity.request({
    method: 'POST',
    path: '/v3/domains',
    body: { domain },
    schema: z.looseObject({ domain: domainSchema }),
  });
  return mapData(result, data => data.domain);
}

/** `PATCH /v3/domains/{domain_id}` (a domain must be disabled before it can be deleted). */
export async function updateDomain(
  identity: ServiceClient,
  id: string,
  changes: { enabled?: boolean; description?: string },
): Promise<HttpResult<Domain>> {
  const result = await identity.request({
    method: 'PATCH',
    path: `/v3/domains/${encodeURIComponent(id)}`,
    body: { domain: changes },
    schema: z.looseObject({ domain: domainSchema }),
  });
  return mapData(result, data => data.domain);
}

/** `DELETE /v3/domains/{domain_id}` */
export function deleteDomain(
  identity: ServiceClient,
  id: string,
): Promise<HttpResult<unknown>> {
  return identity.request({
    method: 'DELETE',
    path: `/v3/domains/${encodeURIComponent(id)}`,
    schema: z.unknown(),
  });
}
