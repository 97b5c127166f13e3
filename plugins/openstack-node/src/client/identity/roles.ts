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

function projectGroupGrantPath(
  projectId: string,
  groupId: string,
  roleId: string,
): string {
  return `/v3/projects/${encodeURIComponent(
    projectId,
  )}/groups/${encodeURIComponent(groupId)}/roles/${encodeURIComponent(roleId)}`;
}

/** `PUT /v3/projects/{project_id}/groups/{group_id}/roles/{role_id}` */
export function grantProjectGroupRole(
  identity: ServiceClient,
  projectId: string,
  groupId: string,
  roleId: string,
): Promise<HttpResult<unknown>> {
  return identity.request({
    method: 'PUT',
    path: projectGroupGrantPath(projectId, groupId, roleId),
    schema: z.unknown(),
  });
}

/** `DELETE /v3/projects/{project_id}/groups/{group_id}/roles/{role_id}` */
export function revokeProjectGroupRole(
  identity: ServiceClient,
  projectId: string,
  groupId: string,
  roleId: string,
): Promise<HttpResult<unknown>> {
  return identity.request({
    method: 'DELETE',
    path: projectGroupGrantPath(projectId, groupId, roleId),
    schema: z.unknown(),
  });
}

/** `HEAD /v3/projects/{project_id}/groups/{group_id}/roles/{role_id}`: 204 granted, 404 not. */
export function checkProjectGroupRole(
  identity: ServiceClient,
  projectId: string,
  groupId: string,
  roleId: string,
): Promise<HttpResult<unknown>> {
  return identity.request({
    method: 'HEAD',
    path: projectGroupGrantPath(projectId, groupId, roleId),
    schema: z.unknown(),
  });
}
