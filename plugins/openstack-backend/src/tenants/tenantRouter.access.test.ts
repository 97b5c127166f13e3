import { randomUUID } from 'node:crypto';
import { Server } from 'node:http';
import express from 'express';
import Router from 'express-promise-router';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import {
  openstackReplicationRunPermission,
  openstackTenantApprovePermission,
} from '@fedstack/plugin-openstack-common';
import request from 'supertest';
import { TenantStore } from './TenantStore';
import {
  as,
  closedSiteConfig,
  closedSiteEntity,
  startOpenStackBackend,
} from '../__testUtils__/backend';

// Who reads which tenants and replication runs. The plugin asks the real permissions service
// (backend-defaults), which carries users' questions to a stand-in permission backend with a
// small policy below and decides service principals itself, as in the portal. Tenants are
// requested through the API; the replication run is written to the store, because a run
// against a reachable Keystone needs the sandbox (tenants.integration.test.ts).
jest.setTimeout(60_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const teamA = 'group:default/team-a';
const teamB = 'group:default/team-b';
const alice = 'user:default/alice'; // member of team-a
const bob = 'user:default/bob'; // member of team-b
const carol = 'user:default/carol'; // approver, in no workspace
const olivia = 'user:default/olivia'; // may run replications, in no workspace
const dave = 'user:default/dave'; // in no workspace, may do nothing special
const membership: Record<string, string[]> = {
  [alice]: [alice, teamA],
  [bob]: [bob, teamB],
};

// The policy: approving is carol's, running replications olivia's; the rest is everyone's.
const asked: Array<{ user: string; permission: string }> = [];
const decide = (user: string, permission: string) => {
  if (permission === openstackTenantApprovePermission.name)
    return user === carol;
  if (permission === openstackReplicationRunPermission.name)
    return user === olivia;
  return true;
};
const permissionStandIn = createBackendPlugin({
  pluginId: 'permission',
  register(reg) {
    reg.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        const router = Router();
        router.use(express.json());
        router.post('/authorize', async (req, res) => {
          const credentials = await httpAuth.credentials(req, {
            allow: ['user'],
          });
          const user = credentials.principal.userEntityRef;
          const items = req.body.items as Array<{
            id: string;
            permission: { name: string };
          }>;
          asked.push(
            ...items.map(i => ({ user, permission: i.permission.name })),
          );
          res.json({
            items: items.map(i => ({
              id: i.id,
              result: decide(user, i.permission.name) ? 'ALLOW' : 'DENY',
            })),
          });
        });
        httpRouter.use(router);
      },
    });
  },
});

let server: Server;
let store: TenantStore;
let tenantA: string;
let tenantB: string;
let runId: string;

async function requestTenant(user: string, workspace: string, project: string) {
  const res = await request(server)
    .post('/api/openstack/tenants')
    .set('Authorization', as(user))
    .send({
      workspace,
      site: 'resource:default/site-a',
      project,
      landingZone: 'manual',
      members: [{ euid: `${project}@egi.eu`, role: 'admin' }],
    });
  if (res.status !== 201) throw new Error(`tenant: ${res.text}`);
  return res.body.id as string;
}

beforeAll(async () => {
  const knex = await databases.init('SQLITE_3');
  ({ server } = await startOpenStackBackend({
    knex,
    features: [permissionStandIn, permissionsServiceFactory],
    sites: [closedSiteEntity()],
    ownership: user => membership[user] ?? [user],
    config: { permission: { enabled: true } },
    openstack: {
      ...closedSiteConfig('replicator'),
      // Every request waits for approval: nothing replicates on its own.
      replication: { landingZones: [{ id: 'manual', title: 'Manual' }] },
    },
  }));
  tenantA = await requestTenant(alice, teamA, 'alpha');
  tenantB = await requestTenant(bob, teamB, 'beta');

  // A run of site-a with both tenants, a step each and a step of no tenant.
  store = new TenantStore(knex);
  runId = randomUUID();
  await store.createRun({
    id: runId,
    siteRef: 'resource:default/site-a',
    trigger: 'manual',
    dryRun: true,
    startedAt: new Date(),
  });
  const outcome = (tenantId: string, projectName: string) => ({
    tenantId,
    projectName,
    status: 'planned' as const,
    remarks: [`member ${projectName}@egi.eu has no account on the site yet`],
    warnings: [],
    errors: [],
  });
  await store.completeRun(runId, {
    status: 'planned',
    keystoneCalls: 3,
    steps: [
      { summary: 'create domain team-b' },
      { summary: 'create project team-a.alpha', tenantId: tenantA },
      { summary: 'create project team-b.beta', tenantId: tenantB },
    ],
    tenants: [
      outcome(tenantA, 'team-a.alpha'),
      outcome(tenantB, 'team-b.beta'),
    ],
    finishedAt: new Date(),
  });
});

const get = (path: string, authorization: string) =>
  request(server)
    .get(`/api/openstack${path}`)
    .set('Authorization', authorization);
