import {
  listWaiversQuerySchema,
  listWaiversResponseSchema,
  waiverDecisionSchema,
  waiverRequestSchema,
  waiverSchema,
} from '@fedstack/plugin-openstack-common';
import {
  errorResponse,
  jsonBody,
  jsonResponse,
  pathParameter,
  queryParameters,
  siteParameters,
} from '../http/openApiParts';

/** The waiver routes (waiverRouter.ts) in the OpenAPI document (http/openapi.ts). */
export function waiverOpenApiPaths() {
  const errors = { 400: errorResponse, 403: errorResponse, 404: errorResponse };
  return {
    '/sites/{namespace}/{name}/waivers': {
      get: {
        summary: "A site's waivers (open ones, or all with state=all)",
        parameters: [
          ...siteParameters,
          ...queryParameters(listWaiversQuerySchema),
        ],
        responses: {
          200: jsonResponse(listWaiversResponseSchema, 'The waivers'),
          ...errors,
        },
      },
      post: {
        summary:
          "Ask to waive one check on the site until a date (the site's owners)",
        parameters: siteParameters,
        requestBody: jsonBody(waiverRequestSchema),
        responses: {
          201: jsonResponse(waiverSchema, 'The pending waiver'),
          409: errorResponse,
          ...errors,
        },
      },
    },
    '/waivers': {
      get: {
        summary: 'Waivers of every site the caller may read',
        parameters: queryParameters(listWaiversQuerySchema),
        responses: {
          200: jsonResponse(listWaiversResponseSchema, 'The waivers'),
          400: errorResponse,
        },
      },
    },
    '/waivers/{id}/decision': {
      post: {
        summary:
          'Approve or reject a pending waiver (approvers, not the requester)',
        parameters: [pathParameter('id')],
        requestBody: jsonBody(waiverDecisionSchema),
        responses: {
          200: jsonResponse(waiverSchema, 'The decided waiver'),
          409: errorResponse,
          ...errors,
        },
      },
    },
    '/waivers/{id}': {
      delete: {
        summary:
          'End a pending or approved waiver early (its requester, the site’s owners, approvers)',
        parameters: [pathParameter('id')],
        responses: {
          200: jsonResponse(waiverSchema, 'The revoked waiver'),
          409: errorResponse,
          ...errors,
        },
      },
    },
  };
}
