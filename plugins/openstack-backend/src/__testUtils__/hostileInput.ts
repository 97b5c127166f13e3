import { Server } from 'node:http';
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
