import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

// Federated users' ids are 64 hex characters, local ones 32: no format is assumed.
export const userSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  domain_id: z.string(),
  enabled: z.boolean().optional(),
  description: z.string().nullish(),
  default_project_id: z.string().nullish(),
  password_expires_at: z.string().nullish(),
});

export type User = z.infer<typeof userSchema>;

/** `GET /v3/users`, e.g. a federated domain's users, or a user by name (the euid). */
export async function listUsers(
  identity: ServiceClient,
  filters: { domain_id?: string; name?: string; enabled?: boolean } = {},
): Promise<HttpResult<User[]>> {
  const result = await identity.request({
    path: '/v3/users',
    query: {
      domain_id: filters.domain_id,
      name: filters.name,
      enabled:
        filters.enabled === undefined ? undefined : String(filters.enabled),
    },
    schema: z.looseObject({ users: z.array(userSchema) }),
  });
  return mapData(result, data => data.users);
}

/** `GET /v3/users/{user_id}` */
export async function getUser(
  identity: ServiceClient,
  id: string,
): Promise<HttpResult<User>> {
  const result = await identity.request({
    path: `/v3/users/${encodeURIComponent(id)}`,
    schema: z.looseObject({ user: userSchema }),
  });
  return mapData(result, data => data.user);
}

/** `POST /v3/users` (tests and benchmarks make federated-looking users with it). */
export async function createUser(
  identity: ServiceClient,
  user: {
    name: string;
    domain_id: string;
    enabled?: boolean;
    password?: string;
  },
): Promise<HttpResult<User>> {
  const result = await identity.request({
    method: 'POST',
    path: '/v3/users',
    body: { user },
    schema: z.looseObject({ user: userSchema }),
  });
  return mapData(result, data => data.user);
}

/** `DELETE /v3/users/{user_id}` */
export function deleteUser(
  identity: ServiceClient,
  id: string,
): Promise<HttpResult<unknown>> {
  return identity.request({
    method: 'DELETE',
    path: `/v3/users/${encodeURIComponent(id)}`,
    schema: z.unknown(),
  });
}
