import { z } from 'zod';
import { EvidenceSink } from '../client/evidence';
import { HttpError, OpenStackHttp } from '../client/http';
import { getFollowingSameHost } from './followSameHost';

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
 * The package has no XML parser (fast-xml-parser is asked for): {@link parseXml} reads the
 * plain data XML GOCDB writes (elements, attributes, text, CDATA, the five named entities and
 * character references) and refuses what it has no business in an answer (a DOCTYPE, whose
 * entities are the classic XML attack), so nothing unexpected is half-understood.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (children's text not included), entities decoded, trimmed. */
  text: string;
}

export class XmlError extends Error {}

const NAME = /[A-Za-z_:][\w.:-]*/y;

/** The document's root element. Throws {@link XmlError} on anything but well-formed data XML. */
export function parseXml(source: string): XmlElement {
  let at = 0;
  const fail = (why: string): never => {
    throw new XmlError(`${why} at character ${at}`);
  };
  const skipMisc = () => {
    for (;;) {
      while (at < source.length && /\s/.test(source[at])) at++;
      if (source.startsWith('<?', at)) {
        const end = source.indexOf('?>', at);
        if (end < 0) fail('unterminated processing instruction');
        at = end + 2;
      } else if (source.startsWith('<!--', at)) {
        const end = source.indexOf('-->', at);
        if (end < 0) fail('unterminated comment');
        at = end + 3;
      } else if (
        source.startsWith('<!DOCTYPE', at) ||
        source.startsWith('<!ENTITY', at)
      ) {
        fail('a DOCTYPE is not accepted');
      } else {
        return;
      }
    }
  };
  const readName = (): string => {
    NAME.lastIndex = at;
    const match = NAME.exec(source);
    if (!match) return fail('expected a name');
    at += match[0].length;
    return match[0];
  };
  const element = (): XmlElement => {
    if (source[at] !== '<') fail('expected an element');
    at++;
    const name = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      while (/\s/.test(source[at] ?? '')) at++;
      if (source.startsWith('/>', at)) {
        at += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (source[at] === '>') {
        at++;
        break;
      }
      if (at >= source.length) fail(`unterminated <${name}>`);
      const attribute = readName();
      while (/\s/.test(source[at] ?? '')) at++;
      if (source[at] !== '=') fail(`attribute ${attribute} without value`);
      at++;
      while (/\s/.test(source[at] ?? '')) at++;
      const quote = source[at];
      if (quote !== '"' && quote !== "'") fail('unquoted attribute value');
      const end = source.indexOf(quote, at + 1);
      if (end < 0) fail('unterminated attribute value');
      attributes[attribute] = decodeEntities(source.slice(at + 1, end), fail);
      at = end + 1;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (at >= source.length) fail(`unterminated <${name}>`);
      if (source.startsWith('</', at)) {
        at += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        while (/\s/.test(source[at] ?? '')) at++;
        if (source[at] !== '>') fail(`unterminated </${name}>`);
        at++;
        return { name, attributes, children, text: text.trim() };
      }
      if (source.startsWith('<![CDATA[', at)) {
        const end = source.indexOf(']]>', at);
        if (end < 0) fail('unterminated CDATA');
        text += source.slice(at + 9, end);
        at = end + 3;
      } else if (source.startsWith('<!--', at)) {
        const end = source.indexOf('-->', at);
        if (end < 0) fail('unterminated comment');
        at = end + 3;
      } else if (source.startsWith('<?', at)) {
        const end = source.indexOf('?>', at);
        if (end < 0) fail('unterminated processing instruction');
        at = end + 2;
      } else if (source.startsWith('<!', at)) {
        fail('a declaration is not accepted inside an element');
      } else if (source[at] === '<') {
        children.push(element());
      } else {
        const end = source.indexOf('<', at);
        const chunk = source.slice(at, end < 0 ? source.length : end);
        text += decodeEntities(chunk, fail);
        at += chunk.length;
      }
    }
  };
  // A byte order mark may lead.
  if (source.charCodeAt(0) === 0xfeff) at = 1;
  skipMisc();
  const root = element();
  skipMisc();
  if (at < source.length) fail('content after the root element');
  return root;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

function decodeEntities(text: string, fail: (why: string) => never): string {
  return text.replace(/&([^;\s&]*);?/g, (whole, entity: string) => {
    if (!whole.endsWith(';')) return fail('a bare & in text');
    if (entity in NAMED_ENTITIES) return NAMED_ENTITIES[entity];
    const numeric = /^#(x[0-9a-fA-F]+|\d+)$/.exec(entity);
    if (numeric) {
      const code = numeric[1].startsWith('x')
        ? parseInt(numeric[1].slice(1), 16)
        : parseInt(numeric[1], 10);
      if (code > 0 && code <= 0x10ffff) return String.fromCodePoint(code);
    }
    return fail(`unknown entity &${entity};`);
  });
}

/** The text of an element's first child of that name ('' when absent or empty). */
function childText(element: XmlElement, name: string): string {
  return element.children.find(child => child.name === name)?.text ?? '';
}

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
