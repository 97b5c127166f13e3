import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  DefinitivePolicyDecision,
} from '@backstage/plugin-permission-common';
import request from 'supertest';
import { consoleCommandsSchema } from '@fedstack/plugin-openstack-common';
import { CONSOLE_COMMANDS } from '@fedstack/plugin-openstack-node';
import { openstackPlugin } from '../plugin';
import { localSite } from '../__testUtils__/localSite';

// The console route without a live site: the site's "Keystone" is a local server that counts
// what it is asked, so a refused line can be shown to ask nothing.

let keystone: http.Server;
let asked: string[] = [];
// While set, Keystone answers nothing: the lines asking it keep running.
let holding: Array<() => void> | undefined;
beforeAll(async () => {
  keystone = http.createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    const answer = () => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"no"}}');
    };
    if (holding) holding.push(answer);
    else answer();
  });
  await new Promise<void>(resolve =>
    keystone.listen(0, '127.0.0.1', () => resolve()),
  );
});
afterAll(() => new Promise(resolve => keystone.close(resolve)));
beforeEach(() => {
  asked = [];
});

function features(
  consoleAllowed: boolean,
  openstack: object = {},
  denied: string[] = [],
) {
  const { port } = keystone.address() as AddressInfo;
  const site = localSite(`http://127.0.0.1:${port}/v3`);
  const { entity } = site;
  // Everything is allowed but the console, unless the test allows it.
  const permissions = mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(
        (r): DefinitivePolicyDecision => ({
          result:
            (r.permission.name === 'openstack.console.use' &&
              !consoleAllowed) ||
            denied.includes(r.permission.name)
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        }),
      ),
  });
  const events: Array<{ meta: unknown; ended?: string; endMeta?: unknown }> =
    [];
  const auditor = mockServices.auditor.mock({
    createEvent: async options => {
      const event: (typeof events)[number] = { meta: options.meta };
      events.push(event);
      return {
        success: async ({ meta } = {}) => {
          event.ended = 'success';
          event.endMeta = meta;
        },
        fail: async ({ meta }) => {
          event.ended = 'fail';
          event.endMeta = meta;
        },
      };
    },
  });
  return {
    events,
    features: [
      openstackPlugin,
      catalogServiceMock.factory({ entities: [entity] }),
      permissions.factory,
      auditor.factory,
      mockServices.rootConfig.factory({
        data: {
          openstack: {
            ...site.config,
            network: { allow: ['127.0.0.0/8'] },
            ...openstack,
          },
        },
      }),
    ],
  };
}

const CONSOLE = '/api/openstack/sites/default/site-a/console';

const messages = (text: string) =>
  text
    .trim()
    .split('\n')
    .map(line => JSON.parse(line));

