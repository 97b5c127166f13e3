import net from 'node:net';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { openstackPlugin } from './plugin';
import {
  sandboxCredentialSet,
  sandboxLive,
  sandboxSiteEntity,
  waitFor,
} from './__testUtils__/sandbox';

// Every external source configured but none answering (a port nobody listens on): their checks
// must end `error` with the failed request as evidence, never `pass`, never `skip`, no crash.
const { describeLive } = sandboxLive();
jest.setTimeout(90_000);

/** A loopback port that was free a moment ago: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

describeLive('checks whose sources do not answer', () => {
  it('end in error with evidence, on the real backend', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const entity = sandboxSiteEntity('site-a', { profiles: 'egi-fedcloud' });
    entity.metadata.annotations!['openstack.fedstack.io/gocdb-name'] =
      'SANDBOX-SITE-A';
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
      const started = await request(backend.server).post(
        '/api/openstack/sites/default/site-a/scans',
      );
      expect(started.status).toBe(202);
      await waitFor(async () => {
        const scan = await request(backend.server).get(
          `/api/openstack/scans/${started.body.scanId}`,
        );
        return scan.body.scan?.status === 'completed' ? scan : undefined;
      }, 'the scan');
      const detail = await request(backend.server).get(
        '/api/openstack/sites/default/site-a',
      );
      const byId = Object.fromEntries(
        detail.body.results.map((r: any) => [r.checkId, r]),
      );
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
          evidenceOfTheSource: result.evidence.some((e: any) =>
            e.url.startsWith(down),
          ),
        };
      });
      expect(verdicts.filter(v => !v.nothingToAccount)).toEqual(
        verdicts
          .filter(v => !v.nothingToAccount)
          .map(v => ({ ...v, status: 'error', evidenceOfTheSource: true })),
      );
      expect(detail.text).not.toContain('probe-secret-value');
    } finally {
      await backend.stop();
    }
  });
});
