import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

/**
 * `GET /v3/role_assignments`. With `effective`, group grants come back as one row per member,
 * each with `links.membership` (`/v3/groups/{group}/users/{user}`): the replicator reads
 * grants and memberships in one call.
 */

// Names come only with `include_names`.
const named = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  domain: z
    .looseObject({ id: z.string(), name: z.string().optional() })
    .optional(),
});

export const roleAssignmentSchema = z.looseObject({
  role: z.looseObject({
    id: z.string(),
    name: z.string().optional(),
    domain: z.looseObject({ id: z.string() }).optional(),
  }),
  user: named.optional(),
  group: named.optional(),
  scope: z.looseObject({
    project: named.optional(),
    domain: z
      .looseObject({ id: z.string(), name: z.string().optional() })
      .optional(),
    system: z.record(z.string(), z.unknown()).optional(),
    'OS-INHERIT:inherited_to': z.string().optional(),
  }),
  links: z
    .looseObject({
      assignment: z.string().optional(),
      membership: z.string().optional(),
      prior_role: z.string().optional(),
    })
    .optional(),
});

export type RoleAssignment = z.infer<typeof roleAssignmentSchema>;

export interface RoleAssignmentFilters {
  include_names?: boolean;
  effective?: boolean;
  'user.id'?: string;
  'group.id'?: string;
  'role.id'?: string;
  'scope.project.id'?: string;
  'scope.domain.id'?: string;
  'scope.system'?: 'all';
}

export async function listRoleAssignments(
  identity: ServiceClient,
  filters: RoleAssignmentFilters = {},
): Promise<HttpResult<RoleAssignment[]>> {
  const result = await identity.request({
    path: '/v3/role_assignments',
    query: { ...filters },
    schema: z.looseObject({ role_assignments: z.array(roleAssignmentSchema) }),
  });
  return mapData(result, data => data.role_assignments);
}
