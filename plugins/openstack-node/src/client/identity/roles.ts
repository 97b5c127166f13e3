import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

export const roleSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  domain_id: z.string().nullish(),
  description: z.string().nullish(),
});

export type Role = z.infer<typeof roleSchema>;

/** `GET /v3/roles` */
export async function listRoles(
  identity: ServiceClient,
  filters: { name?: string; domain_id?: string } = {},
): Promise<HttpResult<Role[]>> {
  const result = await identity.request({
    path: '/v3/roles',
    query: filters,
    schema: z.looseObject({ roles: z.array(roleSchema) }),
  });
  return mapData(result, data => data.roles);
}

/**
 * A group's role on a project: `PUT` grants it, `DELETE` revokes it, `HEAD` checks it (204 held,
 * 404 not). `…/v3/projects/{project_id}/groups/{group_id}/roles/{role_id}`
 */
export function projectGroupRole(
  identity: ServiceClient,
  method: 'PUT' | 'DELETE' | 'HEAD',
  grant: { projectId: string; groupId: string; roleId: string },
): Promise<HttpResult<unknown>> {
  const { projectId, groupId, roleId } = grant;
  return identity.request({
    method,
    path: `/v3/projects/${encodeURIComponent(
      projectId,
    )}/groups/${encodeURIComponent(groupId)}/roles/${encodeURIComponent(
      roleId,
    )}`,
    schema: z.unknown(),
  });
}

/**
 * A user's own role on a project (a platform account's, e.g. metering's reader): `PUT` grants,
 * `DELETE` revokes, `HEAD` checks. `…/v3/projects/{project_id}/users/{user_id}/roles/{role_id}`
 */
export function projectUserRole(
  identity: ServiceClient,
  method: 'PUT' | 'DELETE' | 'HEAD',
  grant: { projectId: string; userId: string; roleId: string },
): Promise<HttpResult<unknown>> {
  const { projectId, userId, roleId } = grant;
  return identity.request({
    method,
    path: `/v3/projects/${encodeURIComponent(
      projectId,
    )}/users/${encodeURIComponent(userId)}/roles/${encodeURIComponent(roleId)}`,
    schema: z.unknown(),
  });
}
