import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendModule,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import techInsightsPlugin from '@backstage-community/plugin-tech-insights-backend';
import jsonRulesEngineModule from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';
// The facts are tested against the plugin that serves them.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import openstackPlugin from '@fedstack/plugin-openstack-backend';
import ngiExampleModule from '@fedstack/plugin-openstack-backend-module-ngi-example';
import type { FactRetrieverContext } from '@backstage-community/plugin-tech-insights-node';
import openstackSiteFactsModule, {
  OPENSTACK_SITE_FACT_RETRIEVER_ID,
  openstackSiteFactRetriever,
  openstackSiteFactSchema,
} from './index';

// The real OpenStack backend (its REST API, its store; with the example NGI module, whose
// profile is one the fact schema cannot know), the real tech-insights backend and its JSON
// rules engine, and this module: the facts the retriever stores are asserted through
// tech-insights' own API, and a check's verdict through its check route. The catalog is a mock
// holding the sites; the scheduler is the test one, so that a retriever run is awaited.

const env = process.env;
const live =
  env.FEDSTACK_SANDBOX_REQUIRED === '1' ||
  !!env.FEDSTACK_SANDBOX_ADMIN_PASSWORD;
const describeLive = (title: string, fn: () => void) =>
  (live ? describe : describe.skip)(`${title}${live ? '' : ' (SKIPPED)'}`, fn);
jest.setTimeout(120_000);

const KEYSTONE = 'http://127.0.0.1:5000/v3';

const site = (name: string, keystoneUrl: string, profiles: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'openstack.fedstack.io/keystone-url': keystoneUrl,
      'openstack.fedstack.io/region': 'RegionOne',
      'openstack.fedstack.io/profiles': profiles,
      'openstack.fedstack.io/credentials': 'sandbox',
    },
  },
  spec: { type: 'openstack-site', owner: 'group:default/platform-team' },
});
/** The sandbox's site-a (sandbox/README.md), and a site no scan reaches in these tests. */
const siteA = site(
  'site-a',
  KEYSTONE,
  'egi-fedcloud,tenant-platform,ngi-example',
);
const unscanned = site(
  'site-z',
  'http://127.0.0.1:5999/v3',
  'egi-fedcloud,tenant-platform',
);

/**
 * The README's `techInsights` blocks, as an adopter copies them: the retriever's entry and the
 * example checks (EGI's readiness by its flat fact, a module's profile and one check by a path).
 */
function readmeTechInsights() {
  const readme = readFileSync(resolvePath(__dirname, '../README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map(([, block]) => parseYaml(block))
    .filter(block => block?.techInsights);
  expect(blocks).toHaveLength(2);
  return {
    factRetrievers: blocks[0].techInsights.factRetrievers,
    checks: Object.assign(
      {},
      ...blocks.map(block => block.techInsights.factChecker.checks),
    ),
  };
}

const README = readmeTechInsights();
const checks = {
  ...README.checks,
  // One more by a path, which site-a passes.
  keystoneV3Passes: {
    type: 'json-rules-engine',
    name: 'Keystone v3',
    description: 'keystone.v3 passed in the latest scan',
    factIds: [OPENSTACK_SITE_FACT_RETRIEVER_ID],
    rule: {
      conditions: {
        all: [
          {
            fact: 'checkStatuses',
            path: "$['keystone.v3']",
            operator: 'equal',
            value: 'pass',
          },
        ],
      },
    },
  },
};

function config(withRetriever = true) {
  return {
    openstack: {
      credentialSets: {
        sandbox: {
          keystoneUrls: [
            KEYSTONE,
            unscanned.metadata.annotations![
              'openstack.fedstack.io/keystone-url'
            ],
          ],
          reader: {
            type: 'password',
            username: 'admin',
            password: env.FEDSTACK_SANDBOX_ADMIN_PASSWORD ?? 'unused-password',
            project: 'admin',
          },
        },
      },
    },
    techInsights: {
      ...(withRetriever && { factRetrievers: README.factRetrievers }),
      factChecker: { checks },
    },
  };
}

const started: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all(started.splice(0).map(b => b.stop()));
});

