import {
  childText,
  parseXml,
  XmlElement,
  XmlError,
} from '@fedstack/plugin-openstack-node';

/**
 * What the provider reads of GOCDB's public API (documented at
 * https://gocdb.github.io/api/read/, `get_site_list` and `get_service`):
 *
 * `?method=get_site_list` — one empty element per site, everything in attributes:
 *
 * ```xml
 * <results>
 *   <SITE ID="14" PRIMARY_KEY="119G0" NAME="Izola MRF" COUNTRY="Slovenia" COUNTRY_CODE="SI"
 *         ROC="NGI_SI" SUBGRID="" GIIS_URL="ldap://…"/>
 * </results>
 * ```
 *
 * `?method=get_service_endpoint&service_type=org.openstack.nova` — one element per service; for
 * `org.openstack.nova` the EGI federation registers the site's Keystone URL as the service `URL`:
 *
 * ```xml
 * <results>
 *   <SERVICE_ENDPOINT PRIMARY_KEY="1G0">
 *     <PRIMARY_KEY>1G0</PRIMARY_KEY> <HOSTNAME>…</HOSTNAME>
 *     <SERVICE_TYPE>org.openstack.nova</SERVICE_TYPE>
 *     <IN_PRODUCTION>Y</IN_PRODUCTION> <NODE_MONITORED>Y</NODE_MONITORED>
 *     <SITENAME>…</SITENAME> <COUNTRY_NAME>…</COUNTRY_NAME> <ROC_NAME>…</ROC_NAME>
 *     <URL>https://keystone.example.org:5000/v3</URL>
 *     <ENDPOINTS>…</ENDPOINTS> <SCOPES><SCOPE>EGI</SCOPE></SCOPES> <EXTENSIONS/>
 *   </SERVICE_ENDPOINT>
 * </results>
 * ```
 *
 * Only what the provider needs is read; paging is not asked for, so no `<meta>` comes.
 */

export const NOVA_SERVICE_TYPE = 'org.openstack.nova';

export interface GocdbSite {
  name: string;
  primaryKey: string;
  country?: string;
  roc?: string;
}

export interface GocdbNovaService {
  primaryKey: string;
  hostname: string;
  siteName: string;
  url: string;
  inProduction: boolean;
  country?: string;
  roc?: string;
}

export class GocdbFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GocdbFormatError';
  }
}

function resultsOf(xml: string, method: string): XmlElement {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (error) {
    if (error instanceof XmlError) {
      throw new GocdbFormatError(
        `GOCDB ${method} answer is not XML: ${error.message}`,
      );
    }
    throw error;
  }
  if (root.name !== 'results') {
    throw new GocdbFormatError(
      `GOCDB ${method} answer: expected <results>, got <${root.name}>`,
    );
  }
  return root;
}

/** The sites of a `get_site_list` answer; a `<SITE>` without a NAME is skipped. */
export function parseGocdbSiteList(xml: string): GocdbSite[] {
  return resultsOf(xml, 'get_site_list')
    .children.filter(child => child.name === 'SITE')
    .map(site => ({
      name: (site.attributes.NAME ?? '').trim(),
      primaryKey: site.attributes.PRIMARY_KEY ?? site.attributes.ID ?? '',
      country: site.attributes.COUNTRY || undefined,
      roc: site.attributes.ROC || undefined,
    }))
    .filter(site => site.name !== '');
}

/** The `org.openstack.nova` services of a `get_service_endpoint` answer. */
export function parseGocdbNovaServices(xml: string): GocdbNovaService[] {
  return resultsOf(xml, 'get_service_endpoint')
    .children.filter(
      child =>
        child.name === 'SERVICE_ENDPOINT' &&
        childText(child, 'SERVICE_TYPE') === NOVA_SERVICE_TYPE,
    )
    .map(service => ({
      primaryKey:
        childText(service, 'PRIMARY_KEY') ||
        service.attributes.PRIMARY_KEY ||
        '',
      hostname: childText(service, 'HOSTNAME'),
      siteName: childText(service, 'SITENAME'),
      url: childText(service, 'URL'),
      inProduction: childText(service, 'IN_PRODUCTION') === 'Y',
      country: childText(service, 'COUNTRY_NAME') || undefined,
      roc: childText(service, 'ROC_NAME') || undefined,
    }));
}
