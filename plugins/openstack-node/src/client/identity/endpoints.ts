import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

/** Keystone's own records of regions, services and endpoints (what `openstack endpoint list` reads). */

export const regionSchema = z.looseObject({
  id: z.string(),
  description: z.string().nullish(),
  parent_region_id: z.string().nullish(),
});

export type Region = z.infer<typeof regionSchema>;

export const keystoneServiceSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  name: z.string().nullish(),
  enabled: z.boolean().optional(),
  description: z.string().nullish(),
});

export type KeystoneService = z.infer<typeof keystoneServiceSchema>;

export const keystoneEndpointSchema = z.looseObject({
  id: z.string(),
  interface: z.string(),
  service_id: z.string(),
  url: z.string(),
  region_id: z.string().nullish(),
  region: z.string().nullish(),
  enabled: z.boolean().optional(),
});

export type KeystoneEndpoint = z.infer<typeof keystoneEndpointSchema>;

/** `GET /v3/regions` */
export async function listRegions(
  identity: ServiceClient,
): Promise<HttpResult<Region[]>> {
  const result = await identity.request({
    path: '/v3/regions',
    schema: z.looseObject({ regions: z.array(regionSchema) }),
  });
  return mapData(result, data => data.regions);
}

/** `GET /v3/services` */
export async function listKeystoneServices(
  identity: ServiceClient,
): Promise<HttpResult<KeystoneService[]>> {
  const result = await identity.request({
    path: '/v3/services',
    schema: z.looseObject({ services: z.array(keystoneServiceSchema) }),
  });
  return mapData(result, data => data.services);
}

/** `GET /v3/endpoints` (an admin or reader call; the token's catalog shows a user's view). */
export async function listKeystoneEndpoints(
  identity: ServiceClient,
): Promise<HttpResult<KeystoneEndpoint[]>> {
  const result = await identity.request({
    path: '/v3/endpoints',
    schema: z.looseObject({ endpoints: z.array(keystoneEndpointSchema) }),
  });
  return mapData(result, data => data.endpoints);
}
