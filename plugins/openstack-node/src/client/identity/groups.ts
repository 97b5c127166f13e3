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
