import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { openstackPlugin } from './plugin';

const siteASecret = 'sandbox-replicator-password';

describe('openstack backend plugin', () => {
  it('answers /health with the credential set names and never their secrets', async () => {
    const { server } = await startTestBackend({
      features: [
        openstackPlugin,
        mockServices.rootConfig.factory({
          data: {
            openstack: {
              credentialSets: {
                'site-a': {
                  reader: {
                    type: 'password',
                    username: 'admin',
                    password: siteASecret,
                    project: 'admin',
                  },
                },
                'site-b': {
                  reader: {
                    type: 'applicationCredential',
                    id: 'abc123',
                    secret: 'app-cred-secret',
                  },
                },
              },
            },
          },
        }),
      ],
    });

    const response = await request(server).get('/api/openstack/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      credentialSets: ['site-a', 'site-b'],
    });
    expect(response.text).not.toContain(siteASecret);
    expect(response.text).not.toContain('app-cred-secret');
  });

  it('refuses to start on a bad openstack section, naming each problem', async () => {
    await expect(
      startTestBackend({
        features: [
          openstackPlugin,
          mockServices.rootConfig.factory({
            data: {
              openstack: {
                credentialSets: {
                  'site-a': {
                    reader: { type: 'password', username: 'replicator' },
                  },
                },
                scans: { concurrency: 0 },
                profiles: { 'no-such-profile': {} },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      /openstack\.credentialSets\.site-a\.reader\.password[\s\S]*openstack\.scans\.concurrency[\s\S]*openstack\.profiles/,
    );
  });
});
