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

function membershipPath(groupId: string, userId: string): string {
  return `/v3/groups/${encodeURIComponent(groupId)}/users/${encodeURIComponent(
    userId,
  )}`;
}

/** `PUT /v3/groups/{group_id}/users/{user_id}` */
export function addUserToGroup(
  identity: ServiceClient,
  groupId: string,
  userId: string,
): Promise<HttpResult<unknown>> {
  return identity.request({
    method: 'PUT',
    path: membershipPath(groupId, userId),
    schema: z.unknown(),
  });
}

/** `DELETE /v3/groups/{group_id}/users/{user_id}` */
export function removeUserFromGroup(
  identity: ServiceClient,
  groupId: string,
  userId: string,
): Promise<HttpResult<unknown>> {
  return identity.request({
    method: 'DELETE',
    path: membershipPath(groupId, userId),
    schema: z.unknown(),
  });
}

/** `HEAD /v3/groups/{group_id}/users/{user_id}`: 204 member, 404 not. */
export function checkUserInGroup(
  identity: ServiceClient,
  groupId: string,
  userId: string,
): Promise<HttpResult<unknown>> {
  return identity.request({
    method: 'HEAD',
    path: membershipPath(groupId, userId),
    schema: z.unknown(),
  });
}
