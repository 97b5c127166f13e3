import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

/** OS-FEDERATION: identity providers, their protocols, and the mappings protocols use. */

export const identityProviderSchema = z.looseObject({
  id: z.string(),
  enabled: z.boolean(),
  domain_id: z.string().nullish(),
  description: z.string().nullish(),
  remote_ids: z.array(z.string()),
  authorization_ttl: z.number().nullish(),
});

export type IdentityProvider = z.infer<typeof identityProviderSchema>;

export const protocolSchema = z.looseObject({
  id: z.string(),
  mapping_id: z.string(),
  remote_id_attribute: z.string().nullish(),
});

export type Protocol = z.infer<typeof protocolSchema>;

// A remote condition: a type (the assertion attribute, e.g. HTTP_OIDC_SUB) and at most one test.
export const mappingRemoteSchema = z.looseObject({
  type: z.string(),
  any_one_of: z.array(z.string()).optional(),
  not_any_of: z.array(z.string()).optional(),
  blacklist: z.array(z.string()).optional(),
  whitelist: z.array(z.string()).optional(),
  regex: z.boolean().optional(),
});

const domainRef = z.looseObject({
  id: z.string().optional(),
  name: z.string().optional(),
});

// A local directive: a user (`{0}` refers to the first remote's value), a group by id or by
// name + domain, groups by a list of names, projects, or a domain.
export const mappingLocalSchema = z.looseObject({
  user: z
    .looseObject({
      name: z.string().optional(),
      id: z.string().optional(),
      email: z.string().optional(),
      type: z.string().optional(),
      domain: domainRef.optional(),
    })
    .optional(),
  group: z
    .looseObject({
      id: z.string().optional(),
      name: z.string().optional(),
      domain: domainRef.optional(),
    })
    .optional(),
  groups: z.string().optional(),
  group_ids: z.string().optional(),
  domain: domainRef.optional(),
  projects: z.array(z.looseObject({ name: z.string() })).optional(),
});

export const mappingRuleSchema = z.looseObject({
  local: z.array(mappingLocalSchema),
  remote: z.array(mappingRemoteSchema),
});

export const mappingSchema = z.looseObject({
  id: z.string(),
  rules: z.array(mappingRuleSchema),
  schema_version: z.string().optional(),
});

export type MappingRule = z.infer<typeof mappingRuleSchema>;
export type Mapping = z.infer<typeof mappingSchema>;

const BASE = '/v3/OS-FEDERATION';

/** `GET /v3/OS-FEDERATION/identity_providers` */
export async function listIdentityProviders(
  identity: ServiceClient,
): Promise<HttpResult<IdentityProvider[]>> {
  const result = await identity.request({
    path: `${BASE}/identity_providers`,
    schema: z.looseObject({
      identity_providers: z.array(identityProviderSchema),
    }),
  });
  return mapData(result, data => data.identity_providers);
}

/** `GET /v3/OS-FEDERATION/identity_providers/{idp_id}` */
export async function getIdentityProvider(
  identity: ServiceClient,
  id: string,
): Promise<HttpResult<IdentityProvider>> {
  const result = await identity.request({
    path: `${BASE}/identity_providers/${encodeURIComponent(id)}`,
    schema: z.looseObject({ identity_provider: identityProviderSchema }),
  });
  return mapData(result, data => data.identity_provider);
}

/** `GET /v3/OS-FEDERATION/identity_providers/{idp_id}/protocols` */
export async function listProtocols(
  identity: ServiceClient,
  identityProviderId: string,
): Promise<HttpResult<Protocol[]>> {
  const result = await identity.request({
    path: `${BASE}/identity_providers/${encodeURIComponent(
      identityProviderId,
    )}/protocols`,
    schema: z.looseObject({ protocols: z.array(protocolSchema) }),
  });
  return mapData(result, data => data.protocols);
}

/** `GET /v3/OS-FEDERATION/identity_providers/{idp_id}/protocols/{protocol_id}` */
export async function getProtocol(
  identity: ServiceClient,
  identityProviderId: string,
  protocolId: string,
): Promise<HttpResult<Protocol>> {
  const result = await identity.request({
    path: `${BASE}/identity_providers/${encodeURIComponent(
      identityProviderId,
    )}/protocols/${encodeURIComponent(protocolId)}`,
    schema: z.looseObject({ protocol: protocolSchema }),
  });
  return mapData(result, data => data.protocol);
}

/** `GET /v3/OS-FEDERATION/mappings` */
export async function listMappings(
  identity: ServiceClient,
): Promise<HttpResult<Mapping[]>> {
  const result = await identity.request({
    path: `${BASE}/mappings`,
    schema: z.looseObject({ mappings: z.array(mappingSchema) }),
  });
  return mapData(result, data => data.mappings);
}

/** `GET /v3/OS-FEDERATION/mappings/{mapping_id}` */
export async function getMapping(
  identity: ServiceClient,
  id: string,
): Promise<HttpResult<Mapping>> {
  const result = await identity.request({
    path: `${BASE}/mappings/${encodeURIComponent(id)}`,
    schema: z.looseObject({ mapping: mappingSchema }),
  });
  return mapData(result, data => data.mapping);
}
