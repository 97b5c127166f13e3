import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import axios, { AxiosError, AxiosInstance, AxiosResponse } from 'axios';
import { z } from 'zod';
import { Evidence, EvidenceSink } from './evidence';
import { Redactor } from './redaction';
import { AddressPolicy } from './addressPolicy';

/**
 * The one place every OpenStack request goes through: bounded in time and size, never following
 * redirects, parsing JSON itself (so an HTML error page or a cut-off body is kept as evidence),
 * and never throwing for what a remote site does: every outcome is a {@link HttpResult}.
 */

export type HttpErrorKind =
  | 'network'
  | 'timeout'
  | 'http'
  | 'redirect'
  | 'parse'
  | 'schema'
  | 'too-large'
  // The address policy refused the destination: no connection was made.
  | 'refused'
  // No token could be had for the request (the token request's own error is in the message).
  | 'auth'
  // The catalog has no endpoint for the service asked for, so no request was made.
  | 'catalog'
  // The caller gave up (a console user's Ctrl+C): the request was stopped or not made.
  | 'cancelled';

export interface HttpError {
  kind: HttpErrorKind;
  message: string;
  /** HTTP status, when an answer came. */
  status?: number;
  /** Node's error code for network errors (ECONNREFUSED, CERT_HAS_EXPIRED, …). */
  code?: string;
  /** Where a redirect pointed. */
  location?: string;
}

export type HttpResult<T> =
  | {
      ok: true;
      status: number;
      data: T;
      /** Raw answer headers, lower-case names, NOT redacted: for X-Subject-Token and the like. */
      headers: Record<string, string>;
      evidence: Evidence;
    }
  | { ok: false; error: HttpError; evidence?: Evidence };

export type QueryValue = string | number | boolean | undefined;

export const CANCELLED: HttpError = {
  kind: 'cancelled',
  message: 'cancelled before an answer came',
};

export interface HttpRequest<T> {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  url: string;
  /** `true` sends a bare flag (`?include_names`), as Keystone's documentation writes them. */
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  body?: unknown;
  /** A form body (`application/x-www-form-urlencoded`), as OAuth token endpoints take; instead of `body`. */
  form?: Record<string, string>;
  schema: z.ZodType<T>;
  /** Statuses that count as success; default any 2xx. Version documents come with 300. */
  expectStatus?: number[];
  /** `text` hands the raw body to the schema (XML, HTML, a reachability probe). Default `json`. */
  parseAs?: 'json' | 'text';
}

export interface OpenStackHttpOptions {
  /** Whole-request deadline, connection included. Default 10 s. */
  timeoutMs?: number;
  /** Largest answer body read. Default 2 MB. */
  maxBodyBytes?: number;
  /** Size of body excerpts kept as evidence. Default 4 KB. */
  evidenceBodyBytes?: number;
  /** Knows the configured secrets; tokens issued later are added with {@link OpenStackHttp.addSecrets}. */
  redactor?: Redactor;
  /**
   * The CA certificates (PEM) trusted for https instead of Node's store, for sites with a private
   * or IGTF CA: a bundle, or one per certificate (`readCaCertificates` reads a CA directory).
   */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Which addresses may be connected to; by default all but link-local and "this host". */
  addressPolicy?: AddressPolicy;
  /** Gets every request's evidence (e.g. the scan's recorder). */
  recorder?: EvidenceSink;
  userAgent?: string;
}

// Answer headers worth showing: they explain an answer without repeating it.
const EVIDENCE_RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'location',
  'www-authenticate',
  'openstack-api-version',
  'x-openstack-nova-api-version',
  'x-openstack-request-id',
  'x-compute-request-id',
  'x-subject-token',
  'server',
];

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

// OpenSSL's verdicts on a chain that does not end at a trusted CA (Node's error codes).
const UNTRUSTED_CHAIN_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
]);

// An expired token may still show in the evidence of a request that was in flight.
const EXPIRED_SECRET_GRACE_MS = 60 * 60 * 1000;

// Still a bound: one site's client never opens more than this to one of the site's services.
const MAX_SOCKETS_PER_ORIGIN = 16;

export class OpenStackHttp {
  private readonly axios: AxiosInstance;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly evidenceBodyBytes: number;
  private readonly recorder?: EvidenceSink;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly addressPolicy: AddressPolicy;
  /** The CA certificates this client trusts instead of the system's, when the site has its own. */
  readonly ca?: string | Buffer | Array<string | Buffer>;
  private redactorValue: Redactor;
  // The secrets that never expire (configured, added), and tokens with their expiry.
  private lastingRedactor: Redactor;
  private expiring: Array<{ secret: string; until: Date }> = [];
  private requests = 0;