async function backend(
  options: { withRetriever?: boolean; withOpenStack?: boolean } = {},
) {
  // Tech Insights' scheduler, as its fact retriever engine uses it, and the services it hands
  // to a retriever.
  let scheduler: SchedulerService | undefined;
  let services: Omit<FactRetrieverContext, 'entityFilter'> | undefined;
  const captureScheduler = createBackendModule({
    pluginId: 'tech-insights',
    moduleId: 'test-scheduler',
    register(reg) {
      reg.registerInit({
        deps: {
          pluginScheduler: coreServices.scheduler,
          config: coreServices.rootConfig,
          discovery: coreServices.discovery,
          logger: coreServices.logger,
          auth: coreServices.auth,
          urlReader: coreServices.urlReader,
        },
        async init({ pluginScheduler, ...pluginServices }) {
          scheduler = pluginScheduler;
          services = pluginServices;
        },
      });
    },
  });
  const testBackend = await startTestBackend({
    features: [
      ...(options.withOpenStack === false
        ? []
        : [openstackPlugin, ngiExampleModule]),
      techInsightsPlugin,
      jsonRulesEngineModule,
      openstackSiteFactsModule,
      catalogServiceMock.factory({ entities: [siteA, unscanned] }),
      captureScheduler,
      // Nothing runs on its own: the test triggers the scan and the retriever's runs.
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      mockServices.rootConfig.factory({
        data: config(options.withRetriever ?? true),
      }),
    ],
  });
  started.push(testBackend);
  const { server } = testBackend;
  // Requests the retriever sends to the OpenStack backend.
  const fetchSpy = jest.spyOn(globalThis, 'fetch');
  const openstackCalls = () =>
    fetchSpy.mock.calls
      .map(([url]) => String(url))
      .filter(url => url.includes('/api/openstack/'));
  return {
    server,
    openstackCalls,
    /** One run of the retriever, as its schedule would start it; resolves when it is done. */
    // (The test scheduler's triggerTask awaits the task.)
    runRetriever: () =>
      scheduler!.triggerTask(OPENSTACK_SITE_FACT_RETRIEVER_ID),
    /** The retriever's handler alone, as the engine calls it (the engine logs what it throws). */
    runHandler: () => openstackSiteFactRetriever.handler(services!),
    latestFacts: async (entityRef: string) => {
      const res = await request(server)
        .get('/api/tech-insights/facts/latest')
        .query({
          entity: entityRef,
          'ids[]': OPENSTACK_SITE_FACT_RETRIEVER_ID,
        });
      expect(res.status).toBe(200);
      return res.body[OPENSTACK_SITE_FACT_RETRIEVER_ID];
    },
    runChecks: async (name: string, ids: string[]) => {
      const res = await request(server)
        .post(`/api/tech-insights/checks/run/default/resource/${name}`)
        .send({ checks: ids });
      expect(res.status).toBe(200);
      return Object.fromEntries(
        (res.body as Array<{ check: { id: string }; result: boolean }>).map(
          r => [r.check.id, r.result],
        ),
      );
    },
  };
}

describe('OpenStack site facts in Tech Insights', () => {
  it('registers its schema with tech-insights and the example checks against it', async () => {
    const { server } = await backend();
    const schemas = await request(server).get(
      '/api/tech-insights/fact-schemas',
    );
    expect(schemas.status).toBe(200);
    const ours = schemas.body.find(
      (s: { id: string }) => s.id === OPENSTACK_SITE_FACT_RETRIEVER_ID,
    );
    expect(ours).toMatchObject({
      version: '0.1.0',
      entityFilter: [{ kind: 'resource', 'spec.type': 'openstack-site' }],
      egiFedcloudScore: { type: 'float' },
      egiFedcloudReady: { type: 'boolean' },
      tenantPlatformBlockingChecks: { type: 'set' },
      failingChecks: { type: 'set' },
      lastScanAt: { type: 'datetime' },
      checkStatuses: { type: 'object' },
    });
    expect(Object.keys(ours)).toEqual(
      expect.arrayContaining(Object.keys(openstackSiteFactSchema)),
    );

    const listed = await request(server).get('/api/tech-insights/checks');
    expect(listed.body.map((c: { id: string }) => c.id)).toEqual(
      Object.keys(checks),
    );
  });

  it('stores each site with one request to the OpenStack backend; an unscanned site has no verdict', async () => {
    const { runRetriever, latestFacts, runChecks, openstackCalls } =
      await backend();
    expect(await latestFacts('resource:default/site-a')).toBeUndefined();

    await runRetriever();
    expect(openstackCalls()).toEqual([
      expect.stringMatching(/\/api\/openstack\/export\?format=json$/),
    ]);
    const declared = {
      'site-a': ['egi-fedcloud', 'tenant-platform', 'ngi-example'],
      'site-z': ['egi-fedcloud', 'tenant-platform'],
    };
    for (const [name, profiles] of Object.entries(declared)) {
      const row = await latestFacts(`resource:default/${name}`);
      expect(row).toMatchObject({
        entity: { kind: 'resource', namespace: 'default', name },
        version: '0.1.0',
      });
      // Before any scan: what the site declares, and no made-up verdict.
      expect(row.facts).toEqual({ scanned: false, profiles, problems: [] });
    }
    // The check's fact is absent, so the rules engine skips it rather than failing the site.
    expect(await runChecks('site-a', ['egiFedcloudReady', 'ngiReady'])).toEqual(
      {},
    );
  });

  it('fails a run, saying why, when the OpenStack backend does not answer, and stores nothing', async () => {
    const { runRetriever, runHandler, latestFacts, openstackCalls } =
      await backend({ withOpenStack: false });
    await expect(runHandler()).rejects.toThrow(
      /Request failed with 404 Not Found/,
    );
    expect(openstackCalls()).toEqual([
      expect.stringMatching(/\/api\/openstack\/export\?format=json$/),
    ]);
    await runRetriever();
    expect(await latestFacts('resource:default/site-a')).toBeUndefined();
  });

  it('is not scheduled without its techInsights.factRetrievers entry', async () => {
    const { runRetriever } = await backend({ withRetriever: false });
    await expect(runRetriever()).rejects.toThrow(/not found/i);
  });
});

