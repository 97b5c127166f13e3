import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';
import { User, userSchema } from './users';

export const groupSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  domain_id: z.string(),
  description: z.string().nullish(),
});

export type Group = z.infer<typeof groupSchema>;

/** `GET /v3/groups` */
export async function listGroups(
  identity: ServiceClient,
  filters: { domain_id?: string; name?: string } = {},
): Promise<HttpResult<Group[]>> {
  const result = await identity.request({
    path: '/v3/groups',
    query: filters,
    schema: z.looseObject({ groups: z.array(groupSchema) }),
  });
  return mapData(result, data => data.groups);
}

/** `GET /v3/groups/{group_id}/users` */
export async function listGroupUsers(
  identity: ServiceClient,
  groupId: string,
): Promise<HttpResult<User[]>> {
  const result = await identity.request({
    path: `/v3/groups/${encodeURIComponent(groupId)}/users`,
    schema: z.looseObject({ users: z.array(userSchema) }),
  });
  return mapData(result, data => data.users);
}

/** `POST /v3/groups` */
export async function createGroup(
  identity: ServiceClient,
  group: { name: string; domain_id: string; description?: string },
): Promise<HttpResult<Group>> {
  const result = await identity.request({
    method: 'POST',
    path: '/v3/groups',
    body: { group },
    schema: z.looseObject({ group: groupSchema }),
  });
  return mapData(result, data => data.group);
}

/** `DELETE /v3/groups/{group_id}`: Keystone drops its memberships and grants with it. */
export function deleteGroup(
  identity: ServiceClient,
  id: string,
): Promise<HttpResult<unknown>> {
  return identity.request({
    method: 'DELETE',
    path: `/v3/groups/${encodeURIComponent(id)}`,
    schema: z.unknown(),
  });
}

/**
 * A user's membership of a group: `PUT` adds, `DELETE` removes, `HEAD` checks (204 member, 404
 * not). `…/v3/groups/{group_id}/users/{user_id}`
 */
export function groupMembership(
  identity: ServiceClient,
  method: 'PUT' | 'DELETE' | 'HEAD',
  groupId: string,
  userId: string,
): Promise<HttpResult<unknown>> {
  return identity.request({
    method,
    path: `/v3/groups/${encodeURIComponent(groupId)}/users/${encodeURIComponent(
      userId,
    )}`,
    schema: z.unknown(),
  });
}
