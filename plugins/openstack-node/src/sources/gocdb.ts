import { z } from 'zod';
import { EvidenceSink } from '../client/evidence';
import { HttpError, OpenStackHttp } from '../client/http';
import { getFollowingSameHost } from './followSameHost';
import { childText, parseXml, XmlElement } from './xml';

/**
 * GOCDB's public API (`https://goc.egi.eu/gocdbpi/public/`, documented at
 * https://gocdb.github.io/api/read/), the one reader for the registration check and the
 * catalog module's GOCDB site provider. `?method=get_service_endpoint&service_type=<type>` (or
 * `&sitename=<site>`) lists services as XML:
 *
 * ```xml
 * <results>
 *   <meta>…</meta>                          <!-- only when paging was asked for, see below -->
 *   <SERVICE_ENDPOINT PRIMARY_KEY="1234G0">
 *     <PRIMARY_KEY>1234G0</PRIMARY_KEY> <HOSTNAME>…</HOSTNAME>
 *     <SERVICE_TYPE>org.openstack.nova</SERVICE_TYPE>
 *     <IN_PRODUCTION>Y</IN_PRODUCTION> <NODE_MONITORED>Y</NODE_MONITORED>
 *     <SITENAME>…</SITENAME> <COUNTRY_NAME>…</COUNTRY_NAME> <ROC_NAME>…</ROC_NAME>
 *     <URL>https://keystone.example.org:5000/v3</URL>   <!-- or <URL/>, the URL on an endpoint -->
 *     <ENDPOINTS><ENDPOINT><ID/><NAME/><URL/><INTERFACENAME/><ENDPOINT_MONITORED/></ENDPOINT></ENDPOINTS>
 *     <SCOPES><SCOPE>EGI</SCOPE></SCOPES> <EXTENSIONS/>
 *   </SERVICE_ENDPOINT>
 * </results>
 * ```
 *
 * A service's Keystone URL is its own `<URL>` or its endpoints' (GOCDB keeps either;
 * cloud-info-provider reads both). Paging is off unless asked for; a GOCDB that pages anyway
 * adds `<meta>` with `<count>` and `<link rel="next" href="…&next_cursor=N"/>`, followed here
 * until a page counts 0 or has no next link. `get_site` and `get_site_list` list sites, their
 * NAME, PRIMARY_KEY, COUNTRY and ROC as attributes (get_site_list) or children (get_site).
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
  country: z.string().optional(),
  roc: z.string().optional(),
  scopes: z.array(z.string()),
  endpoints: z.array(gocdbEndpointSchema),
});
export type GocdbService = z.infer<typeof gocdbServiceSchema>;

export const gocdbSiteSchema = z.object({
  name: z.string().min(1),
  primaryKey: z.string(),
  country: z.string().optional(),
  roc: z.string().optional(),
});
export type GocdbSite = z.infer<typeof gocdbSiteSchema>;

/** A service's URLs: its own, then its endpoints' (empty ones left out). */
export function gocdbServiceUrls(service: GocdbService): string[] {
  return [service.url, ...service.endpoints.map(e => e.url)].filter(
    url => url.trim() !== '',
  );
}

/** The `<results>` root of an answer, or why it is not one. */
function resultsOf(
  xml: string,
  context: z.core.$RefinementCtx,
): XmlElement | undefined {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (error) {
    context.addIssue({
      code: 'custom',
      message: `not GOCDB's XML: ${(error as Error).message}`,
    });
    return undefined;
  }
  if (root.name !== 'results') {
    context.addIssue({
      code: 'custom',
      message: `expected <results>, got <${root.name}>`,
    });
    return undefined;
  }
  return root;
}

function readService(service: XmlElement): z.input<typeof gocdbServiceSchema> {
  const list = (name: string, item: string) =>
    (service.children.find(c => c.name === name)?.children ?? []).filter(
      c => c.name === item,
    );
  return {
    primaryKey:
      childText(service, 'PRIMARY_KEY') || service.attributes.PRIMARY_KEY || '',
    hostname: childText(service, 'HOSTNAME'),
    serviceType: childText(service, 'SERVICE_TYPE'),
    url: childText(service, 'URL'),
    inProduction: childText(service, 'IN_PRODUCTION'),
    nodeMonitored: childText(service, 'NODE_MONITORED'),
    siteName: childText(service, 'SITENAME'),
    country: childText(service, 'COUNTRY_NAME') || undefined,
    roc: childText(service, 'ROC_NAME') || undefined,
    scopes: list('SCOPES', 'SCOPE').map(c => c.text),
    endpoints: list('ENDPOINTS', 'ENDPOINT').map(endpoint => ({
      id: childText(endpoint, 'ID'),
      name: childText(endpoint, 'NAME'),
      url: childText(endpoint, 'URL'),
      interfaceName: childText(endpoint, 'INTERFACENAME'),
      monitored: childText(endpoint, 'ENDPOINT_MONITORED'),
    })),
  };
}

/** Paging `<meta>`: the next page's URL when there may be one. */
function nextPage(root: XmlElement): string | undefined {
  const meta = root.children.find(child => child.name === 'meta');
  if (!meta) return undefined;
  const count = Number(childText(meta, 'count'));
  if (Number.isFinite(count) && count === 0) return undefined;
  return meta.children.find(
    child => child.name === 'link' && child.attributes.rel === 'next',
  )?.attributes.href;
}

