import http, { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fc from 'fast-check';
import request from 'supertest';

/** Generators of hostile input shared by the API's fuzz tests. */

/** Percent-encodes every byte but the unreserved ones (lone surrogates become U+FFFD). */
export const percent = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map(byte => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9_.~-]/.test(char)
        ? char
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');

/** Any text, binary and graphemes, and the strings that break naive parsers. */
export const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ unit: 'grapheme', maxLength: 32 }),
  fc.constantFrom(
    '',
    '..',
    '.',
    '__proto__',
    'constructor',
    'hasOwnProperty',
    '\u0000',
    '\ud800',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '${jndi:ldap://x}',
    'NaN',
    'Infinity',
    '-0',
    '1e309',
    '9007199254740993',
    'null',
    'true',
    '[]',
    '{}',
    'a'.repeat(10_000),
  ),
  fc.bigInt().map(String),
  fc.double().map(String),
  fc.uuid(),
);

/** A path segment: well-encoded hostile text, a valid-looking value, or a broken %-encoding. */
export const segment = (...valid: string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: hostileText.map(percent) },
    { weight: 2, arbitrary: fc.constantFrom(...valid, ...valid.map(percent)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '%',
        '%zz',
        '%E0%A4%A',
        '%C0%AF',
        '%00',
        '%2F',
        '%2e%2e',
        '%FF%FE',
        '%ED%A0%80',
      ),
    },
  );

/** A query string of these keys and values (and hostile ones), keys repeated at times. */
export const queryStringOf = (keys: string[], values: string[]) =>
  fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...keys), hostileText),
        fc.oneof(fc.constantFrom(...values), hostileText),
      ),
      { maxLength: 4 },
    )
    .map(pairs =>
      pairs.length === 0
        ? ''
        : `?${pairs.map(([k, v]) => `${percent(k)}=${percent(v)}`).join('&')}`,
    );

/** A body as sent: its content type and its text. */
export interface SentBody {
  type: string;
  text: string;
}

/** A JSON body of this value. */
export const jsonBody = (value: unknown): SentBody => ({
  type: 'application/json',
  text: JSON.stringify(value),
});

/**
 * Any body: JSON of any shape, text in other content types, JSON nested too deep, and JSON just
 * over `tooLargeBytes` (the route's body limit).
 */
export const anyBody = (tooLargeBytes: number) =>
  fc.oneof(
    fc.jsonValue().map(jsonBody),
    fc.record({
      type: fc.constantFrom(
        'application/json',
        'application/json; charset=utf-16',
        'application/json; charset=bogus',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
      ),
      text: hostileText,
    }),
    fc.constant(jsonBody({ a: 'x'.repeat(tooLargeBytes + 6 * 1024) })),
    fc.constant({ type: 'application/json', text: '{"a":'.repeat(5000) }),
  );

/** Sends a request under `/api/openstack`; throws (the property fails) on any answer not 2xx–4xx. */
export async function expectNo5xx(
  server: Server,
  method: 'get' | 'post' | 'put' | 'delete',
  path: string,
  sent?: SentBody,
) {
  let call = request(server)[method](`/api/openstack${path}`);
  if (sent) call = call.set('Content-Type', sent.type).send(sent.text);
  const response = await call;
  if (response.status >= 500 || response.status < 200) {
    throw new Error(
      `${method.toUpperCase()} ${path} answered ${
        response.status
      }: ${response.text.slice(0, 500)}`,
    );
  }
  return response;
}

/**
 * Dot segments as a client may send them in a site's namespace or name. The real catalog client
 * puts the name in a URL unencoded, so `..` turned a lookup into a read of every entity.
 */
export const DOT_SEGMENTS = [
  '.',
  '..',
  '...',
  '%2e',
  '%2e%2e',
  '%2E%2E',
  '.%2e',
  '%2e.',
];
export const dotSegment = fc.constantFrom(...DOT_SEGMENTS);

/** The in-memory catalog, recording every entity ref and query the plugin asks it for. */
export function recordingCatalog(entities: Entity[]) {
  const catalog = catalogServiceMock({ entities });
  const asked: string[] = [];
  const getEntityByRef = catalog.getEntityByRef.bind(catalog);
  catalog.getEntityByRef = async (ref: string | CompoundEntityRef, options) => {
    asked.push(typeof ref === 'string' ? ref : stringifyEntityRef(ref));
    return getEntityByRef(ref, options);
  };
  return {
    asked,
    /** Asked refs with a dot segment as namespace or name. */
    dotted: () =>
      asked.filter(ref => ref.split(/[:/]/).some(part => /^\.+$/.test(part))),
    factory: createServiceFactory({
      service: catalogServiceRef,
      deps: {},
      factory: () => catalog,
    }),
  };
}

/** A request the API must refuse with 400 naming `part`, before asking the catalog anything. */
export async function expectRefusedBeforeCatalog(
  server: Server,
  catalog: { asked: string[] },
  method: 'get' | 'post' | 'put' | 'delete',
  path: string,
  part: string,
  sent?: SentBody,
) {
  const before = catalog.asked.length;
  let call = request(server)[method](`/api/openstack${path}`);
  if (sent) call = call.set('Content-Type', sent.type).send(sent.text);
  const response = await call;
  if (response.status !== 400 || !response.body?.error?.message?.includes(part))
    throw new Error(
      `${method.toUpperCase()} ${path} answered ${
        response.status
      }, not 400 naming ${part}: ${response.text.slice(0, 500)}`,
    );
  if (catalog.asked.length !== before)
    throw new Error(
      `${method.toUpperCase()} ${path} asked the catalog for ${catalog.asked
        .slice(before)
        .join(', ')}`,
    );
}

/** `[namespace, name, the part a 400 must name]` with a dot segment in either part, or both. */
export function dotSegmentSites(
  namespace: string,
  name: string,
): Array<[string, string, string]> {
  return DOT_SEGMENTS.flatMap(
    (dots): Array<[string, string, string]> => [
      [dots, name, 'namespace: not an entity namespace'],
      [namespace, dots, 'name: not an entity name'],
      [dots, dots, 'namespace: not an entity namespace'],
    ],
  );
}

/**
 * A Keystone on loopback that refuses every request (401) and records each as `METHOD url`: a
 * site's credentials reach it, and nothing past it, whatever a fuzz case makes the backend do.
 */
export async function startRefusingKeystone(): Promise<{
  server: Server;
  /** Its `/v3` URL, for the site entity. */
  url: string;
  hits: string[];
}> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(401, { 'Content-Type': 'application/json' });
    res.end('{"error":{"code":401,"message":"stand-in"}}');
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const port = (server.address() as AddressInfo).port;
  return { server, url: `http://127.0.0.1:${port}/v3`, hits };
}