  constructor(options: OpenStackHttpOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 2 * 1024 * 1024;
    this.evidenceBodyBytes = options.evidenceBodyBytes ?? 4096;
    this.redactorValue = options.redactor ?? new Redactor();
    this.lastingRedactor = this.redactorValue;
    this.recorder = options.recorder;
    // Own agents: one connection pool per site, and closable when the site's client is done.
    this.addressPolicy = options.addressPolicy ?? new AddressPolicy();
    this.ca = options.ca;
    // Names are checked when the agents resolve them: on the address actually connected to.
    const lookup = this.addressPolicy.lookup;
    // Per origin. A scan asks Keystone up to 12 things at once (bench/fleet.mjs): with fewer
    // sockets the rest wait a whole round trip, which put one more on every scan's longest chain.
    this.httpAgent = new http.Agent({
      keepAlive: true,
      maxSockets: MAX_SOCKETS_PER_ORIGIN,
      lookup,
    });
    this.httpsAgent = new https.Agent({
      keepAlive: true,
      maxSockets: MAX_SOCKETS_PER_ORIGIN,
      ca: options.ca,
      lookup,
    });
    this.axios = axios.create({
      timeout: this.timeoutMs,
      maxRedirects: 0,
      maxContentLength: this.maxBodyBytes,
      maxBodyLength: this.maxBodyBytes,
      responseType: 'text',
      // Keep the raw text: we parse it ourselves so a bad body stays evidence.
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      // Sites are reached directly; an ambient HTTP_PROXY must not reroute (or leak) requests.
      proxy: false,
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      headers: { 'User-Agent': options.userAgent ?? 'fedstack' },
    });
  }

  get redactor(): Redactor {
    return this.redactorValue;
  }

  /** Requests made so far (the benchmark reports it per scan). */
  get requestCount(): number {
    return this.requests;
  }

  /** Secrets learnt after start (OIDC access tokens) are redacted from then on. */
  addSecrets(...secrets: Array<string | undefined>): void {
    this.redactorValue = this.redactorValue.with(...secrets);
    this.lastingRedactor = this.lastingRedactor.with(...secrets);
  }

  /**
   * A secret that stops being one (a token, at its expiry): redacted until an hour after
   * `until`, then forgotten, so a long-lived client's redactor does not grow with every token.
   */
  addExpiringSecret(secret: string, until: Date, now = Date.now()): void {
    this.expiring = this.expiring.filter(
      entry => entry.until.getTime() + EXPIRED_SECRET_GRACE_MS > now,
    );
    this.expiring.push({ secret, until });
    this.redactorValue = this.lastingRedactor.with(
      ...this.expiring.map(entry => entry.secret),
    );
  }

  /** How many secrets the redactor knows (the configured ones, and tokens not long expired). */
  get secretCount(): number {
    return this.redactorValue.size;
  }

  /** Frees the connection pools. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** `signal`: the caller's cancel; the request is stopped (or not made) with a `cancelled` error. */
  async request<T>(
    req: HttpRequest<T>,
    recorder?: EvidenceSink,
    signal?: AbortSignal,
  ): Promise<HttpResult<T>> {
    if (signal?.aborted) return { ok: false, error: CANCELLED };
    this.requests += 1;
    const method = req.method ?? 'GET';
    const url = withQuery(req.url, req.query);
    const headers: Record<string, string> = {
      Accept: req.parseAs === 'text' ? '*/*' : 'application/json',
      ...(req.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(req.form !== undefined
        ? { 'Content-Type': 'application/x-www-form-urlencoded' }
        : {}),
      ...req.headers,
    };
    let requestBody: string | undefined;
    // A form's secrets (client_secret, refresh_token) are redacted by name in the evidence.
    let evidenceBody: string | undefined;
    if (req.form !== undefined) {
      requestBody = new URLSearchParams(req.form).toString();
      evidenceBody = new URLSearchParams(
        this.redactor.json(req.form) as Record<string, string>,
      ).toString();
    } else if (req.body !== undefined) {
      requestBody = JSON.stringify(req.body);
      evidenceBody = requestBody;
    }
    const started = Date.now();
    let response: AxiosResponse<string> | undefined;
    let failure: HttpError | undefined = this.refusedLiteral(url);
    if (!failure) {
      // axios' own timeout is a socket idle timeout; this deadline also bounds a slow drip.
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), this.timeoutMs);
      try {
        response = await this.axios.request<string>({
          method,
          url,
          headers,
          data: requestBody,
          signal: signal
            ? AbortSignal.any([deadline.signal, signal])
            : deadline.signal,
        });
      } catch (error) {
        failure = signal?.aborted
          ? CANCELLED
          : this.classifyFailure(error, deadline.signal.aborted);
      } finally {
        clearTimeout(timer);
      }
    }

