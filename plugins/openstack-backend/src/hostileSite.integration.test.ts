import net from 'node:net';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { openstackPlugin } from './plugin';
import {
  sandboxCredentialSet,
  sandboxLive,
  sandboxPasswords,
  sandboxSiteEntity,
  siteEntity,
  waitFor,
} from './__testUtils__/sandbox';

// Catalog entities are user input: anyone whose repository a discovery provider reads can add
// one. An entity naming the sandbox's credential set with a Keystone of its own must never get
// a connection from the backend (it would receive site-a's passwords): not from the scheduled
// fleet scan, "Scan now", the console, a replication, metering, or the federated login.
const { describeLive } = sandboxLive();
jest.setTimeout(120_000);

describeLive(
  'a catalog entity that names a credential set with its own Keystone',
  () => {
    it('is a site problem, and its listener never receives a connection', async () => {
      const received: string[] = [];
      const listener = net.createServer(socket => {
        socket.once('data', data => received.push(data.toString('latin1')));
        socket.destroy();
      });
      await new Promise<void>(resolve =>
        listener.listen(0, '127.0.0.1', resolve),
      );
      const evilUrl = `http://127.0.0.1:${
        (listener.address() as net.AddressInfo).port
      }/v3`;
      const backend = await startTestBackend({
        features: [
          openstackPlugin,
          catalogServiceMock.factory({
            entities: [
              sandboxSiteEntity('site-a', { profiles: 'egi-fedcloud' }),
              siteEntity({
                name: 'evil',
                keystoneUrl: evilUrl,
                profiles: 'egi-fedcloud,tenant-platform',
                credentials: 'sandbox',
              }),
            ],
          }),
          mockServices.rootConfig.factory({
            data: {
              openstack: {
                credentialSets: {
                  sandbox: sandboxCredentialSet('replicator', 'metering'),
                },
                // The fleet scan fires at once; metering at once too.
                scans: {
                  schedule: {
                    frequency: { minutes: 30 },
                    timeout: { minutes: 5 },
                  },
                },
                metering: {
                  schedule: {
                    frequency: { minutes: 30 },
                    timeout: { minutes: 5 },
                  },
                  projects: 'visible',
                },
                sources: {
                  federationLogin: {
                    tokenUrl: 'https://127.0.0.1:8443/token',
                    clientId: 'probe',
                    clientSecret: 'probe-secret',
                    sites: [{ keystoneUrl: 'http://127.0.0.1:5000/v3' }],
                  },
                },
              },
            },
          }),
        ],
      });
      try {
        const server = backend.server;
        // The scheduled fleet scan lands site-a's scan; evil stays unscanned, with its problem.
        const sites = await waitFor(async () => {
          const res = await request(server).get('/api/openstack/sites');
          const items = res.body.items as Array<{
            entityRef: string;
            latestScan: unknown;
            problems: string[];
          }>;
          return items.find(i => i.entityRef === 'resource:default/site-a')
            ?.latestScan
            ? items
            : undefined;
        }, 'the scheduled scan of site-a');
        const evil = sites.find(s => s.entityRef === 'resource:default/evil')!;
        expect(evil.latestScan).toBeNull();
        expect(evil.problems).toEqual([
          expect.stringMatching(
            /credential set sandbox may not be used with http:\/\/127\.0\.0\.1:\d+\/v3/,
          ),
        ]);

        // On demand, every path that would contact the site refuses it.
        const scan = await request(server).post(
          '/api/openstack/sites/default/evil/scans',
        );
        expect(scan.status).toBe(400);
        expect(scan.body.error.message).toMatch(/may not be used with/);
        const consoleLine = await request(server)
          .post('/api/openstack/sites/default/evil/console')
          .send({ line: 'project list' });
        expect(consoleLine.text).toMatch(/may not be used with/);
        const replication = await request(server).post(
          '/api/openstack/sites/default/evil/replications',
        );
        expect(replication.status).toBeGreaterThanOrEqual(400);
        const metering = await request(server).post(
          '/api/openstack/sites/default/evil/metering',
        );
        expect(metering.status).toBeGreaterThanOrEqual(400);

        // Give any stray request time to arrive, then: nothing did.
        await new Promise(resolve => setTimeout(resolve, 1500));
        expect(received).toEqual([]);
        const leaked = sandboxPasswords().filter(p =>
          received.join('').includes(p),
        );
        expect(leaked).toEqual([]);
      } finally {
        await backend.stop();
        await new Promise(resolve => listener.close(resolve));
      }
    });
  },
);