/** One page of get_service_endpoint: its services and the next page's URL, if any. */
export const gocdbServicePageSchema = z
  .string()
  .transform((xml, context) => {
    const root = resultsOf(xml, context);
    if (!root) return z.NEVER;
    const page: {
      services: z.input<typeof gocdbServiceSchema>[];
      next?: string;
    } = {
      services: root.children
        .filter(child => child.name === 'SERVICE_ENDPOINT')
        .map(readService),
    };
    const next = nextPage(root);
    if (next) page.next = next;
    return page;
  })
  .pipe(
    z.object({
      services: z.array(gocdbServiceSchema),
      next: z.string().optional(),
    }),
  );

/** `<results>` of get_service_endpoint, as services (one page). */
export const gocdbServiceEndpointsSchema = gocdbServicePageSchema.transform(
  page => page.services,
);

/** `<results>` of get_site or get_site_list, as sites; a `<SITE>` without a NAME is skipped. */
export const gocdbSitesSchema = z
  .string()
  .transform((xml, context) => {
    const root = resultsOf(xml, context);
    if (!root) return z.NEVER;
    const value = (site: XmlElement, name: string) =>
      (site.attributes[name] ?? childText(site, name)).trim() || undefined;
    return root.children
      .filter(child => child.name === 'SITE')
      .map(
        (site): z.input<typeof gocdbSiteSchema> => ({
          name: value(site, 'NAME') ?? childText(site, 'SHORT_NAME'),
          primaryKey: value(site, 'PRIMARY_KEY') ?? value(site, 'ID') ?? '',
          country: value(site, 'COUNTRY'),
          roc: value(site, 'ROC'),
        }),
      )
      .filter(site => site.name !== '');
  })
  .pipe(z.array(gocdbSiteSchema));

export type GocdbLookup<T> =
  | { ok: true; value: T; url: string; pages: number }
  | { ok: false; error: HttpError; url: string };

/** Most pages followed: GOCDB's pages hold 100 services, EGI has a few hundred of a type. */
export const MAX_GOCDB_PAGES = 100;

function requestUrl(baseUrl: string, query: Record<string, string>): string {
  const url = new URL(baseUrl);
  for (const [key, value] of Object.entries(query)) {
    url.searchParams.set(key, value);
  }
  return url.href;
}

/**
 * Every service `query` selects (`{service_type}` or `{sitename}`), following GOCDB's paging
 * on the same host. No credential: the public API needs none.
 */
export async function gocdbServices(
  http: OpenStackHttp,
  baseUrl: string,
  query: Record<string, string>,
  recorder?: EvidenceSink,
): Promise<GocdbLookup<GocdbService[]>> {
  let url: string;
  try {
    url = requestUrl(baseUrl, { method: 'get_service_endpoint', ...query });
  } catch {
    return {
      ok: false,
      url: baseUrl,
      error: { kind: 'network', message: `not a URL: ${baseUrl}` },
    };
  }
  const first = url;
  const services: GocdbService[] = [];
  const seen = new Set<string>();
  for (let pages = 1; ; pages++) {
    seen.add(url);
    const result = await getFollowingSameHost(
      http,
      { url, parseAs: 'text', schema: gocdbServicePageSchema },
      recorder,
    );
    if (!result.ok) return { ok: false, error: result.error, url };
    services.push(...result.data.services);
    const next = result.data.next;
    if (!next) return { ok: true, value: services, url: first, pages };
    let nextUrl: URL;
    try {
      nextUrl = new URL(next, url);
    } catch {
      nextUrl = new URL('invalid:');
    }
    let problem: string | undefined;
    if (nextUrl.host !== new URL(first).host) {
      problem = `its next page is on another host (${next})`;
    } else if (seen.has(nextUrl.href)) {
      problem = `its next page repeats a page read (${next})`;
    } else if (pages >= MAX_GOCDB_PAGES) {
      problem = `it has more than ${MAX_GOCDB_PAGES} pages`;
    }
    if (problem) {
      return {
        ok: false,
        url: first,
        error: { kind: 'parse', message: `GOCDB's paging stopped: ${problem}` },
      };
    }
    url = nextUrl.href;
  }
}

/** GOCDB's sites (`get_site_list`, or `get_site` when asked), one read. */
export async function gocdbSites(
  http: OpenStackHttp,
  baseUrl: string,
  method: 'get_site_list' | 'get_site' = 'get_site_list',
  recorder?: EvidenceSink,
): Promise<GocdbLookup<GocdbSite[]>> {
  let url: string;
  try {
    url = requestUrl(baseUrl, { method });
  } catch {
    return {
      ok: false,
      url: baseUrl,
      error: { kind: 'network', message: `not a URL: ${baseUrl}` },
    };
  }
  const result = await getFollowingSameHost(
    http,
    { url, parseAs: 'text', schema: gocdbSitesSchema },
    recorder,
  );
  return result.ok
    ? { ok: true, value: result.data, url, pages: 1 }
    : { ok: false, error: result.error, url };
}