    const evidence = this.evidence({
      started,
      method,
      url,
      headers,
      requestBody: evidenceBody,
      response,
      error: failure,
    });
    const result = failure
      ? ({ ok: false, error: failure, evidence } as const)
      : this.judge(req, response!, evidence);
    if (!result.ok) evidence.error = result.error.message;
    this.recorder?.record(evidence);
    recorder?.record(evidence);
    return result;
  }

  /**
   * Judges an answer read once as text, whatever its status (a read several checks share), as
   * a request for `expected` would have: the same statuses, parsing, schema and messages.
   */
  judgeAnswer<T>(
    expected: Pick<HttpRequest<T>, 'schema' | 'expectStatus' | 'parseAs'>,
    answer: {
      status: number;
      headers: Record<string, string>;
      data: string;
      evidence: Evidence;
    },
  ): HttpResult<T> {
    return this.judge(expected, answer, answer.evidence);
  }

  private judge<T>(
    req: Pick<HttpRequest<T>, 'schema' | 'expectStatus' | 'parseAs'>,
    response: Pick<AxiosResponse<string>, 'status' | 'headers' | 'data'>,
    evidence: Evidence,
  ): HttpResult<T> {
    const status = response.status;
    const headers = plainHeaders(response.headers);
    const expected = req.expectStatus
      ? req.expectStatus.includes(status)
      : status >= 200 && status < 300;
    if (!expected) {
      if (REDIRECT_STATUSES.has(status)) {
        const location = headers.location;
        return {
          ok: false,
          error: {
            kind: 'redirect',
            status,
            location: location && this.redactor.text(location),
            message: `HTTP ${status} redirect to ${
              location ? this.redactor.text(location) : '(no location)'
            }: not followed`,
          },
          evidence,
        };
      }
      return {
        ok: false,
        error: {
          kind: 'http',
          status,
          message: `HTTP ${status}${describeErrorBody(
            response.data,
            this.redactor,
          )}`,
        },
        evidence,
      };
    }

    const text = typeof response.data === 'string' ? response.data : '';
    let body: unknown = req.parseAs === 'text' ? text : undefined;
    if (req.parseAs !== 'text' && text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch (error) {
        return {
          ok: false,
          error: {
            kind: 'parse',
            status,
            message: `HTTP ${status} answer is not JSON (${
              headers['content-type'] ?? 'no content-type'
            }): ${(error as Error).message}`,
          },
          evidence,
        };
      }
    }
    const parsed = req.schema.safeParse(body);
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          kind: 'schema',
          status,
          message: `unexpected answer: ${describeIssues(parsed.error)}`,
        },
        evidence,
      };
    }
    return { ok: true, status, data: parsed.data, headers, evidence };
  }

  // An IP address in the URL is never looked up: the policy is applied here instead.
  private refusedLiteral(url: string): HttpError | undefined {
    let hostname: string;
    try {
      hostname = new URL(url).hostname.replace(/^\[|\]$/g, '');
    } catch {
      return undefined; // axios reports the bad URL itself
    }
    if (!net.isIP(hostname)) return undefined;
    const refusal = this.addressPolicy.refusal(hostname);
    return refusal
      ? {
          kind: 'refused',
          code: 'EADDRNOTALLOWED',
          message: `refused to connect: ${refusal}`,
        }
      : undefined;
  }

  private classifyFailure(error: unknown, deadlinePassed: boolean): HttpError {
    const err = error as AxiosError;
    const code = err?.code ?? (err?.cause as { code?: string })?.code;
    const message = this.redactor.text(String(err?.message ?? error));
    if (code === 'EADDRNOTALLOWED') {
      return { kind: 'refused', code, message };
    }
    if (
      deadlinePassed ||
      code === 'ECONNABORTED' ||
      code === 'ETIMEDOUT' ||
      code === AxiosError.ERR_CANCELED
    ) {
      return {
        kind: 'timeout',
        code,
        message: `no answer within ${this.timeoutMs} ms`,
      };
    }
    if (/maxContentLength|maxBodyLength/.test(message)) {
      return {
        kind: 'too-large',
        code,
        message: `answer larger than ${this.maxBodyBytes} bytes`,
      };
    }
    const said =
      code && !message.includes(code) ? `${code}: ${message}` : message;
    return {
      kind: 'network',
      code,
      // What to do about it: the usual cause is a site CA (IGTF, private) not given.
      message:
        code && UNTRUSTED_CHAIN_CODES.has(code)
          ? `${said} (the server's certificate is not from a CA trusted here: give the site's CA certificates, a PEM file or a directory of hashed certificates)`
          : said,
    };
  }

  private evidence(input: {
    started: number;
    method: string;
    url: string;
    headers: Record<string, string>;
    requestBody?: string;
    response?: AxiosResponse<string>;
    error?: HttpError;
  }): Evidence {
    const redactor = this.redactor;
    const evidence: Evidence = {
      at: new Date(input.started).toISOString(),
      method: input.method,
      url: redactor.text(input.url),
      durationMs: Date.now() - input.started,
      requestHeaders: redactor.headers(input.headers),
      responseHeaders: {},
    };
    if (input.requestBody !== undefined) {
      evidence.requestBody = this.excerpt(input.requestBody).text;
    }
    if (input.response) {
      evidence.status = input.response.status;
      const all = redactor.headers(plainHeaders(input.response.headers));
      for (const name of EVIDENCE_RESPONSE_HEADERS) {
        if (all[name] !== undefined) evidence.responseHeaders[name] = all[name];
      }
      const body = input.response.data;
      if (typeof body === 'string' && body !== '') {
        const { text, truncated } = this.excerpt(body);
        evidence.responseBody = text;
        if (truncated) evidence.truncated = true;
      }
    }
    return evidence;
  }

  /** Redacts a body (by JSON key when it parses, by value always) and cuts it to size. */
  private excerpt(body: string): { text: string; truncated: boolean } {
    let text: string;
    try {
      text = JSON.stringify(this.redactor.json(JSON.parse(body)));
    } catch {
      text = this.redactor.text(body);
    }
    return text.length > this.evidenceBodyBytes
      ? { text: text.slice(0, this.evidenceBodyBytes), truncated: true }
      : { text, truncated: false };
  }
}

