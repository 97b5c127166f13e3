import {
  approvalDecisionSchema,
  listLandingZonesResponseSchema,
  listReplicationRunsResponseSchema,
  listTenantsQuerySchema,
  listTenantsResponseSchema,
  replicationRunSchema,
  tenantDetailSchema,
  tenantMembersUpdateSchema,
  tenantRequestSchema,
} from '@fedstack/plugin-openstack-common';
import { z } from 'zod';
import {
  errorResponse,
  jsonBody,
  jsonResponse,
  pathParameter,
  queryParameters,
  siteParameters,
} from '../http/openApiParts';

/** The tenant and replication routes (tenantRouter.ts) in the OpenAPI document (http/openapi.ts). */

const tenantParameters = [pathParameter('id')];
const errors = {
  400: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
};
// What the reads answer a caller who may not see a tenant or run: not 403, so ids do not leak.
const readErrors = {
  400: errorResponse,
  404: { description: 'No such tenant or run, or not one the caller may see' },
};
const tenant = (description: string) =>
  jsonResponse(tenantDetailSchema, description);

/** `?dryRun=true`: every check of the route, nothing written (the scaffolder's dry runs). */
const dryRunParameter = {
  name: 'dryRun',
  in: 'query',
  required: false,
  schema: { type: 'string', enum: ['true', 'false'] },
};

export function tenantOpenApiPaths() {
  return {
    '/landing-zones': {
      get: {
        summary: 'The landing zones a tenant request may name',
        responses: {
          200: jsonResponse(listLandingZonesResponseSchema, 'Landing zones'),
        },
      },
    },
    '/tenants': {
      get: {
        summary: 'Tenants, by workspace, site or status',
        description:
          'Every tenant for callers allowed `openstack.tenant.approve` (approvers; also backends calling with their own service token, unless it restricts them); for others, the tenants of the workspaces they are a member of (groups among their ownership refs). `workspace` stays a filter: one the caller is not a member of gives an empty list, not an error.',
        parameters: queryParameters(listTenantsQuerySchema),
        responses: {
          200: jsonResponse(listTenantsResponseSchema, 'Tenants'),
          400: errorResponse,
        },
      },
      post: {
        summary:
          'Request a tenant for a workspace the caller is a member of (approved at once within the landing zone’s auto-approval)',
        parameters: [dryRunParameter],
        requestBody: jsonBody(tenantRequestSchema),
        responses: {
          201: tenant('The tenant'),
          200: tenant(
            'With dryRun=true: the tenant as it would be (id dry-run-not-created), nothing stored',
          ),
          ...errors,
        },
      },
    },
    '/tenants/{id}': {
      get: {
        summary: 'A tenant with its history',
        description:
          'For callers allowed `openstack.tenant.approve`, and members of the tenant’s workspace; 404 for others, as for an unknown id.',
        parameters: tenantParameters,
        responses: { 200: tenant('The tenant'), ...readErrors },
      },
      delete: {
        summary:
          'Ask for deletion: bindings are revoked at once, groups (and the project, where the landing zone says so) after approval',
        parameters: tenantParameters,
        responses: { 200: tenant('The tenant'), ...errors },
      },
    },
    '/tenants/{id}/members': {
      put: {
        summary: "Replace a tenant's members",
        parameters: [...tenantParameters, dryRunParameter],
        requestBody: jsonBody(tenantMembersUpdateSchema),
        responses: { 200: tenant('The tenant'), ...errors },
      },
    },
    '/tenants/{id}/approval': {
      post: {
        summary:
          'Approve or reject a request, or a deletion (403 when approving what the caller requested)',
        parameters: tenantParameters,
        requestBody: jsonBody(approvalDecisionSchema),
        responses: { 200: tenant('The tenant'), ...errors },
      },
    },
    '/sites/{namespace}/{name}/replications': {
      get: {
        summary: "A site's replication runs, newest first",
        parameters: siteParameters,
        responses: {
          200: jsonResponse(listReplicationRunsResponseSchema, 'Runs'),
          ...errors,
        },
      },
      post: {
        summary:
          "Replicate the site's tenants now (joins a running replication); `dryRun` only plans",
        parameters: siteParameters,
        requestBody: jsonBody(z.object({ dryRun: z.boolean().optional() })),
        responses: {
          200: jsonResponse(replicationRunSchema, 'The finished run'),
          ...errors,
        },
      },
    },
    '/replications/{id}': {
      get: {
        summary:
          'One replication run: steps, remarks, warnings and errors per tenant',
        description:
          'The whole run for callers allowed `openstack.replication.run` (and backends); for members of a workspace with a tenant in the run, the run with only those tenants and their steps; 404 for others, as for an unknown id.',
        parameters: [pathParameter('id')],
        responses: {
          200: jsonResponse(replicationRunSchema, 'The run'),
          ...readErrors,
        },
      },
    },
  };
}
