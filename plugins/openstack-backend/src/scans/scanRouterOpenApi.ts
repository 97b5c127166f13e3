import { z } from 'zod';
import {
  checkResultResponseSchema,
  healthResponseSchema,
  rollupQuerySchema,
  rollupResponseSchema,
  listChecksResponseSchema,
  listProfilesResponseSchema,
  listSitesResponseSchema,
  scanDetailResponseSchema,
  scanEventSchema,
  scanSummarySchema,
  siteDetailResponseSchema,
  triggerScanResponseSchema,
} from '@fedstack/plugin-openstack-common';
import {
  errorResponse,
  jsonResponse,
  queryParameters,
  siteParameters,
} from '../http/openApiParts';

/** The scan routes (scanRouter.ts) in the OpenAPI document (http/openapi.ts). */

const scanParameters = [
  {
    name: 'id',
    in: 'path',
    required: true,
    schema: { type: 'string', format: 'uuid' },
  },
];

export function scanOpenApiPaths() {
  return {
    '/health': {
      get: {
        responses: {
          200: jsonResponse(healthResponseSchema, 'The plugin is up'),
        },
      },
    },
    '/profiles': {
      get: {
        summary:
          'The profiles scans score: built in, and those backend modules add',
        responses: {
          200: jsonResponse(listProfilesResponseSchema, 'The profiles'),
        },
      },
    },
    '/checks': {
      get: {
        summary:
          'Every check scans can run (built in and added), in report order',
        responses: {
          200: jsonResponse(listChecksResponseSchema, 'The checks'),
        },
      },
    },
    '/rollups': {
      get: {
        summary:
          'The sites the caller may read grouped by owner or NGI: per profile, how many are ready, not ready, not evaluated, not scanned, now and some days ago',
        parameters: queryParameters(rollupQuerySchema),
        responses: {
          200: jsonResponse(rollupResponseSchema, 'The groups'),
          400: errorResponse,
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
          "A site's latest results (evidence summarized, details naming accounts or people withheld) and score history",
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
    '/scans/{id}': {
      get: {
        summary:
          'A scan and its results (evidence summarized, details naming accounts or people withheld)',
        parameters: scanParameters,
        responses: {
          200: jsonResponse(scanDetailResponseSchema, 'A scan and its results'),
          400: errorResponse,
          403: errorResponse,
          404: errorResponse,
        },
      },
    },
    '/scans/{id}/checks/{checkId}': {
      get: {
        summary:
          'One check result of a scan with its evidence: headers, bodies and every detail for those who may scan the site (evidenceDetail full), a summary without the details naming accounts or people and the reason for others (evidenceDetail summary)',
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
  };
}