const ids = (res: request.Response) =>
  res.body.tenants.map(
    (t: { id?: string; tenantId?: string }) => t.id ?? t.tenantId,
  );

describe('tenant reads', () => {
  it("a member lists their workspace's tenants and no one else's", async () => {
    const a = await get('/tenants', as(alice));
    expect(a.status).toBe(200);
    expect(ids(a)).toEqual([tenantA]);
    expect(a.body.tenants[0].members).toEqual([
      { euid: 'alpha@egi.eu', role: 'admin' },
    ]);
    const b = await get('/tenants', as(bob));
    expect(ids(b)).toEqual([tenantB]);
  });

  it('?workspace= stays a filter: empty for a workspace the user is not in', async () => {
    const other = await get(
      `/tenants?workspace=${encodeURIComponent(teamB)}`,
      as(alice),
    );
    expect(other.status).toBe(200);
    expect(other.body.tenants).toEqual([]);
    // Their own, whatever the case of the ref.
    const own = await get(
      `/tenants?workspace=${encodeURIComponent('group:default/Team-A')}`,
      as(alice),
    );
    expect(ids(own)).toEqual([tenantA]);
    const bad = await get('/tenants?workspace=team-b', as(alice));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/workspace: a group entity ref/);
  });

  it("another workspace's tenant is 404, as an unknown id is", async () => {
    const own = await get(`/tenants/${tenantA}`, as(alice));
    expect(own.status).toBe(200);
    expect(own.body.events.length).toBeGreaterThan(0);
    const other = await get(`/tenants/${tenantB}`, as(alice));
    const unknown = await get(`/tenants/${randomUUID()}`, as(alice));
    expect([other.status, unknown.status]).toEqual([404, 404]);
    expect(other.body.error.name).toBe(unknown.body.error.name);
    expect(other.body.error.message).toBe(`No tenant ${tenantB}`);
  });

  it('a user in no workspace sees no tenant', async () => {
    const list = await get('/tenants', as(dave));
    expect(list.status).toBe(200);
    expect(list.body.tenants).toEqual([]);
    expect((await get(`/tenants/${tenantA}`, as(dave))).status).toBe(404);
  });

  it("an approver sees every workspace's tenants", async () => {
    const all = await get('/tenants', as(carol));
    expect(ids(all)).toEqual([tenantA, tenantB]);
    const waiting = await get(
      `/tenants?workspace=${encodeURIComponent(
        teamB,
      )}&status=requires-approval`,
      as(carol),
    );
    expect(ids(waiting)).toEqual([tenantB]);
    expect((await get(`/tenants/${tenantB}`, as(carol))).status).toBe(200);
  });

  it("the backend's own calls (a service principal) see every tenant", async () => {
    const before = asked.length;
    const all = await get('/tenants', mockCredentials.service.header());
    expect(all.status).toBe(200);
    expect(ids(all)).toEqual([tenantA, tenantB]);
    const one = await get(
      `/tenants/${tenantB}`,
      mockCredentials.service.header(),
    );
    expect(one.status).toBe(200);
    // The permissions service decided for the service itself; the policy was not asked.
    expect(asked.slice(before)).toEqual([]);
  });
});

describe('replication run reads', () => {
  it('whoever may run replications sees the whole run', async () => {
    const res = await get(`/replications/${runId}`, as(olivia));
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([tenantA, tenantB]);
    expect(res.body.steps).toHaveLength(3);
    const service = await get(
      `/replications/${runId}`,
      mockCredentials.service.header(),
    );
    expect(service.status).toBe(200);
    expect(service.body.steps).toHaveLength(3);
  });

  it("a member sees the run limited to their workspace's tenants", async () => {
    const a = await get(`/replications/${runId}`, as(alice));
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({
      id: runId,
      site: 'resource:default/site-a',
      status: 'planned',
      keystoneCalls: 3,
    });
    expect(a.body.tenants).toEqual([
      expect.objectContaining({
        tenantId: tenantA,
        projectName: 'team-a.alpha',
      }),
    ]);
    // Not the domain step either: it names another workspace.
    expect(a.body.steps).toEqual([
      { summary: 'create project team-a.alpha', tenantId: tenantA },
    ]);
    expect(JSON.stringify(a.body)).not.toMatch(/team-b|beta/);
    const b = await get(`/replications/${runId}`, as(bob));
    expect(ids(b)).toEqual([tenantB]);
  });

  it('is 404 for a user with no tenant in the run, as for an unknown run', async () => {
    // carol approves tenants but neither runs replications nor belongs to a workspace.
    for (const user of [carol, dave]) {
      const res = await get(`/replications/${runId}`, as(user));
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe(`No replication run ${runId}`);
    }
    expect(
      (await get(`/replications/${randomUUID()}`, as(olivia))).status,
    ).toBe(404);
    const bad = await get('/replications/not-a-uuid', as(alice));
    expect(bad.status).toBe(400);
  });
});
