import { Catalog, listEndpoints } from '../../client/identity/catalog';
import { OpenStackSession } from '../../client/session';
import {
  FixtureSite,
  loadFixture,
  startFixtureSite,
} from '../../testing/sandboxFixtures';
import {
  DEFAULT_SCAN_SETTINGS,
  ScanContext,
  ScanSettings,
  SiteUnderTest,
} from '../context';
import { runChecks } from '../engine';
import { scanContextFor } from '../scan';
import { keystoneReachable } from '../identity/keystoneReachable';
import { Check, CheckResult } from '../types';
import { planPorts, portRemark, servicesPorts } from './servicesPorts';
import { servicesReachable } from './servicesReachable';
import { judgeVersions, servicesVersions } from './servicesVersions';

// The services.* checks against the sandbox's recorded answers, replayed from local sockets.
// The replay moves every recorded service to a port of its own; endpoints that were never
// recorded (site-b's orchestration on 127.0.0.2:8004, where nothing listens) keep their URL.

const REGIONS = { 'site-a': 'RegionOne', 'site-b': 'RegionTwo' } as const;

/** The catalog as recorded, before the replay rewrote its URLs. */
function recordedCatalog(site: keyof typeof REGIONS): Catalog {
  return (
    loadFixture(site, 'auth-tokens-password').response.body as {
      token: { catalog: Catalog };
    }
  ).token.catalog;
}

function recordedEndpoints(site: keyof typeof REGIONS) {
  return listEndpoints(recordedCatalog(site), {
    interface: 'public',
    region: REGIONS[site],
  });
}

/** The replay's port for a recorded origin such as `http://127.0.0.1:5000`. */
function replayPort(site: FixtureSite, origin: string): number {
  const local = site.origins.get(origin);
  if (!local) throw new Error(`${origin} was not recorded`);
  return Number(new URL(local).port);
}

async function run(
  fixture: FixtureSite,
  name: keyof typeof REGIONS,
  checks: Array<Check<ScanContext>>,
  overrides: {
    site?: Partial<SiteUnderTest>;
    settings?: Partial<ScanSettings>;
  } = {},
): Promise<Record<string, CheckResult>> {
  const session = new OpenStackSession({
    keystoneUrl: fixture.keystoneUrl,
    region: REGIONS[name],
    credential: {
      type: 'password',
      username: 'admin',
      password: 'admin-secret',
      scope: { project: { name: 'admin', domain: { id: 'default' } } },
    },
    httpOptions: { timeoutMs: 3000 },
    now: () => fixture.recordedAt.getTime(),
  });
  try {
    const results = await runChecks([keystoneReachable, ...checks], {
      contextFor: scanContextFor({
        site: {
          name,
          keystoneUrl: fixture.keystoneUrl,
          region: REGIONS[name],
          ...overrides.site,
        },
        settings: overrides.settings,
        sessions: { reader: session },
        now: () => fixture.recordedAt,
      }),
    });
    return Object.fromEntries(results.map(r => [r.checkId, r]));
  } finally {
    session.close();
  }
}

