import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import openstackPlugin, {
  openstackComplianceExtensionPoint,
} from '@fedstack/plugin-openstack-backend';
import ngiExampleModule, { imageMetadataCheck } from './index';

// This module lives outside the OpenStack backend plugin and uses only what the plugin and the
// node library publish: the test proves a site's scan, profile scores and the REST API take up
// a check and a profile added through openstackComplianceExtensionPoint.

const env = process.env;
const live =
  env.FEDSTACK_SANDBOX_REQUIRED === '1' ||
  !!env.FEDSTACK_SANDBOX_ADMIN_PASSWORD;
const describeLive = live ? describe : describe.skip;

const KEYSTONE = 'http://127.0.0.1:5000/v3';

/** The sandbox's site-a, opting in to the NGI's profile beside EGI's. */
const siteA: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'site-a',
    namespace: 'default',
    annotations: {
      'openstack.fedstack.io/keystone-url': KEYSTONE,
      'openstack.fedstack.io/region': 'RegionOne',
      'openstack.fedstack.io/profiles': 'egi-fedcloud,ngi-example',
      'openstack.fedstack.io/credentials': 'sandbox',
    },
  },
  spec: { type: 'openstack-site', owner: 'group:default/platform-team' },
};

const openstackConfig = {
  credentialSets: {
    sandbox: {
      keystoneUrls: [KEYSTONE],
      reader: {
        type: 'password',
        username: 'admin',
        password: env.FEDSTACK_SANDBOX_ADMIN_PASSWORD ?? 'unused-password',
        project: 'admin',
      },
    },
  },
  // No scheduled scan during the test: it scans on demand.
  scans: {
    schedule: {
      frequency: { hours: 24 },
      timeout: { minutes: 5 },
      initialDelay: { hours: 24 },
    },
  },
};

const started: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map(b => b.stop()));
});

async function backend(
  extra: Parameters<typeof startTestBackend>[0]['features'],
) {
  const testBackend = await startTestBackend({
    features: [
      openstackPlugin,
      catalogServiceMock.factory({ entities: [siteA] }),
      mockServices.rootConfig.factory({ data: { openstack: openstackConfig } }),
      ...(extra ?? []),
    ],
  });
  started.push(testBackend);
  return testBackend;
}

describe('a check and a profile added by a module', () => {
  it('are listed by the REST API beside the built-in ones', async () => {
    const { server } = await backend([ngiExampleModule]);
    const profiles = await request(server).get('/api/openstack/profiles');
    expect(profiles.status).toBe(200);
    const ids = profiles.body.items.map((p: { id: string }) => p.id);
    expect(ids).toEqual(['egi-fedcloud', 'tenant-platform', 'ngi-example']);
    const ngi = profiles.body.items[2];
    // Based on egi-fedcloud: its 21 checks, then the NGI's own.
    expect(ngi.checks).toHaveLength(22);
    expect(ngi.checks.slice(-1)).toEqual(['ngi.image-metadata']);
    expect(ngi.weights).toEqual({ 'ngi.image-metadata': 2 });
    expect(ngi.readiness).toEqual({
      blocking: ['critical'],
      mustBeEvaluated: ['critical', 'major'],
    });

    const checks = await request(server).get('/api/openstack/checks');
    expect(checks.body.items.at(-1)).toMatchObject({
      id: 'ngi.image-metadata',
      area: 'services',
      severity: 'minor',
      requires: ['keystone.reachable'],
    });
  });

  it('stop the backend at start when a module adds what does not fit, every problem named', async () => {
    const careless = createBackendModule({
      pluginId: 'openstack',
      moduleId: 'careless',
      register(reg) {
        reg.registerInit({
          deps: { compliance: openstackComplianceExtensionPoint },
          async init({ compliance }) {
            compliance.addChecks({
              ...imageMetadataCheck,
              metadata: { ...imageMetadataCheck.metadata, id: 'keystone.v3' },
            });
            compliance.addProfiles({
              id: 'careless',
              title: 'Careless',
              description: 'names a check nobody defines',
              checks: ['ngi.no-such-check'],
            });
          },
        });
      },
    });
    await expect(backend([careless])).rejects.toThrow(
      /check keystone\.v3 is already in the catalogue[\s\S]*profile careless names checks not in the catalogue: ngi\.no-such-check/,
    );
  });

  it("refuse a site's scan that names a profile no module defines", async () => {
    const { server } = await backend([]);
    const trigger = await request(server).post(
      '/api/openstack/sites/default/site-a/scans',
    );
    expect(trigger.status).toBe(400);
    expect(trigger.body.error.message).toMatch(
      /its profiles annotation names no profile ngi-example \(profiles: egi-fedcloud, tenant-platform\)/,
    );
  });
});

describeLive('a scan of sandbox site-a with the NGI module', () => {
  it('runs the added check and scores the added profile', async () => {
    const { server } = await backend([ngiExampleModule]);
    const trigger = await request(server).post(
      '/api/openstack/sites/default/site-a/scans',
    );
    expect(trigger.status).toBe(202);
    let scan: any;
    for (let i = 0; i < 240; i++) {
      scan = (
        await request(server).get(`/api/openstack/scans/${trigger.body.scanId}`)
      ).body;
      if (scan.scan?.status !== 'running') break;
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    expect(scan.scan.status).toBe('completed');

    // The added check ran against site-a's Glance, with its evidence.
    const added = scan.results.find(
      (r: { checkId: string }) => r.checkId === 'ngi.image-metadata',
    );
    expect(added).toMatchObject({
      status: 'pass',
      area: 'services',
      severity: 'minor',
      message: expect.stringMatching(
        /active public images declare os_distro and os_version/,
      ),
    });
    expect(added.evidence[0].url).toMatch(/\/v2\/images\?visibility=public/);

    // Both profiles scored: the NGI's counts the added check, EGI's does not.
    const score = (id: string) =>
      scan.scan.profiles.find((p: { profileId: string }) => p.profileId === id);
    const egi = score('egi-fedcloud');
    const ngi = score('ngi-example');
    const total = (p: { counts: Record<string, number> }) =>
      Object.values(p.counts).reduce((a, b) => a + b, 0);
    expect(total(ngi)).toBe(total(egi) + 1);
    expect(ngi.counts.pass).toBe(egi.counts.pass + 1);
    expect(ngi.blocking).toEqual(egi.blocking);

    // The scan keeps the definitions it scored with, so its scores stay comparable.
    expect(
      scan.profileDefinitions.map((d: { id: string; checks: string[] }) => [
        d.id,
        d.checks.length,
      ]),
    ).toEqual([
      ['egi-fedcloud', 21],
      ['ngi-example', 22],
    ]);

    // The fleet's view (what the fleet page reads) carries the added profile's score.
    const sites = await request(server).get('/api/openstack/sites');
    expect(
      sites.body.items[0].latestScan.profiles.map(
        (p: { profileId: string }) => p.profileId,
      ),
    ).toEqual(['egi-fedcloud', 'ngi-example']);
  });
});
