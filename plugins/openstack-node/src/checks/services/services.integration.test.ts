import {
  reachableSync,
  SANDBOX_REQUIRED,
  sandboxLive,
  sandboxAccessToken,
  sandboxSettings,
} from '../../testing/sandboxCredentials';
import { SANDBOX_SITES, sandboxSessions } from '../../testing/sandboxSites';
import { ExternalSources, ScanContext } from '../context';
import { runChecks } from '../engine';
import { federationLogin } from '../federation/federationLogin';
import { federationProtocol } from '../federation/federationProtocol';
import { keystoneCatalog } from '../identity/keystoneCatalog';
import { keystoneReachable } from '../identity/keystoneReachable';
import { keystoneTls } from '../identity/keystoneTls';
import { keystoneV3 } from '../identity/keystoneV3';
import { scanContextFor } from '../scan';
import { Check, CheckResult } from '../types';
import { servicesPorts } from './servicesPorts';
import { servicesReachable } from './servicesReachable';
import { servicesVersions } from './servicesVersions';

// The services checks, keystone.tls and federation.login against the live sandbox, run by the
// engine with their prerequisites. Skipped (reason in the suite's name) when the sandbox is down,
// unless the test command requires it.
const settings = sandboxSettings();
const { live, describeLive } = sandboxLive(SANDBOX_SITES['site-a'].keystoneUrl);
const federationUrl = settings.FEDSTACK_SANDBOX_FEDERATION_URL;
const oidcUrl = settings.FEDSTACK_SANDBOX_OIDC_URL;
const federationLive =
  SANDBOX_REQUIRED ||
  (live &&
    !!federationUrl &&
    !!oidcUrl &&
    reachableSync(federationUrl) &&
    reachableSync(oidcUrl));
const describeFederation = federationLive ? describe : describe.skip;

jest.setTimeout(60_000);

async function run(
  siteName: keyof typeof SANDBOX_SITES,
  checks: Array<Check<ScanContext>>,
  sources: ExternalSources = {},
): Promise<{ byId: Record<string, CheckResult>; passwords: string[] }> {
  const site = SANDBOX_SITES[siteName];
  const { sessions, http, passwords } = sandboxSessions(site, settings);
  try {
    const results = await runChecks(checks, {
      contextFor: scanContextFor({ site, sessions, sources }),
    });
    return {
      byId: Object.fromEntries(results.map(r => [r.checkId, r])),
      passwords,
    };
  } finally {
    http.close();
  }
}

const SERVICE_CHECKS = [
  keystoneReachable,
  keystoneCatalog,
  keystoneTls,
  servicesReachable,
  servicesPorts,
  servicesVersions,
];

describeLive(
  `services checks on the live sandbox${
    live ? '' : ' (SKIPPED: sandbox not running)'
  }`,
  () => {
    it('passes site-a, listing object-store :8080 as undeclared; keystone.tls fails its http URL', async () => {
      const { byId, passwords } = await run('site-a', SERVICE_CHECKS);
      expect(byId['services.reachable']).toMatchObject({
        status: 'pass',
        message: expect.stringMatching(
          /^All 6 public endpoints in region RegionOne answer over HTTP/,
        ),
      });
      expect(byId['services.versions']).toMatchObject({
        status: 'pass',
        message: expect.stringContaining('compute v2.1 (microversions 2.1–'),
      });
      expect(byId['services.versions'].message).toMatch(
        /object-store Swift \d/,
      );
      expect(byId['services.ports']).toMatchObject({
        status: 'pass',
        message: expect.stringMatching(
          /^5 public endpoint\(s\) in region RegionOne use their expected ports and accept connections .*; object-store :8080 has no default or declared port and is not judged$/,
        ),
      });
      expect(byId['services.ports'].details!.undeclared).toEqual([
        expect.objectContaining({ type: 'object-store', port: 8080 }),
      ]);
      expect(byId['keystone.tls']).toMatchObject({
        status: 'fail',
        message: expect.stringContaining(
          'http://127.0.0.1:5000/v3 is plain http',
        ),
      });
      const everything = JSON.stringify(byId);
      for (const password of passwords) {
        expect(everything).not.toContain(password);
      }
    });

    it('finds site-b’s compute port and its dead orchestration endpoint, though its catalog fails', async () => {
      const { byId } = await run('site-b', SERVICE_CHECKS);
      // The catalog lacks Cinder and Swift: the services it lists are still judged.
      expect(byId['keystone.catalog'].status).toBe('fail');
      expect(byId['services.ports']).toMatchObject({
        status: 'warn',
        message: 'compute at :18774, default 8774; declare it if intended',
      });
      expect(byId['services.reachable']).toMatchObject({
        status: 'fail',
        message: expect.stringMatching(
          /^1 of 5 public endpoints in region RegionTwo do not answer: orchestration at http:\/\/127\.0\.0\.2:8004\/v1\/\w+ \(.*ECONNREFUSED/,
        ),
      });
      expect(byId['services.versions']).toMatchObject({
        status: 'pass',
        message: expect.stringContaining(
          'orchestration did not answer (see services.reachable)',
        ),
      });
    });
  },
);

describeFederation(
  `federation.login on the live sandbox${
    federationLive
      ? ''
      : ' (SKIPPED: Apache or the OIDC provider do not answer)'
  }`,
  () => {
    it('logs the ops test account in through Apache and scopes to ops', async () => {
      let issued: string | undefined;
      const { byId } = await run(
        'site-a',
        [keystoneReachable, keystoneV3, federationProtocol, federationLogin],
        {
          federationLogin: {
            accessToken: async () => {
              issued = await sandboxAccessToken(settings);
              return issued;
            },
            authUrl: federationUrl,
            project: 'ops',
          },
        },
      );
      const result = byId['federation.login'];
      expect(result).toMatchObject({
        status: 'pass',
        message: expect.stringMatching(
          /^Federated user \w+@egi\.eu logged in through egi\.eu\/openid, may use .*ops.* and got a token for project ops/,
        ),
      });
      expect(result.evidence.map(e => e.method)).toEqual([
        'POST',
        'GET',
        'POST',
      ]);
      expect(result.evidence[0].url).toContain(
        `${
          new URL(federationUrl!).origin
        }/v3/OS-FEDERATION/identity_providers/egi.eu/protocols/openid/auth`,
      );
      expect(issued).toBeTruthy();
      expect(JSON.stringify(result)).not.toContain(issued!);
    });
  },
);
