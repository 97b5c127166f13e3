import { z } from 'zod';
import { EvidenceRecorder } from './evidence';
import { OpenStackHttp, withQuery } from './http';
import { REDACTED, Redactor } from './redaction';
import {
  LocalServer,
  startLocalServer,
  unusedPort,
} from '../testing/localServer';

// What a misbehaving site sends, served from a real socket on 127.0.0.1.
const PASSWORD = 'very-secret-password';
const TOKEN = 'gAAAAABtokenvalue123456';

const versionSchema = z.object({
  version: z.object({ id: z.string(), status: z.string() }),
});

describe('OpenStackHttp', () => {
  let server: LocalServer;
  let otherServer: LocalServer;
  let http: OpenStackHttp;
  let recorder: EvidenceRecorder;

  beforeAll(async () => {
    otherServer = await startLocalServer((_req, res) => {
      res.end('{"followed": true}');
    });
    server = await startLocalServer((req, res) => {
      switch (req.url) {
        case '/ok':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"version": {"id": "v3.14", "status": "stable"}}');
          return;
        case '/html-500':
          res.writeHead(500, { 'content-type': 'text/html' });
          res.end(
            `<html><body><h1>Internal Server Error</h1><p>password=${PASSWORD} token ${TOKEN}</p></body></html>`,
          );
          return;
        case '/json-401':
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(
            '{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}',
          );
          return;
        case '/truncated':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"version": {"id": "v3.14", "sta');
          return;
        case '/wrong-types':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"version": {"id": 3, "status": "stable"}}');
          return;
        case '/huge':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(`{"pad": "${'x'.repeat(10 * 1024 * 1024)}"}`);
          return;
        case '/silent':
          return; // accepts, never answers
        case '/redirect':
          res.writeHead(302, { location: `${otherServer.url}/elsewhere` });
          res.end();
          return;
        case '/echo':
          res.writeHead(200, {
            'content-type': 'application/json',
            'x-subject-token': TOKEN,
          });
          res.end(
            JSON.stringify({ seen: req.headers, note: `got ${PASSWORD}` }),
          );
          return;
        default:
          res.writeHead(404);
          res.end();
      }
    });
  });

  beforeEach(() => {
    recorder = new EvidenceRecorder();
    http = new OpenStackHttp({
      timeoutMs: 300,
      redactor: new Redactor([PASSWORD]),
      recorder,
    });
    http.addSecrets(TOKEN);
  });

  afterEach(() => http.close());

  afterAll(async () => {
    await server.close();
    await otherServer.close();
  });

  it('parses a good answer with its schema and records evidence', async () => {
    const result = await http.request({
      url: `${server.url}/ok`,
      schema: versionSchema,
    });
    expect(result).toMatchObject({
      ok: true,
      status: 200,
      data: { version: { id: 'v3.14' } },
    });
    expect(result.evidence).toMatchObject({
      method: 'GET',
      url: `${server.url}/ok`,
      status: 200,
      responseHeaders: { 'content-type': 'application/json' },
    });
    expect(result.evidence?.responseBody).toContain('v3.14');
    expect(recorder.requestCount).toBe(1);
    expect(http.requestCount).toBe(1);
  });

  it('reports an HTML 500 page as http, keeping the page (redacted) as evidence', async () => {
    const result = await http.request({
      url: `${server.url}/html-500`,
      schema: versionSchema,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ kind: 'http', status: 500 });
    expect(result.evidence?.responseBody).toContain('Internal Server Error');
    expect(result.evidence?.responseBody).toContain(REDACTED);
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it("takes an http error's reason from an OpenStack error body", async () => {
    const result = await http.request({
      url: `${server.url}/json-401`,
      schema: versionSchema,
    });
    expect(!result.ok && result.error).toMatchObject({
      kind: 'http',
      status: 401,
      message: 'HTTP 401: The request you have made requires authentication.',
    });
  });

  it('reports truncated JSON with a 200 as parse', async () => {
    const result = await http.request({
      url: `${server.url}/truncated`,
      schema: versionSchema,
    });
    expect(!result.ok && result.error.kind).toBe('parse');
    expect(result.evidence?.responseBody).toBe(
      '{"version": {"id": "v3.14", "sta',
    );
  });

  it('reports wrong types as schema, naming the path', async () => {
    const result = await http.request({
      url: `${server.url}/wrong-types`,
      schema: versionSchema,
    });
    expect(!result.ok && result.error.kind).toBe('schema');
    expect(!result.ok && result.error.message).toContain('version.id');
  });

  it('stops reading a 10 MB body: too-large, in bounded time', async () => {
    const started = Date.now();
    const patient = new OpenStackHttp({ timeoutMs: 5000 });
    const result = await patient.request({
      url: `${server.url}/huge`,
      schema: z.unknown(),
    });
    patient.close();
    expect(!result.ok && result.error.kind).toBe('too-large');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('gives up on a server that never answers: timeout within the configured time', async () => {
    const started = Date.now();
    const result = await http.request({
      url: `${server.url}/silent`,
      schema: z.unknown(),
    });
    const elapsed = Date.now() - started;
    expect(!result.ok && result.error.kind).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1500);
    expect(result.evidence?.status).toBeUndefined();
  });

  it('stops a request in flight when the caller cancels, and makes none after', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const stopped = await http.request(
      { url: `${server.url}/silent`, schema: z.unknown() },
      undefined,
      controller.signal,
    );
    expect(!stopped.ok && stopped.error.kind).toBe('cancelled');
    // Well before the 300 ms timeout.
    expect(Date.now() - started).toBeLessThan(250);
    const seen = server.requests.length;
    const refused = await http.request(
      { url: `${server.url}/ok`, schema: z.unknown() },
      undefined,
      controller.signal,
    );
    expect(!refused.ok && refused.error.kind).toBe('cancelled');
    expect(server.requests.length).toBe(seen);
  });

  it('does not follow a redirect to another host', async () => {
    const before = otherServer.requests.length;
    const result = await http.request({
      url: `${server.url}/redirect`,
      schema: z.unknown(),
    });
    expect(!result.ok && result.error).toMatchObject({
      kind: 'redirect',
      status: 302,
      location: `${otherServer.url}/elsewhere`,
    });
    expect(otherServer.requests.length).toBe(before);
  });

  it('reports a refused connection as network', async () => {
    const port = await unusedPort();
    const result = await http.request({
      url: `http://127.0.0.1:${port}/v3`,
      schema: z.unknown(),
    });
    expect(!result.ok && result.error).toMatchObject({
      kind: 'network',
      code: 'ECONNREFUSED',
    });
    expect(result.evidence?.error).toContain('ECONNREFUSED');
  });

  it('never lets a configured password or an issued token into evidence', async () => {
    const result = await http.request({
      method: 'POST',
      url: `${server.url}/echo`,
      headers: { 'X-Auth-Token': TOKEN },
      body: {
        auth: { identity: { password: { user: { password: PASSWORD } } } },
      },
      schema: z.unknown(),
    });
    expect(result.ok).toBe(true);
    // The caller still gets the raw header (that is how a token is read)…
    expect(result.ok && result.headers['x-subject-token']).toBe(TOKEN);
    // …but nothing recorded holds a secret.
    const recorded = JSON.stringify(recorder.evidence);
    expect(recorded).not.toContain(PASSWORD);
    expect(recorded).not.toContain(TOKEN);
    expect(result.evidence?.requestHeaders['x-auth-token']).toBe(REDACTED);
    expect(result.evidence?.responseHeaders['x-subject-token']).toBe(REDACTED);
  });

  it('hands a text body to the schema as it is when asked to', async () => {
    const result = await http.request({
      url: `${server.url}/html-500`,
      expectStatus: [500],
      parseAs: 'text',
      schema: z.string(),
    });
    expect(result.ok && result.data).toContain(
      '<h1>Internal Server Error</h1>',
    );
  });

  it('writes Keystone-style bare query flags', () => {
    expect(
      withQuery('http://k/v3/role_assignments', {
        effective: true,
        include_names: true,
        'user.id': 'a b',
        skipped: undefined,
        off: false,
      }),
    ).toBe(
      'http://k/v3/role_assignments?effective&include_names&user.id=a%20b',
    );
  });
});

describe('secrets learnt while running', () => {
  it('forgets a token an hour after it expired, so the redactor does not grow with every token', () => {
    const http = new OpenStackHttp({
      redactor: new Redactor(['configured-pass']),
    });
    const hour = 60 * 60 * 1000;
    const start = Date.parse('2026-11-23T10:00:00Z');
    // A token an hour, each valid for an hour, for two days.
    for (let n = 0; n < 48; n++) {
      http.addExpiringSecret(
        `gAAAAAtoken-number-${n}-long-enough`,
        new Date(start + (n + 1) * hour),
        start + n * hour,
      );
    }
    // The configured password, the newest token and the ones still within their grace.
    expect(http.secretCount).toBeLessThanOrEqual(4);
    expect(http.redactor.text('x gAAAAAtoken-number-47-long-enough x')).toBe(
      'x <redacted> x',
    );
    expect(http.redactor.text('configured-pass')).toBe('<redacted>');
    expect(http.redactor.text('gAAAAAtoken-number-0-long-enough')).toBe(
      'gAAAAAtoken-number-0-long-enough',
    );
    http.close();
  });
});
