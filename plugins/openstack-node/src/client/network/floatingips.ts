import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

export const floatingIpSchema = z.looseObject({
  id: z.string(),
  floating_ip_address: z.string(),
  status: z.string(),
  project_id: z.string(),
  port_id: z.string().nullish(),
  fixed_ip_address: z.string().nullish(),
  floating_network_id: z.string().optional(),
  created_at: z.string().optional(),
});

export type FloatingIp = z.infer<typeof floatingIpSchema>;

/** `GET /v2.0/floatingips` */
export async function listFloatingIps(
  network: ServiceClient,
  filters: { project_id?: string } = {},
): Promise<HttpResult<FloatingIp[]>> {
  const result = await network.request({
    path: '/v2.0/floatingips',
    query: filters,
    schema: z.looseObject({ floatingips: z.array(floatingIpSchema) }),
  });
  return mapData(result, data => data.floatingips);
}
