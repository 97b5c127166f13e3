import { Server } from 'node:http';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { openstackPlugin } from '../plugin';
import { localSite } from '../__testUtils__/localSite';

// Under NODE_ENV=development (as scripts/start.sh runs the backend) Backstage's error handler
// puts the stack, with the server's absolute paths, in the body. No route of the plugin may.
// The catalog is down, so every route that needs a site fails with a 500.
jest.setTimeout(60_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const registered = localSite('http://127.0.0.1:9/v3');

let server: Server;
const nodeEnv = process.env.NODE_ENV;

beforeAll(async () => {
  // Read when the framework makes its error handler: set before the backend starts.
  process.env.NODE_ENV = 'development';
  const knex = await databases.init('SQLITE_3');
  const catalogDown = async () => {
    throw new Error('the catalog is down');
  };
  ({ server } = await startTestBackend({
    features: [
      openstackPlugin,
      mockServices.database.factory({ knex }),
      catalogServiceMock.mock({
        getEntities: catalogDown,
        getEntityByRef: catalogDown,
        getEntitiesByRefs: catalogDown,
        queryEntities: catalogDown,
      }).factory,
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootConfig.factory({
        data: { openstack: { ...registered.config } },
      }),
      mockServices.rootLogger.factory({ level: 'none' }),
    ],
  }));
});

afterAll(() => {
  process.env.NODE_ENV = nodeEnv;
});

const site = '/sites/default/site-a';
const dots = '/sites/default/%2e%2e';
const cases: Array<
  [string, 'get' | 'post', string, 400 | 500, object | undefined]
> = [
  ['scans', 'get', '/sites', 500, undefined],
  ['scans', 'get', '/scans/not-a-uuid', 400, undefined],
  ['scans', 'post', `${dots}/scans`, 400, {}],
  ['metering', 'get', `${site}/projects/p1/usage`, 500, undefined],
  ['metering', 'get', `${dots}/projects/p1/workloads`, 400, undefined],
  ['tenants', 'get', `${site}/replications`, 500, undefined],
  ['tenants', 'post', '/tenants', 400, { project: 'x' }],
  ['console', 'post', `${site}/console`, 500, { line: 'domain list' }],
  ['console', 'post', `${dots}/console`, 400, { line: 'domain list' }],
];

describe('error bodies under NODE_ENV=development', () => {
  it.each(cases)(
    '%s router: %s %s answers %d without a stack',
    async (_router, method, path, status, body) => {
      let call = request(server)[method](`/api/openstack${path}`);
      if (body) call = call.send(body);
      const response = await call;
      expect(response.status).toBe(status);
      expect(response.body.error.message).toEqual(expect.any(String));
      expect(response.body.error).not.toHaveProperty('stack');
      expect(response.text).not.toContain('"stack"');
      expect(response.text).not.toContain(process.cwd());
    },
  );
});
