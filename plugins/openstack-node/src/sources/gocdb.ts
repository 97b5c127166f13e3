import { z } from 'zod';
import { EvidenceSink } from '../client/evidence';
import { HttpError, OpenStackHttp } from '../client/http';
import { getFollowingSameHost } from './followSameHost';
import { childText, parseXml, XmlElement } from './xml';

/**
 * GOCDB's public API (`https://goc.egi.eu/gocdbpi/public/`): `?method=get_service_endpoint&
 * sitename=<site>` lists a site's services as XML:
 *
 * ```xml
 * <results>
 *   <SERVICE_ENDPOINT PRIMARY_KEY="1234G0">
 *     <PRIMARY_KEY>1234G0</PRIMARY_KEY> <HOSTNAME>…</HOSTNAME>
 *     <SERVICE_TYPE>org.openstack.nova</SERVICE_TYPE>
 *     <IN_PRODUCTION>Y</IN_PRODUCTION> <NODE_MONITORED>Y</NODE_MONITORED>
 *     <SITENAME>…</SITENAME> <URL>https://keystone.example.org:5000/v3</URL>
 *     <ENDPOINTS><ENDPOINT><ID/><NAME/><URL/><INTERFACENAME/><ENDPOINT_MONITORED/></ENDPOINT></ENDPOINTS>
 *     <SCOPES><SCOPE>EGI</SCOPE></SCOPES> <EXTENSIONS/>
 *   </SERVICE_ENDPOINT>
 * </results>
 * ```
 *
 * The XML is read by ./xml.ts.
 */

export const gocdbEndpointSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  interfaceName: z.string(),
  monitored: z.string(),
});

export const gocdbServiceSchema = z.object({
  primaryKey: z.string().min(1),
  hostname: z.string(),
  serviceType: z.string().min(1),
  url: z.string(),
  inProduction: z.string(),
  nodeMonitored: z.string(),
  siteName: z.string(),
  scopes: z.array(z.string()),
  endpoints: z.array(gocdbEndpointSchema),
});
export type GocdbService = z.infer<typeof gocdbServiceSchema>;

/** `<results>` of get_service_endpoint, as services; paging `<meta>` is ignored (a site fits a page). */
export const gocdbServiceEndpointsSchema = z
  .string()
  .transform((xml, context) => {
    let root: XmlElement;
    try {
      root = parseXml(xml);
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: `not GOCDB's XML: ${(error as Error).message}`,
      });
      return z.NEVER;
    }
    if (root.name !== 'results') {
      context.addIssue({
        code: 'custom',
        message: `expected <results>, got <${root.name}>`,
      });
      return z.NEVER;
    }
    return root.children
      .filter(child => child.name === 'SERVICE_ENDPOINT')
      .map(service => ({
        primaryKey:
          childText(service, 'PRIMARY_KEY') ||
          service.attributes.PRIMARY_KEY ||
          '',
        hostname: childText(service, 'HOSTNAME'),
        serviceType: childText(service, 'SERVICE_TYPE'),
        url: childText(service, 'URL'),
        inProduction: childText(service, 'IN_PRODUCTION'),
        nodeMonitored: childText(service, 'NODE_MONITORED'),
        siteName: childText(service, 'SITENAME'),
        scopes: (
          service.children.find(c => c.name === 'SCOPES')?.children ?? []
        )
          .filter(c => c.name === 'SCOPE')
          .map(c => c.text),
        endpoints: (
          service.children.find(c => c.name === 'ENDPOINTS')?.children ?? []
        )
          .filter(c => c.name === 'ENDPOINT')
          .map(endpoint => ({
            id: childText(endpoint, 'ID'),
            name: childText(endpoint, 'NAME'),
            url: childText(endpoint, 'URL'),
            interfaceName: childText(endpoint, 'INTERFACENAME'),
            monitored: childText(endpoint, 'ENDPOINT_MONITORED'),
          })),
      }));
  })
  .pipe(z.array(gocdbServiceSchema));

export type GocdbLookup =
  | { ok: true; services: GocdbService[]; url: string }
  | { ok: false; error: HttpError; url: string };

/** A site's services from GOCDB's public API (no credential: the public API needs none). */
export async function gocdbServiceEndpoints(
  http: OpenStackHttp,
  baseUrl: string,
  siteName: string,
  recorder?: EvidenceSink,
): Promise<GocdbLookup> {
  const url = baseUrl;
  const result = await getFollowingSameHost(
    http,
    {
      url,
      query: { method: 'get_service_endpoint', sitename: siteName },
      parseAs: 'text',
      schema: gocdbServiceEndpointsSchema,
    },
    recorder,
  );
  return result.ok
    ? { ok: true, services: result.data, url }
    : { ok: false, error: result.error, url };
}
