import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

export const networkSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  status: z.string().optional(),
  tenant_id: z.string().nullish(),
  project_id: z.string().nullish(),
  subnets: z.array(z.string()).optional(),
  shared: z.boolean().optional(),
  'router:external': z.boolean().optional(),
});

export type Network = z.infer<typeof networkSchema>;

/** `GET /v2.0/networks` */
export async function listNetworks(
  network: ServiceClient,
  filters: { project_id?: string } = {},
): Promise<HttpResult<Network[]>> {
  const result = await network.request({
    path: '/v2.0/networks',
    query: filters,
    schema: z.looseObject({ networks: z.array(networkSchema) }),
  });
  return mapData(result, data => data.networks);
}
