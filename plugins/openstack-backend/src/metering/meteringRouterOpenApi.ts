import {
  meteringRunResponseSchema,
  projectUsageResponseSchema,
  projectWorkloadsResponseSchema,
  usageQuerySchema,
} from '@fedstack/plugin-openstack-common';
import {
  errorResponse,
  jsonResponse,
  pathParameter,
  queryParameters,
  siteParameters,
} from '../http/openApiParts';

/** The metering routes (meteringRouter.ts) in the OpenAPI document (http/openapi.ts). */

const projectParameters = [...siteParameters, pathParameter('projectId')];
const errors = { 400: errorResponse, 403: errorResponse, 404: errorResponse };

export function meteringOpenApiPaths() {
  return {
    '/sites/{namespace}/{name}/projects/{projectId}/usage': {
      get: {
        summary:
          "A project's metering samples over a period (default the last 7 days, at most 366) and the hours it used",
        parameters: [
          ...projectParameters,
          ...queryParameters(usageQuerySchema),
        ],
        responses: {
          200: jsonResponse(projectUsageResponseSchema, 'Samples and usage'),
          ...errors,
        },
      },
    },
    '/sites/{namespace}/{name}/projects/{projectId}/workloads': {
      get: {
        summary:
          "The project's servers created by EGI's Infrastructure Manager (eu.egi.cloud.orchestrator* properties), from the latest sample",
        parameters: projectParameters,
        responses: {
          200: jsonResponse(projectWorkloadsResponseSchema, 'The workloads'),
          ...errors,
        },
      },
    },
    '/sites/{namespace}/{name}/metering': {
      post: {
        summary:
          "Sample the site's metered projects now, with its metering account",
        parameters: siteParameters,
        responses: {
          200: jsonResponse(meteringRunResponseSchema, 'The samples taken'),
          ...errors,
        },
      },
    },
  };
}
