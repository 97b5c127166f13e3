import { consoleOpenApiPaths } from '../console/consoleRouterOpenApi';
import { meteringOpenApiPaths } from '../metering/meteringRouterOpenApi';
import { tenantOpenApiPaths } from '../tenants/tenantRouterOpenApi';
import { scanOpenApiPaths } from '../scans/scanRouterOpenApi';
import { waiverOpenApiPaths } from '../waivers/waiverRouterOpenApi';

/**
 * The REST API's OpenAPI 3.1 document, made from the same zod schemas the routes answer with
 * and the frontend parses: it cannot drift from them.
 */

export function openApiDocument(baseUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'fedstack OpenStack API',
      version: '1',
      description:
        "Compliance scans of OpenStack sites: scores, results with evidence, history, scans on demand. Site, scan and export reads answer each check's result as every reader of the site sees it: its evidence summarized (method, URL without the user names and ids it asked about, status, duration, error) and its details without those that name accounts or people (listed in `withheldDetails`); `GET /scans/{id}/checks/{checkId}` has one check's full result, its request and response headers and bodies and all its details, for the site's owners (who may scan it) only.",
    },
    servers: [{ url: baseUrl }],
    paths: {
      ...scanOpenApiPaths(),
      ...consoleOpenApiPaths(),
      ...meteringOpenApiPaths(),
      ...tenantOpenApiPaths(),
      ...waiverOpenApiPaths(),
    },
  };
}
