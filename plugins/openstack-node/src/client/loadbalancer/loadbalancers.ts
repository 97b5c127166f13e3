import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

/** Octavia load balancers (catalog type `load-balancer`), as the metering samples them. */

export const loadBalancerSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  project_id: z.string(),
  provisioning_status: z.string(),
  operating_status: z.string(),
  vip_address: z.string().nullish(),
  flavor_id: z.string().nullish(),
  created_at: z.string().nullish(),
});

export type LoadBalancer = z.infer<typeof loadBalancerSchema>;

/**
 * `GET /v2/lbaas/loadbalancers`. Asked at the endpoint's root: sites register Octavia both with
 * and without `/v2` (or under a path such as `/load-balancer`).
 */
export async function listLoadBalancers(
  loadBalancer: ServiceClient,
  filters: { project_id?: string } = {},
): Promise<HttpResult<LoadBalancer[]>> {
  const result = await loadBalancer.request({
    path: '/v2/lbaas/loadbalancers',
    from: 'root',
    query: filters,
    schema: z.looseObject({ loadbalancers: z.array(loadBalancerSchema) }),
  });
  return mapData(result, data => data.loadbalancers);
}
