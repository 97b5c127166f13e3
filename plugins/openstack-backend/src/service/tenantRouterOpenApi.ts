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
} from './openApiParts';

/** The tenant and replication routes (tenantRouter.ts) in the OpenAPI document. */

const tenantParameters = [pathParameter('id')];
const errors = {
  400: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
};
const tenant = (description: string) =>
  jsonResponse(tenantDetailSchema, description);

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
        parameters: queryParameters(listTenantsQuerySchema),
        responses: {
          200: jsonResponse(listTenantsResponseSchema, 'Tenants'),
          400: errorResponse,
        },
      },
      post: {
        summary:
          'Request a tenant for a workspace the caller is a member of (approved at once within the landing zone’s auto-approval)',
        requestBody: jsonBody(tenantRequestSchema),
        responses: { 201: tenant('The tenant'), ...errors },
      },
    },
    '/tenants/{id}': {
      get: {
        summary: 'A tenant with its history',
        parameters: tenantParameters,
        responses: { 200: tenant('The tenant'), ...errors },
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
        parameters: tenantParameters,
        requestBody: jsonBody(tenantMembersUpdateSchema),
        responses: { 200: tenant('The tenant'), ...errors },
      },
    },
    '/tenants/{id}/approval': {
      post: {
        summary: 'Approve or reject a request, or a deletion',
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
        parameters: [pathParameter('id')],
        responses: {
          200: jsonResponse(replicationRunSchema, 'The run'),
          ...errors,
        },
      },
    },
  };
}
