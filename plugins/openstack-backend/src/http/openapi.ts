import { z } from 'zod';
import {
  checkResultResponseSchema,
  consoleMessageSchema,
  consoleRequestSchema,
  healthResponseSchema,
  listSitesResponseSchema,
  scanDetailResponseSchema,
  scanEventSchema,
  scanSummarySchema,
  siteDetailResponseSchema,
  triggerScanResponseSchema,
} from '@fedstack/plugin-openstack-common';
import { meteringOpenApiPaths } from '../service/meteringRouterOpenApi';
import { tenantOpenApiPaths } from '../service/tenantRouterOpenApi';
import {
  errorResponse,
  jsonBody,
  jsonResponse,
  siteParameters,
} from './openApiParts';

/**
 * The REST API's OpenAPI 3.1 document, made from the same zod schemas the routes answer with
 * and the frontend parses: it cannot drift from them.
 */

const scanParameters = [
  {
    name: 'id',
    in: 'path',
    required: true,
    schema: { type: 'string', format: 'uuid' },
  },
];

export function openApiDocument(baseUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'fedstack OpenStack API',
      version: '1',
      description:
        "Compliance scans of OpenStack sites: scores, results with evidence, history, scans on demand. Site, scan and export reads summarize each check's evidence (method, URL, status, duration, error); `GET /scans/{id}/checks/{checkId}` has one check's full evidence, its request and response headers and bodies for the site's owners (who may scan it) only.",
    },
    servers: [{ url: baseUrl }],
    paths: {
      '/health': {
        get: {
          responses: {
            200: jsonResponse(healthResponseSchema, 'The plugin is up'),
          },
        },
      },
      '/sites': {
        get: {
          summary: 'Every site the caller may read, with its latest scan',
          responses: {
            200: jsonResponse(listSitesResponseSchema, 'The sites'),
          },
        },
      },
      '/sites/{namespace}/{name}': {
        get: {
          summary:
            "A site's latest results (evidence summarized) and score history",
          parameters: siteParameters,
          responses: {
            200: jsonResponse(siteDetailResponseSchema, 'The site'),
            400: errorResponse,
            403: errorResponse,
            404: errorResponse,
          },
        },
      },
      '/sites/{namespace}/{name}/scans': {
        get: {
          summary: "A site's scans, newest first",
          parameters: [
            ...siteParameters,
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 500 },
            },
          ],
          responses: {
            200: jsonResponse(
              z.object({ items: z.array(scanSummarySchema) }),
              'The scans',
            ),
            400: errorResponse,
            403: errorResponse,
          },
        },
        post: {
          summary: 'Scan the site now (joins a scan already running)',
          parameters: siteParameters,
          responses: {
            202: jsonResponse(
              triggerScanResponseSchema,
              'The scan started or joined',
            ),
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
      '/scans/{id}': {
        get: {
          summary: 'A scan and its results (evidence summarized)',
          parameters: scanParameters,
          responses: {
            200: jsonResponse(
              scanDetailResponseSchema,
              'A scan and its results',
            ),
            400: errorResponse,
            403: errorResponse,
            404: errorResponse,
          },
        },
      },
      '/scans/{id}/checks/{checkId}': {
        get: {
          summary:
            'One check result of a scan with its evidence: headers and bodies for those who may scan the site (evidenceDetail full), a summary and the reason for others (evidenceDetail summary)',
          parameters: [
            ...scanParameters,
            {
              name: 'checkId',
              in: 'path',
              required: true,
              schema: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,128}$' },
            },
          ],
          responses: {
            200: jsonResponse(
              checkResultResponseSchema,
              'The scan and the result, its evidence full or summarized',
            ),
            400: errorResponse,
            403: errorResponse,
            404: errorResponse,
          },
        },
      },
      '/scans/{id}/events': {
        get: {
          summary: 'Server-sent events of a scan until it finishes',
          parameters: scanParameters,
          responses: {
            200: {
              description:
                'text/event-stream; each event `data: <ScanEvent JSON>`',
              content: {
                'text/event-stream': {
                  schema: z.toJSONSchema(scanEventSchema, { io: 'output' }),
                },
              },
            },
          },
        },
      },
      '/export': {
        get: {
          summary: "The fleet's latest results",
          parameters: [
            {
              name: 'format',
              in: 'query',
              schema: { type: 'string', enum: ['json', 'csv', 'junit'] },
            },
          ],
          responses: {
            200: { description: 'JSON, CSV or JUnit XML, as an attachment' },
            400: errorResponse,
          },
        },
      },
      ...meteringOpenApiPaths(),
      ...tenantOpenApiPaths(),
    },
  };
}
