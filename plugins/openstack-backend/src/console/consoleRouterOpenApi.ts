import { z } from 'zod';
import {
  consoleMessageSchema,
  consoleRequestSchema,
} from '@fedstack/plugin-openstack-common';
import { errorResponse, jsonBody, siteParameters } from '../http/openApiParts';

/** The console route (consoleRouter.ts) in the OpenAPI document (http/openapi.ts). */

export function consoleOpenApiPaths() {
  return {
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
