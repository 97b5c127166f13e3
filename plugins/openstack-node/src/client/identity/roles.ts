import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

export const roleSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  domain_id: z.string().nullish(),
  description: z.string().nullish(),
});

export type Role = z.infer<typeof roleSchema>;

/** `GET /v3/roles` */
export async function listRoles(
  identity: ServiceClient,
  filters: { name?: string; domain_id?: string } = {},
): Promise<HttpResult<Role[]>> {
  const result = await identity.request({
    path: '/v3/roles',
    query: filters,
    schema: z.looseObject({ roles: z.array(roleSchema) }),
  });
  return mapData(result, data => data.roles);
}
