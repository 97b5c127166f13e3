import { z } from 'zod';
import {
  consoleAccountSchema,
  consoleMessageSchema,
  consoleRequestSchema,
} from '@fedstack/plugin-openstack-common';
import {
  errorResponse,
  jsonBody,
  jsonResponse,
  siteParameters,
} from '../http/openApiParts';

/** The console route (consoleRouter.ts) in the OpenAPI document (http/openapi.ts). */

export function consoleOpenApiPaths() {
  return {
    '/sites/{namespace}/{name}/console/account': {
      get: {
        summary:
          'The account the site console runs with, named (never its secret), for who may use the console',
        parameters: siteParameters,
        responses: {
          200: jsonResponse(consoleAccountSchema, 'The account'),
          400: errorResponse,
          403: errorResponse,
          404: errorResponse,
        },
      },
    },
    '/sites/{namespace}/{name}/console': {
      post: {
        summary:
          'Run one read-only console command on the site (refusals are answers too)',
        parameters: siteParameters,
        requestBody: jsonBody(consoleRequestSchema),
        responses: {
          200: {
            description:
              'NDJSON: `line` messages as the command writes them, then one `end`',
            content: {
              'application/x-ndjson': {
                schema: z.toJSONSchema(consoleMessageSchema, {
                  io: 'output',
                }),
              },
            },
          },
          400: errorResponse,
          403: errorResponse,
          404: errorResponse,
        },
      },
    },
  };
}
