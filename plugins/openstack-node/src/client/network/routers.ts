import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

export const routerSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  project_id: z.string(),
  admin_state_up: z.boolean().optional(),
  created_at: z.string().optional(),
  // Only for admins (and only with the DVR and L3 HA extensions).
  distributed: z.boolean().nullish(),
  ha: z.boolean().nullish(),
});

export type Router = z.infer<typeof routerSchema>;

/** `GET /v2.0/routers` */
export async function listRouters(
  network: ServiceClient,
  filters: { project_id?: string } = {},
): Promise<HttpResult<Router[]>> {
  const result = await network.request({
    path: '/v2.0/routers',
    query: filters,
    schema: z.looseObject({ routers: z.array(routerSchema) }),
  });
  return mapData(result, data => data.routers);
}