/** Appends a query; `true` is a bare flag, `undefined` and `false` are left out. */
export function withQuery(
  url: string,
  query: Record<string, QueryValue> | undefined,
): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === false) continue;
    parts.push(
      value === true
        ? encodeURIComponent(key)
        : `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`,
    );
  }
  if (parts.length === 0) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${parts.join('&')}`;
}

function plainHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const source =
    headers && typeof (headers as { toJSON?: unknown }).toJSON === 'function'
      ? (headers as { toJSON(): Record<string, unknown> }).toJSON()
      : ((headers ?? {}) as Record<string, unknown>);
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value)
      ? value.join(', ')
      : String(value);
  }
  return out;
}

// OpenStack error bodies say why in `{"error": {"message": …}}` or `{"<Kind>": {"message": …}}`.
function describeErrorBody(body: unknown, redactor: Redactor): string {
  if (typeof body !== 'string' || body.trim() === '') return '';
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    for (const value of Object.values(json ?? {})) {
      const message = (value as { message?: unknown })?.message;
      if (typeof message === 'string') return `: ${redactor.text(message)}`;
    }
    const nested = (json as { message?: unknown })?.message;
    if (typeof nested === 'string') return `: ${redactor.text(nested)}`;
  } catch {
    // Not JSON (an HTML error page): the excerpt in the evidence shows it.
  }
  return '';
}

function describeIssues(error: z.ZodError): string {
  const issues = error.issues.slice(0, 5).map(issue => {
    const path = issue.path.length ? issue.path.join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  const more =
    error.issues.length > 5 ? ` (+${error.issues.length - 5} more)` : '';
  return issues.join('; ') + more;
}

/** The same result with its data reshaped (e.g. `{"flavors": […]}` → the array). */
export function mapData<T, U>(
  result: HttpResult<T>,
  reshape: (data: T) => U,
): HttpResult<U> {
  return result.ok ? { ...result, data: reshape(result.data) } : result;
}
