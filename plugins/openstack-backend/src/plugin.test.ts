import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { openstackPlugin } from './plugin';
import { localSite } from './__testUtils__/localSite';

const siteASecret = 'sandbox-replicator-password';

describe('openstack backend plugin', () => {
  it('answers /health with the credential set names and never their secrets', async () => {
    const { server } = await startTestBackend({
      features: [
        openstackPlugin,
        mockServices.rootConfig.factory({
          data: {
            openstack: {
              // Read by the catalog module; the plugin must accept it.
              siteProviders: {},
              credentialSets: {
                'site-a': {
                  keystoneUrls: ['http://127.0.0.1:5000/v3'],
                  reader: {
                    type: 'password',
                    username: 'admin',
                    password: siteASecret,
                    project: 'admin',
                  },
                },
                'site-b': {
                  keystoneUrls: ['http://127.0.0.2:5000/v3'],
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
                network: { deny: ['nonsense'] },
                profiles: { 'No Such Profile': {} },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      /openstack\.credentialSets\.site-a\.keystoneUrls: .*must list the Keystone URLs[\s\S]*openstack\.credentialSets\.site-a\.reader\.password[\s\S]*openstack\.scans\.concurrency[\s\S]*openstack\.network: allow and deny must be IP ranges[\s\S]*openstack\.profiles/,
    );
  });

  it('refuses to start with settings for a profile or check that no module defines', async () => {
    await expect(
      startTestBackend({
        features: [
          openstackPlugin,
          mockServices.rootConfig.factory({
            data: {
              openstack: {
                ...localSite('http://127.0.0.1:5000/v3').config,
                profiles: {
                  'ngi-example': {},
                  'egi-fedcloud': { disabledChecks: ['keystone.tsl'] },
                },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      /openstack\.profiles: settings for ngi-example, which is not a profile[\s\S]*openstack\.profiles: settings for egi-fedcloud name keystone\.tsl, which is not a check/,
    );
  });
});

describe('openstack backend permissions', () => {
  const site = localSite('http://127.0.0.1:5000/v3');
  const { entity } = site;
  const features = (result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) => [
    openstackPlugin,
    catalogServiceMock.factory({ entities: [entity] }),
    mockServices.permissions.factory({ result }),
    mockServices.rootConfig.factory({
      data: {
        openstack: site.config,
      },
    }),
  ];

  it('hides sites from a user who may not read them, and refuses their scans with 403', async () => {
    const { server } = await startTestBackend({
      features: features(AuthorizeResult.DENY),
    });
    const list = await request(server).get('/api/openstack/sites');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
    const detail = await request(server).get(
      '/api/openstack/sites/default/site-a',
    );
    expect(detail.status).toBe(403);
    const trigger = await request(server).post(
      '/api/openstack/sites/default/site-a/scans',
    );
    expect(trigger.status).toBe(403);
    expect(trigger.body.error.message).toContain('openstack.scan.trigger');
  });

  it('shows the same site to a user who may read it', async () => {
    const { server } = await startTestBackend({
      features: features(AuthorizeResult.ALLOW),
    });
    const list = await request(server).get('/api/openstack/sites');
    expect(list.body.items).toEqual([
      expect.objectContaining({
        entityRef: 'resource:default/site-a',
        problems: [],
        latestScan: null,
      }),
    ]);
    const openapi = await request(server).get('/api/openstack/openapi.json');
    expect(openapi.status).toBe(200);
    expect(openapi.body.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining(['/sites', '/sites/{namespace}/{name}/scans']),
    );
    // The answers' schemas come from the shared zod schemas.
    expect(
      openapi.body.paths['/sites'].get.responses[200].content[
        'application/json'
      ].schema.properties.items.items.required,
    ).toEqual(expect.arrayContaining(['entityRef', 'latestScan']));
    const badName = await request(server).get(
      '/api/openstack/sites/default/has%20space',
    );
    expect(badName.status).toBe(400);
    expect(badName.body.error.message).toContain('name');
  });
});