describeLive('OpenStack site facts of a scan of sandbox site-a', () => {
  it('carry the scan as the OpenStack API serves it, and checks judge them', async () => {
    const { server, runRetriever, latestFacts, runChecks } = await backend();
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

    await runRetriever();
    const { facts } = await latestFacts('resource:default/site-a');

    // What the OpenStack backend says of the same scan.
    const detail = (
      await request(server).get('/api/openstack/sites/default/site-a')
    ).body;
    const egi = detail.site.latestScan.profiles.find(
      (p: { profileId: string }) => p.profileId === 'egi-fedcloud',
    );
    const tenant = detail.site.latestScan.profiles.find(
      (p: { profileId: string }) => p.profileId === 'tenant-platform',
    );
    const idsWith = (...statuses: string[]) =>
      detail.results
        .filter((r: { status: string }) => statuses.includes(r.status))
        .map((r: { checkId: string }) => r.checkId);

    expect(facts).toMatchObject({
      scanned: true,
      lastScanId: trigger.body.scanId,
      egiFedcloudScore: egi.score,
      egiFedcloudReady: egi.ready,
      egiFedcloudReadiness: egi.readiness,
      egiFedcloudBlockingChecks: egi.blocking,
      tenantPlatformReady: tenant.ready,
      failingChecks: idsWith('fail', 'error'),
      warningChecks: idsWith('warn'),
      notEvaluatedChecks: idsWith('skip'),
      profileScores: {
        'egi-fedcloud': {
          score: egi.score,
          ready: egi.ready,
          readiness: egi.readiness,
          blocking: egi.blocking,
        },
      },
    });
    expect(new Date(facts.lastScanAt).toISOString()).toBe(
      detail.site.latestScan.finishedAt,
    );
    expect(typeof facts.egiFedcloudScore).toBe('number');
    // This credential set has no accounting account: accounting.credentials errors, and it is
    // critical, so EGI's profile is not ready.
    expect(facts.egiFedcloudReady).toBe(false);
    expect(facts.egiFedcloudBlockingChecks).toEqual(['accounting.credentials']);
    // The module's profile: in profileScores only, not as flat facts outside the schema.
    const ngi = detail.site.latestScan.profiles.find(
      (p: { profileId: string }) => p.profileId === 'ngi-example',
    );
    expect(facts.profileScores['ngi-example']).toEqual({
      score: ngi.score,
      ready: ngi.ready,
      readiness: ngi.readiness,
      blocking: ngi.blocking,
    });
    expect(Object.keys(facts).filter(f => f.startsWith('ngi'))).toEqual([]);
    expect(Object.keys(facts.checkStatuses)).toHaveLength(
      detail.results.length,
    );
    // The sandbox's site-a: Keystone v3 answers; its Keystone is plain http on loopback.
    expect(facts.checkStatuses['keystone.v3']).toBe('pass');
    expect(facts.failingChecks).toContain('keystone.tls');

    expect(
      await runChecks('site-a', [
        'egiFedcloudReady',
        'ngiReady',
        'keystoneV3Passes',
        'keystoneTls',
      ]),
    ).toEqual({
      egiFedcloudReady: false,
      ngiReady: ngi.ready,
      keystoneV3Passes: true,
      keystoneTls: false,
    });
    // The unscanned site still has no verdict.
    expect(await runChecks('site-z', ['egiFedcloudReady'])).toEqual({});
  });
});
