import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { openstackPlugin } from '../plugin';
import {
  sandboxCredentialSet,
  sandboxLive,
  sandboxSiteEntity,
} from '../__testUtils__/sandbox';

// The console route on the live sandbox's site-a, with its reader account. Skipped when the
// sandbox's credentials are not in the environment, unless the test command requires it.
const env = process.env;
const { describeLive } = sandboxLive();
jest.setTimeout(90_000);

const entity = sandboxSiteEntity('site-a', { profiles: 'egi-fedcloud' });

const messages = (text: string) =>
  text
    .trim()
    .split('\n')
    .map(
      line =>
        JSON.parse(line) as { type: string; text?: string; status?: string },
    );

describeLive('the console on the live sandbox', () => {
  let server: Parameters<typeof request>[0];
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        openstackPlugin,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.rootConfig.factory({
          data: {
            openstack: {
              credentialSets: {
                sandbox: sandboxCredentialSet('replicator'),
              },
              scans: {
                schedule: {
                  frequency: { hours: 24 },
                  timeout: { minutes: 1 },
                  initialDelay: { hours: 24 },
                },
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });
  afterAll(() => stop());

  it('project list answers with the CLI’s table', async () => {
    const res = await request(server)
      .post('/api/openstack/sites/default/site-a/console')
      .send({ line: 'project list' });
    expect(res.status).toBe(200);
    const answer = messages(res.text);
    const lines = answer.filter(m => m.type === 'line').map(m => m.text);
    expect(lines[0]).toMatch(/^\+-+\+-+\+$/);
    expect(lines[1]).toMatch(/^\| ID +\| Name +\|$/);
    expect(lines).toContainEqual(
      expect.stringMatching(/^\| [0-9a-f]{32} \| admin +\|$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^\| [0-9a-f]{32} \| ops +\|$/),
    );
    expect(answer[answer.length - 1]).toEqual({ type: 'end', status: 'ok' });
    expect(res.text).not.toContain(env.FEDSTACK_SANDBOX_ADMIN_PASSWORD!);
  });

  it('check streams what it needed first, then the check with its evidence', async () => {
    const res = await request(server)
      .post('/api/openstack/sites/default/site-a/console')
      .send({ line: 'check federation.protocol' });
    const lines = messages(res.text)
      .filter(m => m.type === 'line')
      .map(m => m.text!);
    expect(lines).toContainEqual(
      expect.stringMatching(/^pass {2}keystone\.v3: .*\(needed first\)$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^\| status +\| pass +\|$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ {2}GET http:\/\/127\.0\.0\.1:5000\/v3\/OS-FEDERATION\/identity_providers\/egi\.eu\/protocols → HTTP 200/,
      ),
    );
  });

  it('runs ten concurrent scan lines as one stored scan, as "Scan now" does', async () => {
    const history = async () =>
      (await request(server).get('/api/openstack/sites/default/site-a/scans'))
        .body.items as Array<{ id: string; status: string }>;
    const before = (await history()).length;
    // Ten users (each within the console's per-user limits), at once.
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        request(server)
          .post('/api/openstack/sites/default/site-a/console')
          .set(
            'Authorization',
            mockCredentials.user.header(`user:default/u${i}`),
          )
          .send({ line: 'scan' }),
      ),
    );
    const ids = new Set<string>();
    for (const res of answers) {
      expect(res.status).toBe(200);
      const answer = messages(res.text);
      expect(answer[answer.length - 1]).toEqual({ type: 'end', status: 'ok' });
      const lines = answer.filter(m => m.type === 'line').map(m => m.text!);
      // Every line sees every check, the ones before it joined too.
      expect(lines.filter(l => /^\[ *\d+\/\d+\] /.test(l)).length).toBe(
        Number(/\/(\d+)\]/.exec(lines[1])![1]),
      );
      const stored = /scan ([0-9a-f-]{36})/.exec(lines[lines.length - 1]);
      expect(stored).not.toBeNull();
      ids.add(stored![1]);
    }
    expect(ids.size).toBe(1);
    const scans = await history();
    expect(scans.length - before).toBe(1);
    expect(scans[0]).toMatchObject({ id: [...ids][0], status: 'completed' });
  });
});