describe('the console route', () => {
  it('refuses a user without openstack.console.use with 403, and audits it', async () => {
    const { features: f, events } = features(false);
    const { server } = await startTestBackend({ features: f });
    const res = await request(server)
      .post(CONSOLE)
      .send({ line: 'project list' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('openstack.console.use');
    expect(events).toEqual([
      {
        meta: { site: 'resource:default/site-a', line: 'project list' },
        ended: 'fail',
        endMeta: { outcome: 'denied' },
      },
    ]);
    expect(asked).toEqual([]);
  });

  it('answers a refused line with the refusal, asks the site nothing, and audits it', async () => {
    const { features: f, events } = features(true);
    const { server } = await startTestBackend({ features: f });
    const res = await request(server)
      .post(CONSOLE)
      .send({ line: 'foo; rm -rf /' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const answer = messages(res.text);
    expect(answer).toEqual([
      {
        type: 'line',
        text: expect.stringMatching(/^Refused: ";" not allowed/),
      },
      {
        type: 'end',
        status: 'refused',
        message: expect.stringContaining('not a shell'),
      },
    ]);
    expect(events).toEqual([
      {
        meta: { site: 'resource:default/site-a', line: 'foo; rm -rf /' },
        ended: 'fail',
        endMeta: { outcome: 'refused' },
      },
    ]);
    expect(asked).toEqual([]);
  });

  it('refuses a 100 kB line by its length, asking nothing', async () => {
    const { features: f, events } = features(true);
    const { server } = await startTestBackend({ features: f });
    const line = `project list ${'x'.repeat(100_000)}`;
    const res = await request(server).post(CONSOLE).send({ line });
    expect(res.status).toBe(200);
    expect(messages(res.text)[0].text).toBe(
      `Refused: the line is ${line.length} characters long; the console takes at most 1000. Nothing was run.`,
    );
    // The audit keeps the start of the line and its length, not the whole paste.
    expect((events[0].meta as { line: string }).line).toMatch(
      /^project list x+… \(100013 characters\)$/,
    );
    expect(asked).toEqual([]);
  });

  it('answers 400 to a body that is not { line: string }', async () => {
    const { features: f } = features(true);
    const { server } = await startTestBackend({ features: f });
    for (const body of [{}, { line: 42 }, { line: 'help', extra: 1 }]) {
      const res = await request(server).post(CONSOLE).send(body);
      expect([JSON.stringify(body), res.status]).toEqual([
        JSON.stringify(body),
        400,
      ]);
      expect(res.body.error.message).toMatch(/^Invalid body: /);
    }
    const text = await request(server)
      .post(CONSOLE)
      .set('Content-Type', 'text/plain')
      .send('project list');
    expect(text.status).toBe(400);
    expect(asked).toEqual([]);
  });

  it('runs help without asking the site, and shows OpenStack’s refusal as the command’s error', async () => {
    const { features: f, events } = features(true);
    const { server } = await startTestBackend({ features: f });
    const help = messages(
      (await request(server).post(CONSOLE).send({ line: 'help' })).text,
    );
    expect(help[0]).toEqual({
      type: 'line',
      text: 'Read-only commands, as the openstack CLI names them:',
    });
    expect(help[help.length - 1]).toEqual({ type: 'end', status: 'ok' });
    expect(asked).toEqual([]);

    // The stub Keystone refuses the token: the command fails with that reason, no secret.
    const res = await request(server)
      .post(CONSOLE)
      .send({ line: 'project list' });
    const answer = messages(res.text);
    expect(answer[answer.length - 1]).toMatchObject({
      type: 'end',
      status: 'error',
    });
    expect(answer[0].text).toMatch(/^Listing projects failed: .*401/);
    expect(res.text).not.toContain('p4ssw0rd');
    expect(asked).toEqual(['POST /v3/auth/tokens']);
    expect(events.map(e => e.endMeta)).toEqual([
      { outcome: 'ok', command: 'help' },
      { outcome: 'error', command: 'project list' },
    ]);
  });

  it('names the account the console runs with, never its password, to who may use it', async () => {
    const allowed = await startTestBackend({
      features: features(true).features,
    });
    const res = await request(allowed.server).get(`${CONSOLE}/account`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ account: 'u' });
    expect(res.text).not.toContain('p4ssw0rd');
    const denied = await startTestBackend({
      features: features(false).features,
    });
    const refused = await request(denied.server).get(`${CONSOLE}/account`);
    expect(refused.status).toBe(403);
  });

  it('serves the grammar the terminal completes with, from the command table itself', async () => {
    const { features: f } = features(true);
    const { server } = await startTestBackend({ features: f });
    const res = await request(server).get('/api/openstack/console/commands');
    expect(res.status).toBe(200);
    const parsed = consoleCommandsSchema.parse(res.body);
    expect(parsed.commands.map(c => c.words.join(' '))).toEqual(
      CONSOLE_COMMANDS.map(c => c.words.join(' ')),
    );
    expect(
      parsed.commands.find(c => c.words.join(' ') === 'server list')?.options,
    ).toEqual([
      { name: 'all-projects' },
      {
        name: 'format',
        short: 'f',
        metavar: 'FORMAT',
        values: ['table', 'json', 'yaml', 'value'],
      },
      // -c completes the command's columns.
      {
        name: 'column',
        short: 'c',
        metavar: 'COLUMN',
        repeatable: true,
        values: ['ID', 'Name', 'Status', 'Networks', 'Image', 'Flavor'],
      },
    ]);
    expect(asked).toEqual([]);
    const anonymous = await request(server)
      .get('/api/openstack/console/commands')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });

  it('takes the terminal’s width and colours, and refuses a width out of range', async () => {
    const { features: f } = features(true);
    const { server } = await startTestBackend({ features: f });
    const ok = await request(server)
      .post(CONSOLE)
      .send({ line: 'help', terminal: { columns: 120, colour: true } });
    expect(messages(ok.text).at(-1)).toEqual({ type: 'end', status: 'ok' });
    const bad = await request(server)
      .post(CONSOLE)
      .send({ line: 'help', terminal: { columns: 5, colour: true } });
    expect(bad.status).toBe(400);
  });

  it('refuses scan without openstack.scan.trigger: it is stored like "Scan now"', async () => {
    const { features: f, events } = features(true, {}, [
      'openstack.scan.trigger',
    ]);
    const { server } = await startTestBackend({ features: f });
    const res = await request(server).post(CONSOLE).send({ line: 'scan' });
    expect(messages(res.text)).toEqual([
      {
        type: 'line',
        text: 'scan needs openstack.scan.trigger on resource:default/site-a',
      },
      {
        type: 'end',
        status: 'refused',
        message: 'scan needs openstack.scan.trigger on resource:default/site-a',
      },
    ]);
    expect(events[0].endMeta).toEqual({ outcome: 'refused', command: 'scan' });
    expect(asked).toEqual([]);
  });

  describe('per-user limits', () => {
    const as = (user: string) => mockCredentials.user.header(user);
    const line = (server: Parameters<typeof request>[0], user: string) =>
      request(server)
        .post(CONSOLE)
        .set('Authorization', as(user))
        .send({ line: 'help' });

    it('answers 429 with Retry-After past the rate, to that user only', async () => {
      const { features: f } = features(true, {
        console: { rateLimit: { lines: 3, windowSeconds: 60 } },
      });
      const { server } = await startTestBackend({ features: f });
      for (let i = 0; i < 3; i++)
        expect((await line(server, 'user:default/alice')).status).toBe(200);
      const refused = await line(server, 'user:default/alice');
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(refused.body.error.message).toContain('More than 3 console lines');
      // Refused lines are not run, and other users keep their own count.
      expect((await line(server, 'user:default/alice')).status).toBe(429);
      expect((await line(server, 'user:default/bob')).status).toBe(200);
    });

    it('answers 429 with Retry-After past the lines running at once, to that user only', async () => {
      const { features: f, events } = features(true, {
        console: { concurrentLines: 2 },
      });
      const { server } = await startTestBackend({ features: f });
      holding = [];
      try {
        const slow = () =>
          request(server)
            .post(CONSOLE)
            .set('Authorization', as('user:default/alice'))
            .send({ line: 'project list' })
            .then(res => res);
        const first = [slow(), slow()];
        // Both are running (audited), held on Keystone's one token request.
        await waitUntil(() => events.length === 2 && holding!.length === 1);
        const refused = await line(server, 'user:default/alice');
        expect(refused.status).toBe(429);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        expect(refused.body.error.message).toContain('at most 2 at once');
        expect((await line(server, 'user:default/bob')).status).toBe(200);
        holding.forEach(answer => answer());
        holding = undefined;
        expect((await Promise.all(first)).map(r => r.status)).toEqual([
          200, 200,
        ]);
        // Ended lines free their places.
        expect((await line(server, 'user:default/alice')).status).toBe(200);
      } finally {
        holding?.forEach(answer => answer());
        holding = undefined;
      }
    });
  });
});

async function waitUntil(condition: () => boolean) {
  for (let i = 0; i < 200 && !condition(); i++)
    await new Promise(resolve => setTimeout(resolve, 25));
  expect(condition()).toBe(true);
}
