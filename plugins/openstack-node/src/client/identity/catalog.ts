import { z } from 'zod';
import { HttpResult } from '../http';
import { ServiceClient } from '../service';

/** The service catalog: which services a site offers and where (Keystone v3 token format). */

export const catalogEndpointSchema = z.looseObject({
  id: z.string().optional(),
  interface: z.string(),
  region_id: z.string().nullish(),
  region: z.string().nullish(),
  url: z.string(),
});

export const catalogServiceSchema = z.looseObject({
  id: z.string().optional(),
  type: z.string(),
  name: z.string().optional(),
  endpoints: z.array(catalogEndpointSchema),
});

export const catalogSchema = z.array(catalogServiceSchema);

export type CatalogEndpoint = z.infer<typeof catalogEndpointSchema>;
export type CatalogService = z.infer<typeof catalogServiceSchema>;
export type Catalog = z.infer<typeof catalogSchema>;

export type EndpointInterface = 'public' | 'internal' | 'admin';

export interface EndpointSelector {
  /** Default `public`: the checks look at a site as its users do. */
  interface?: EndpointInterface;
  /** Any region when absent. */
  region?: string;
}

export interface SelectedEndpoint {
  type: string;
  name?: string;
  interface: string;
  region?: string;
  url: string;
}

/**
 * The endpoint of a service type (first type found when several are given, e.g.
 * `['volumev3', 'block-storage']`), for an interface and optionally a region.
 */
export function selectEndpoint(
  catalog: Catalog,
  serviceType: string | readonly string[],
  selector: EndpointSelector = {},
): SelectedEndpoint | undefined {
  const wanted = selector.interface ?? 'public';
  for (const type of typeof serviceType === 'string'
    ? [serviceType]
    : serviceType) {
    for (const service of catalog.filter(s => s.type === type)) {
      const endpoint = service.endpoints.find(
        e =>
          e.interface === wanted &&
          (!selector.region || endpointRegion(e) === selector.region),
      );
      if (endpoint) {
        return {
          type,
          name: service.name,
          interface: endpoint.interface,
          region: endpointRegion(endpoint),
          url: endpoint.url,
        };
      }
    }
  }
  return undefined;
}

/** Every endpoint of the catalog, flat: what `keystone.catalog` and `services.*` look through. */
export function listEndpoints(
  catalog: Catalog,
  selector: EndpointSelector = {},
): SelectedEndpoint[] {
  return catalog.flatMap(service =>
    service.endpoints
      .filter(
        e =>
          (!selector.interface || e.interface === selector.interface) &&
          (!selector.region || endpointRegion(e) === selector.region),
      )
      .map(e => ({
        type: service.type,
        name: service.name,
        interface: e.interface,
        region: endpointRegion(e),
        url: e.url,
      })),
  );
}

// Keystone sends both `region_id` and the older `region`; either may be null.
function endpointRegion(endpoint: CatalogEndpoint): string | undefined {
  return endpoint.region_id ?? endpoint.region ?? undefined;
}

export const authCatalogSchema = z.looseObject({ catalog: catalogSchema });

/** `GET /v3/auth/catalog`: the catalog of the token in use. */
export async function getAuthCatalog(
  identity: ServiceClient,
): Promise<HttpResult<Catalog>> {
  const result = await identity.request({
    path: '/v3/auth/catalog',
    schema: authCatalogSchema,
  });
  return result.ok ? { ...result, data: result.data.catalog } : result;
}
