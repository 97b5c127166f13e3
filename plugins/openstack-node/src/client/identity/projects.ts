import { z } from 'zod';
import { HttpResult, mapData } from '../http';
import { ServiceClient } from '../service';

// Loose: sites keep VO names as extra project properties (`egi.VO`, `VO`, …), which we read.
export const projectSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  domain_id: z.string(),
  enabled: z.boolean(),
  description: z.string().nullish(),
  parent_id: z.string().nullish(),
  is_domain: z.boolean().optional(),
  tags: z.array(z.string()).optional(),
});

export type Project = z.infer<typeof projectSchema>;

const projectListSchema = z.looseObject({ projects: z.array(projectSchema) });

/** `GET /v3/projects` */
export async function listProjects(
  identity: ServiceClient,
  filters: { domain_id?: string; name?: string; tags?: string } = {},
): Promise<HttpResult<Project[]>> {
  const result = await identity.request({
    path: '/v3/projects',
    query: filters,
    schema: projectListSchema,
  });
  return mapData(result, data => data.projects);
}

/** `GET /v3/projects/{project_id}` */
export async function getProject(
  identity: ServiceClient,
  id: string,
): Promise<HttpResult<Project>> {
  const result = await identity.request({
    path: `/v3/projects/${encodeURIComponent(id)}`,
    schema: z.looseObject({ project: projectSchema }),
  });
  return mapData(result, data => data.project);
}

/** `GET /v3/auth/projects`: the projects the token's user may scope to. */
export async function listAuthProjects(
  identity: ServiceClient,
): Promise<HttpResult<Project[]>> {
  const result = await identity.request({
    path: '/v3/auth/projects',
    schema: projectListSchema,
  });
  return mapData(result, data => data.projects);
}

/** What the replicator writes on a project; extra properties (e.g. its owner mark) are kept by Keystone. */
export interface ProjectWrite {
  name?: string;
  domain_id?: string;
  description?: string;
  enabled?: boolean;
  tags?: string[];
  [extra: string]: unknown;
}

/** `POST /v3/projects` */
export async function createProject(
  identity: ServiceClient,
  project: ProjectWrite,
): Promise<HttpResult<Project>> {
  const result = await identity.request({
    method: 'POST',
    path: '/v3/projects',
    body: { project },
    schema: z.looseObject({ project: projectSchema }),
  });
  return mapData(result, data => data.project);
}

/** `PATCH /v3/projects/{project_id}`: only the given attributes change. */
export async function updateProject(
  identity: ServiceClient,
  id: string,
  changes: ProjectWrite,
): Promise<HttpResult<Project>> {
  const result = await identity.request({
    method: 'PATCH',
    path: `/v3/projects/${encodeURIComponent(id)}`,
    body: { project: changes },
    schema: z.looseObject({ project: projectSchema }),
  });
  return mapData(result, data => data.project);
}

/** `DELETE /v3/projects/{project_id}` (Keystone leaves the project's cloud resources alone). */
export function deleteProject(
  identity: ServiceClient,
  id: string,
): Promise<HttpResult<unknown>> {
  return identity.request({
    method: 'DELETE',
    path: `/v3/projects/${encodeURIComponent(id)}`,
    schema: z.unknown(),
  });
}
