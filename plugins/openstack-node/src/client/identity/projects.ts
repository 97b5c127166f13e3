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