describe('services.* on site-a (recorded)', () => {
  let site: FixtureSite;
  beforeAll(async () => {
    site = await startFixtureSite('site-a');
  });
  afterAll(() => site.close());

  it('finds every recorded endpoint on its default port, object-store undeclared', () => {
    const plans = planPorts(recordedEndpoints('site-a'), {
      defaults: DEFAULT_SCAN_SETTINGS.defaultPorts,
    });
    expect(plans.map(p => [p.type, p.port, p.verdict])).toEqual([
      ['identity', 5000, 'expected'],
      ['compute', 8774, 'expected'],
      ['volumev3', 8776, 'expected'],
      ['image', 9292, 'expected'],
      ['network', 9696, 'expected'],
      ['object-store', 8080, 'undeclared'],
    ]);
    expect(plans.map(portRemark).filter(Boolean)).toEqual([]);
  });

  it('services.reachable: every public endpoint answers, each with status and time', async () => {
    const results = await run(site, 'site-a', [servicesReachable]);
    const result = results['services.reachable'];
    expect(result.status).toBe('pass');
    expect(result.message).toMatch(
      /^All 6 public endpoints in region RegionOne answer over HTTP: identity \(HTTP 300\), compute \(HTTP 200\), volumev3 \(HTTP 300\)/,
    );
    const endpoints = result.details!.endpoints as Array<{
      type: string;
      probedUrl: string;
      status: number;
      ms: number;
    }>;
    expect(endpoints.map(e => e.type)).toEqual([
      'identity',
      'compute',
      'volumev3',
      'image',
      'network',
      'object-store',
    ]);
    // Asked at the version root, without the project in the path.
    expect(endpoints.find(e => e.type === 'volumev3')!.probedUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/$/,
    );
    expect(endpoints.every(e => typeof e.ms === 'number')).toBe(true);
    expect(result.evidence).toHaveLength(6);
    expect(result.evidence.every(e => !e.requestHeaders['x-auth-token'])).toBe(
      true,
    );
  });

  it('services.versions: every service meets its minimum, with Nova microversions and Swift', async () => {
    const results = await run(site, 'site-a', [servicesVersions]);
    const result = results['services.versions'];
    expect(result.status).toBe('pass');
    expect(result.message).toMatch(
      /^Every service meets its minimum API version: /,
    );
    expect(result.message).toContain('identity v3.14');
    expect(result.message).toContain('compute v2.1 (microversions 2.1–2.93)');
    expect(result.message).toContain('volumev3 v3.0');
    expect(result.message).toContain('network v2.0');
    expect(result.message).toContain('object-store Swift 2.30.1');
  });

  it('services.versions: fails a service below its minimum, naming what it offers', async () => {
    const results = await run(site, 'site-a', [servicesVersions], {
      settings: {
        minimumVersions: {
          ...DEFAULT_SCAN_SETTINGS.minimumVersions,
          network: [3, 0],
        },
      },
    });
    expect(results['services.versions']).toMatchObject({
      status: 'fail',
      message: 'network offers v2.0 (CURRENT), below the minimum 3.0',
    });
  });

  it('judges a recorded Nova version document against a minimum', () => {
    const versions = (
      loadFixture('site-a', 'compute-root').response.body as {
        versions: Parameters<typeof judgeVersions>[1];
      }
    ).versions;
    const endpoint = { type: 'compute', url: 'http://127.0.0.1:8774/v2.1' };
    expect(judgeVersions(endpoint, versions, [2, 0])).toMatchObject({
      verdict: 'ok',
      best: 'v2.1 (microversions 2.1–2.93)',
      offered: [
        { id: 'v2.0', status: 'SUPPORTED' },
        { id: 'v2.1', status: 'CURRENT', microversions: '2.1–2.93' },
      ],
    });
    expect(judgeVersions(endpoint, versions, [2, 2]).verdict).toBe('below');
  });

  it('services.ports: passes on the declared ports, listing the undeclared object-store', async () => {
    const declaredPorts = {
      identity: replayPort(site, 'http://127.0.0.1:5000'),
      compute: replayPort(site, 'http://127.0.0.1:8774'),
      volumev3: replayPort(site, 'http://127.0.0.1:8776'),
      image: replayPort(site, 'http://127.0.0.1:9292'),
      network: replayPort(site, 'http://127.0.0.1:9696'),
    };
    const results = await run(site, 'site-a', [servicesPorts], {
      site: { declaredPorts },
    });
    const result = results['services.ports'];
    expect(result.status).toBe('pass');
    expect(result.message).toMatch(
      /^5 public endpoint\(s\) in region RegionOne use their expected ports and accept connections \(.*\); object-store :\d+ has no default or declared port and is not judged$/,
    );
    expect(result.details!.undeclared).toEqual([
      expect.objectContaining({ type: 'object-store' }),
    ]);
    expect(result.evidence.map(e => e.method)).toEqual(Array(5).fill('TCP'));
  });
});

