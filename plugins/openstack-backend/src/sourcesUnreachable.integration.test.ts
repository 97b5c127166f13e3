import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { openstackPlugin } from './plugin';
import {
  freeLoopbackPort,
  sandboxCredentialSet,
  sandboxLive,
  sandboxSiteEntity,
  scanNow,
} from './__testUtils__/sandbox';

// Every external source configured but none answering (a port nobody listens on): their checks
// must end `error` with the failed request as evidence, never `pass`, never `skip`, no crash.
const { describeLive } = sandboxLive();
jest.setTimeout(90_000);

describeLive('checks whose sources do not answer', () => {
  it('end in error with evidence, on the real backend', async () => {
    const down = `http://127.0.0.1:${await freeLoopbackPort()}`;
    const entity = sandboxSiteEntity('site-a', {
      profiles: 'egi-fedcloud',
      gocdbName: 'SANDBOX-SITE-A',
    });
    const backend = await startTestBackend({
      features: [
        openstackPlugin,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.rootConfig.factory({
          data: {
            openstack: {
              credentialSets: { sandbox: sandboxCredentialSet() },
              scans: {
                schedule: {
                  frequency: { hours: 24 },
                  timeout: { minutes: 5 },
                  initialDelay: { hours: 1 },
                },
                requestTimeoutMs: 3000,
              },
              sources: {
                gocdb: { url: `${down}/gocdbpi/public/` },
                cloudInfo: { url: `${down}/` },
                accounting: { kind: 'accounting-portal', url: down },
                federationLogin: {
                  tokenUrl: `${down}/token`,
                  clientId: 'probe',
                  clientSecret: 'probe-secret-value',
                  sites: [{ keystoneUrl: 'http://127.0.0.1:5000/v3' }],
                },
              },
            },
          },
        }),
      ],
    });
    try {
      const results = await scanNow(backend.server, 'site-a');
      const byId = Object.fromEntries(results.map(r => [r.checkId, r]));
      const verdicts = [
        'registration.gocdb',
        'registration.info',
        'accounting.fresh',
        'accounting.coverage',
        'federation.login',
      ].map(id => {
        const result = byId[id];
        return {
          id,
          status: result.status,
          // Coverage asks the source only for VOs whose servers ran (none may have: then
          // nothing needs records, and it says so).
          nothingToAccount:
            id === 'accounting.coverage' &&
            result.status === 'pass' &&
            /nothing to account/.test(result.message),
          evidenceOfTheSource: result.evidence.some(e =>
            e.url.startsWith(down),
          ),
        };
      });
      expect(verdicts.filter(v => !v.nothingToAccount)).toEqual(
        verdicts
          .filter(v => !v.nothingToAccount)
          .map(v => ({ ...v, status: 'error', evidenceOfTheSource: true })),
      );
      expect(JSON.stringify(results)).not.toContain('probe-secret-value');
    } finally {
      await backend.stop();
    }
  });
});
