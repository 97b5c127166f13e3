import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

// Before microversion 2.47 a server's flavor is a link ({id}); from 2.47 its copy (vcpus, ram…).
export const serverFlavorSchema = z.looseObject({
  id: z.string().optional(),
  original_name: z.string().optional(),
  vcpus: z.number().optional(),
  ram: z.number().optional(),
  disk: z.number().optional(),
});

export const serverSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  tenant_id: z.string(),
  user_id: z.string(),
  created: z.string(),
  updated: z.string().optional(),
  // Infrastructure Manager writes `eu.egi.cloud.orchestrator*` here.
  metadata: z.record(z.string(), z.string()),
  flavor: serverFlavorSchema,
  // "" when booted from a volume.
  image: z.union([z.looseObject({ id: z.string() }), z.string()]).optional(),
  // Network name → its addresses.
  addresses: z
    .record(z.string(), z.array(z.looseObject({ addr: z.string() })))
    .optional(),
  'OS-SRV-USG:launched_at': z.string().nullish(),
  'OS-SRV-USG:terminated_at': z.string().nullish(),
});

export type Server = z.infer<typeof serverSchema>;

export interface ServerFilters {
  all_tenants?: boolean;
  project_id?: string;
  deleted?: boolean;
  changes_since?: string;
  limit?: number;
  marker?: string;
}

/** A microversion, sent as `OpenStack-API-Version: compute <v>`. */
export interface Microversion {
  microversion?: string;
}

const serverPageSchema = z.looseObject({
  servers: z.array(serverSchema),
  servers_links: z
    .array(z.looseObject({ rel: z.string(), href: z.string() }))
    .optional(),
});

// Nova pages lists at its `max_limit` (1000 by default); a site rarely needs more pages.
const MAX_PAGES = 50;

/**
 * `GET /servers/detail` (`all_tenants=1` needs an admin token), every page: Nova's `next` link
 * gives the marker, which is sent to the same endpoint (its host is not trusted).
 */
export async function listServers(
  compute: ServiceClient,
  filters: ServerFilters & Microversion = {},
): Promise<HttpResult<Server[]>> {
  const { microversion, all_tenants, deleted, changes_since, ...rest } =
    filters;
  const servers: Server[] = [];
  let marker = rest.marker;
  for (let page = 0; ; page++) {
    const result = await compute.request({
      path: '/servers/detail',
      query: {
        all_tenants: all_tenants ? 1 : undefined,
        deleted: deleted ? 'true' : undefined,
        'changes-since': changes_since,
        ...rest,
        marker,
      },
      headers: microversionHeader(microversion),
      schema: serverPageSchema,
    });
    if (!result.ok) return result;
    servers.push(...result.data.servers);
    const next = result.data.servers_links?.find(l => l.rel === 'next');
    const nextMarker = next && markerOf(next.href);
    if (!nextMarker || nextMarker === marker || page + 1 >= MAX_PAGES) {
      return { ...result, data: servers };
    }
    marker = nextMarker;
  }
}

function markerOf(href: string): string | undefined {
  try {
    return new URL(href).searchParams.get('marker') ?? undefined;
  } catch {
    return undefined;
  }
}

/** `GET /servers/{server_id}` (an admin token sees any project's server). */
export async function getServer(
  compute: ServiceClient,
  serverId: string,
  options: Microversion = {},
): Promise<HttpResult<Server>> {
  const result = await compute.request({
    path: `/servers/${encodeURIComponent(serverId)}`,
    headers: microversionHeader(options.microversion),
    schema: z.looseObject({ server: serverSchema }),
  });
  return mapData(result, data => data.server);
}

/** `GET /servers/{server_id}/metadata` */
export async function getServerMetadata(
  compute: ServiceClient,
  serverId: string,
): Promise<HttpResult<Record<string, string>>> {
  const result = await compute.request({
    path: `/servers/${encodeURIComponent(serverId)}/metadata`,
    schema: z.looseObject({ metadata: z.record(z.string(), z.string()) }),
  });
  return mapData(result, data => data.metadata);
}

export function microversionHeader(
  microversion: string | undefined,
): Record<string, string> | undefined {
  return microversion
    ? { 'OpenStack-API-Version': `compute ${microversion}` }
    : undefined;
}