describe('services.* on site-b (recorded defects)', () => {
  let site: FixtureSite;
  beforeAll(async () => {
    site = await startFixtureSite('site-b');
  });
  afterAll(() => site.close());

  it('finds compute on a non-default port and orchestration without a default', () => {
    const plans = planPorts(recordedEndpoints('site-b'), {
      defaults: DEFAULT_SCAN_SETTINGS.defaultPorts,
    });
    expect(plans.map(p => [p.type, p.port, p.verdict])).toEqual([
      ['identity', 5000, 'expected'],
      ['image', 9292, 'expected'],
      ['network', 9696, 'expected'],
      ['compute', 18774, 'non-default'],
      ['orchestration', 8004, 'undeclared'],
    ]);
    expect(plans.map(portRemark).filter(Boolean)).toEqual([
      'compute at :18774, default 8774; declare it if intended',
    ]);
    // Declared, the same port is what the site meant.
    const declared = planPorts(recordedEndpoints('site-b'), {
      declared: { compute: 18774 },
      defaults: DEFAULT_SCAN_SETTINGS.defaultPorts,
    });
    expect(declared.find(p => p.type === 'compute')!.verdict).toBe('expected');
    const mismatch = planPorts(recordedEndpoints('site-b'), {
      declared: { compute: 8775 },
      defaults: DEFAULT_SCAN_SETTINGS.defaultPorts,
    });
    expect(mismatch.map(portRemark).filter(Boolean)).toEqual([
      'compute at :18774, declared 8775; correct the endpoint or the declaration',
    ]);
  });

  it('services.reachable: fails on the orchestration endpoint where nothing listens', async () => {
    const results = await run(site, 'site-b', [servicesReachable]);
    const result = results['services.reachable'];
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(
      /^1 of 5 public endpoints in region RegionTwo do not answer: orchestration at http:\/\/127\.0\.0\.2:8004\/v1\/[0-9a-f]+ \(.*\)$/,
    );
    const endpoints = result.details!.endpoints as Array<{
      type: string;
      answered: boolean;
      status?: number;
    }>;
    expect(endpoints.filter(e => e.answered).map(e => e.type)).toEqual([
      'identity',
      'image',
      'network',
      'compute',
    ]);
    expect(
      result.evidence.find(e => e.url.includes(':8004'))?.error,
    ).toBeTruthy();
  });

  it('services.ports: warns for compute off its default port', async () => {
    // Identity, image and network declared where the replay serves them; compute left to
    // its default 8774, as on the recorded site.
    const declaredPorts = {
      identity: replayPort(site, 'http://127.0.0.2:5000'),
      image: replayPort(site, 'http://127.0.0.2:9292'),
      network: replayPort(site, 'http://127.0.0.2:9696'),
    };
    const computePort = replayPort(site, 'http://127.0.0.2:18774');
    const results = await run(site, 'site-b', [servicesPorts], {
      site: { declaredPorts },
    });
    expect(results['services.ports']).toMatchObject({
      status: 'warn',
      message: `compute at :${computePort}, default 8774; declare it if intended`,
    });
  });

  it('services.ports: fails for a judged port that does not accept connections', async () => {
    const results = await run(site, 'site-b', [servicesPorts], {
      site: { declaredPorts: { orchestration: 8004 } },
    });
    const result = results['services.ports'];
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(
      /^orchestration at 127\.0\.0\.2:8004 does not accept connections \(.+\); also /,
    );
    expect(
      result.evidence.find(e => e.url === 'tcp://127.0.0.2:8004'),
    ).toMatchObject({
      method: 'TCP',
      error: expect.any(String),
    });
  });

  it('services.versions: judges what answers and leaves the silent orchestration to services.reachable', async () => {
    const results = await run(site, 'site-b', [servicesVersions]);
    const result = results['services.versions'];
    expect(result.status).toBe('pass');
    expect(result.message).toMatch(
      /^Every service meets its minimum API version: identity v3\.14, image v2\.\d+, network v2\.0 and compute v2\.1 \(microversions 2\.1–2\.93\); orchestration did not answer \(see services\.reachable\)$/,
    );
  });
});
