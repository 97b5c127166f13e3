import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { openstackPlugin } from '../plugin';

// The console route on the live sandbox's site-a, with its reader account. Skipped when the
// sandbox's credentials are not in the environment, unless the test command requires it.
const env = process.env;
const live =
  env.FEDSTACK_SANDBOX_REQUIRED === '1' ||
  !!env.FEDSTACK_SANDBOX_ADMIN_PASSWORD;
const describeLive = live ? describe : describe.skip;
jest.setTimeout(90_000);

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'site-a',
    namespace: 'default',
    annotations: {
      'openstack.fedstack.io/keystone-url': 'http://127.0.0.1:5000/v3',
      'openstack.fedstack.io/region': 'RegionOne',
      'openstack.fedstack.io/profiles': 'egi-fedcloud',
      'openstack.fedstack.io/credentials': 'sandbox',
    },
  },
  spec: { type: 'openstack-site', owner: 'group:default/platform-team' },
};

const messages = (text: string) =>
  text
    .trim()
    .split('\n')
    .map(
      line =>
        JSON.parse(line) as { type: string; text?: string; status?: string },
    );

describeLive(
  `the console on the live sandbox${live ? '' : ' (SKIPPED)'}`,
  () => {
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
                  sandbox: {
                    reader: {
                      type: 'password',
                      username: 'admin',
                      password: env.FEDSTACK_SANDBOX_ADMIN_PASSWORD,
                      project: 'admin',
                    },
                    replicator: {
                      type: 'password',
                      username: 'replicator',
                      password: env.FEDSTACK_SANDBOX_REPLICATOR_PASSWORD,
                    },
                  },
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
          /^ {2}GET http:\/\/127\.0\.0\.1:5000\/v3\/OS-FEDERATION\/identity_providers\/egi\.eu\/protocols\/openid → HTTP 200/,
        ),
      );
    });
  },
);
