import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Server } from 'node:http';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import { TenantStore } from './tenants/TenantStore';
import { keystoneDownResult, storeFinishedScan } from './__testUtils__/scans';
import {
  as,
  closedSiteConfig,
  closedSiteEntity,
  startOpenStackBackend,
} from './__testUtils__/backend';

// Every route of the plugin, each with a user the permission framework allows everything, one
// it denies everything, (for the workspace's tenant routes) an allowed user who is not a member
// of the workspace, and (for the tenant reads) a denied user who is in no workspace. The site's
// Keystone is a closed port, so nothing leaves the machine.
jest.setTimeout(60_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const allowed = 'user:default/allowed';
const denied = 'user:default/denied';
const outsider = 'user:default/outsider';
const stranger = 'user:default/stranger';
// Allowed too, but not the requester: nobody approves their own request.
const approver = 'user:default/approver';
const workspace = 'group:default/team-a';

let server: Server;
let scanId: string;
let tenantId: string;
let runId: string;
let waiverId: string;
const authorized: string[] = [];

beforeAll(async () => {
  const knex = await databases.init('SQLITE_3');
  ({ server } = await startOpenStackBackend({
    knex,
    features: [
      mockServices.permissions.mock({
        // Conditional for every permission: the router asks about each site every time (an
        // answer that does not depend on the site would be kept a few seconds per user).
        authorizeConditional: async queries =>
          queries.map(() => ({
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'catalog',
            resourceType: 'catalog-entity',
            conditions: {
              rule: 'IS_ENTITY_OWNER',
              resourceType: 'catalog-entity',
              params: { claims: [] },
            },
          })),
        authorize: async (requests, options) => {
          const user = (
            options.credentials.principal as { userEntityRef?: string }
          ).userEntityRef;
          authorized.push(...requests.map(r => r.permission.name));
          return requests.map(() => ({
            result:
              user === denied || user === stranger
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }));
        },
      }).factory,
    ],
    sites: [closedSiteEntity()],
    ownership: user =>
      user === outsider || user === stranger ? [user] : [user, workspace],
    openstack: {
      ...closedSiteConfig('replicator', 'metering'),
      replication: { landingZones: [{ id: 'manual', title: 'Manual' }] },
    },
  }));
  scanId = await storeFinishedScan(knex, 'resource:default/site-a', [
    keystoneDownResult('keystone.v3', 'Keystone v3'),
  ]);
  const tenant = await request(server)
    .post('/api/openstack/tenants')
    .set('Authorization', as(allowed))
    .send(tenantRequest('first'));
  if (tenant.status !== 201) throw new Error(`tenant: ${tenant.text}`);
  tenantId = tenant.body.id;
  const run = await request(server)
    .post('/api/openstack/sites/default/site-a/replications')
    .set('Authorization', as(allowed))
    .send({ dryRun: true });
  if (run.status !== 200) throw new Error(`run: ${run.text}`);
  // That run reached no Keystone, so it has no tenant; members see a run with theirs in it.
  runId = await storeRunWith(knex, tenantId);
  const waiver = await request(server)
    .post('/api/openstack/sites/default/site-a/waivers')
    .set('Authorization', as(allowed))
    .send(waiverRequest('keystone.tls'));
  if (waiver.status !== 201) throw new Error(`waiver: ${waiver.text}`);
  waiverId = waiver.body.id;
});

function waiverRequest(checkId: string) {
  return {
    checkId,
    reason: 'The site moves to a new Keystone next month',
    expiresAt: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(),
  };
}

async function storeRunWith(knex: Knex, id: string) {
  const store = new TenantStore(knex);
  const run = randomUUID();
  await store.createRun({
    id: run,
    siteRef: 'resource:default/site-a',
    trigger: 'manual',
    dryRun: true,
    startedAt: new Date(),
  });
  await store.completeRun(run, {
    status: 'planned',
    keystoneCalls: 0,
    steps: [{ summary: 'create project team-a.first', tenantId: id }],
    tenants: [
      {
        tenantId: id,
        projectName: 'team-a.first',
        status: 'planned',
        remarks: [],
        warnings: [],
        errors: [],
      },
    ],
    finishedAt: new Date(),
  });
  return run;
}

function tenantRequest(project: string) {
  return {
    workspace,
    site: 'resource:default/site-a',
    project,
    landingZone: 'manual',
    members: [{ euid: 'abc@egi.eu', role: 'admin' }],
  };
}

type Method = 'get' | 'post' | 'put' | 'delete';
interface Route {
  method: Method;
  path: () => string;
  body?: () => object;
  /**
   * What a user the framework denies gets: refused, an answer filtered down to nothing, or
   * ('members') the answer for the workspaces they are in, nothing (an empty list or 404) for
   * one in no workspace.
   */
  denied: 'refused' | 'filtered' | 'members' | 'no permission';
  /** Whether an allowed user outside the workspace is refused too. */
  workspaceOnly?: boolean;
  /** The allowed user who calls it, when not `allowed` (who requested the tenant). */
  allowedAs?: string;
  filteredEmpty?: (body: any, text: string) => boolean;
  /** For 'members': whether the denied member's answer holds the workspace's tenant. */
  memberSees?: (body: any) => boolean;
}

const ROUTES: Route[] = [
  { method: 'get', path: () => '/health', denied: 'no permission' },
  // What scans check and score: the catalogue's, no site's data.
  { method: 'get', path: () => '/profiles', denied: 'no permission' },
  { method: 'get', path: () => '/checks', denied: 'no permission' },
  { method: 'get', path: () => '/openapi.json', denied: 'no permission' },
  // The console's grammar, for Tab completion: signed-in users only, no site's data.
  { method: 'get', path: () => '/console/commands', denied: 'no permission' },
  {
    method: 'get',
    path: () => '/sites/default/site-a/console/account',
    denied: 'refused',
  },
  {
    method: 'get',
    path: () => '/sites',
    denied: 'filtered',
    // The allowed user sees the one site: the denied user's empty list is the filter's doing.
    filteredEmpty: body => Array.isArray(body.items) && body.items.length === 0,
  },
  {
    method: 'get',
    path: () => '/rollups?by=owner',
    denied: 'filtered',
    filteredEmpty: body =>
      Array.isArray(body.groups) && body.groups.length === 0,
  },
  { method: 'get', path: () => '/sites/default/site-a', denied: 'refused' },
  {
    method: 'get',
    path: () => '/sites/default/site-a/scans',
    denied: 'refused',
  },
  { method: 'get', path: () => `/scans/${scanId}`, denied: 'refused' },
  {
    method: 'get',
    path: () => `/scans/${scanId}/checks/keystone.v3`,
    denied: 'refused',
  },
  { method: 'get', path: () => `/scans/${scanId}/events`, denied: 'refused' },
  {
    method: 'get',
    path: () => '/export?format=json',
    denied: 'filtered',
    filteredEmpty: (_body, text) => !text.includes('site-a'),
  },
  {
    method: 'get',
    path: () => '/sites/default/site-a/projects/abc123/usage',
    denied: 'refused',
  },
  {
    method: 'get',
    path: () => '/sites/default/site-a/projects/abc123/workloads',
    denied: 'refused',
  },
  {
    method: 'post',
    path: () => '/sites/default/site-a/metering',
    body: () => ({}),
    denied: 'refused',
  },
  {
    method: 'post',
    path: () => '/sites/default/site-a/console',
    body: () => ({ line: 'help' }),
    denied: 'refused',
  },
  { method: 'get', path: () => '/landing-zones', denied: 'no permission' },
  // Approvers (tenants) and replication runners (runs) see all; others their workspaces'.
  {
    method: 'get',
    path: () => '/tenants',
    denied: 'members',
    memberSees: body => body.tenants?.some((t: any) => t.id === tenantId),
  },
  {
    method: 'get',
    path: () => `/tenants/${tenantId}`,
    denied: 'members',
    memberSees: body => body.id === tenantId,
  },
  {
    method: 'get',
    path: () => `/replications/${runId}`,
    denied: 'members',
    memberSees: body => body.tenants?.[0]?.tenantId === tenantId,
  },
  {
    method: 'post',
    path: () => '/tenants',
    body: () => tenantRequest('second'),
    denied: 'refused',
    workspaceOnly: true,
  },
  {
    method: 'put',
    path: () => `/tenants/${tenantId}/members`,
    body: () => ({ members: [{ euid: 'def@egi.eu', role: 'admin' }] }),
    denied: 'refused',
    workspaceOnly: true,
  },
  {
    method: 'post',
    path: () => `/tenants/${tenantId}/approval`,
    body: () => ({ decision: 'approve' }),
    denied: 'refused',
    allowedAs: approver,
  },
  {
    method: 'get',
    path: () => '/sites/default/site-a/replications',
    denied: 'refused',
  },
  {
    method: 'post',
    path: () => '/sites/default/site-a/replications',
    body: () => ({ dryRun: true }),
    denied: 'refused',
  },
  {
    method: 'delete',
    path: () => `/tenants/${tenantId}`,
    denied: 'refused',
    workspaceOnly: true,
  },
  {
    method: 'post',
    path: () => '/sites/default/site-a/scans',
    body: () => ({}),
    denied: 'refused',
  },
  {
    method: 'get',
    path: () => '/sites/default/site-a/waivers',
    denied: 'refused',
  },
  {
    method: 'post',
    path: () => '/sites/default/site-a/waivers',
    body: () => waiverRequest('keystone.v3'),
    denied: 'refused',
  },
  {
    method: 'get',
    path: () => '/waivers',
    denied: 'filtered',
    filteredEmpty: body => Array.isArray(body.items) && body.items.length === 0,
  },
  // The requester may not decide their own: another allowed user does.
  {
    method: 'post',
    path: () => `/waivers/${waiverId}/decision`,
    body: () => ({ decision: 'approve' }),
    denied: 'refused',
    allowedAs: approver,
  },
  { method: 'delete', path: () => `/waivers/${waiverId}`, denied: 'refused' },
];

/** A route as its router declares it, e.g. `get /scans/:id`; made before the ids exist. */
const template = (route: Route) =>
  `${route.method} ${route
    .path()
    .split('?')[0]
    .replace(/undefined/g, ':id')
    .replace('/sites/default/site-a', '/sites/:namespace/:name')
    .replace('/projects/abc123', '/projects/:projectId')
    .replace('/checks/keystone.v3', '/checks/:checkId')}`;
const TEMPLATES = ROUTES.map(template);

async function call(route: Route, user: string) {
  let sent = request(server)[route.method](`/api/openstack${route.path()}`);
  sent = sent.set('Authorization', as(user));
  if (route.body) sent = sent.send(route.body());
  return sent;
}

describe('every route, allowed and denied', () => {
  it.each(ROUTES.map((route, i) => [TEMPLATES[i], route] as const))(
    '%s',
    async (_name, route) => {
      const before = authorized.length;
      const refused = await call(route, denied);
      const asked = authorized.length > before;
      const outside = route.workspaceOnly
        ? await call(route, outsider)
        : undefined;
      const strange =
        route.denied === 'members' ? await call(route, stranger) : undefined;
      const ok = await call(route, route.allowedAs ?? allowed);
      expect({
        denied: refused.status,
        deniedError: refused.body?.error?.name,
        permissionAsked: asked,
        filteredToNothing: route.filteredEmpty?.(refused.body, refused.text),
        outsider: outside?.status,
        outsiderNotMember: outside?.body?.error?.message?.includes(
          `not a member of workspace ${workspace}`,
        ),
        memberSees: route.memberSees?.(refused.body),
        strangerSeesNothing: strange
          ? strange.status === 404 ||
            (strange.status === 200 && strange.body.tenants?.length === 0)
          : undefined,
        // Allowed: a 2xx answer (the text in a failure says what went wrong).
        allowed: Math.floor(ok.status / 100),
        allowedText: ok.text.slice(0, 300),
      }).toEqual({
        denied: route.denied === 'refused' ? 403 : 200,
        deniedError: route.denied === 'refused' ? 'NotAllowedError' : undefined,
        permissionAsked: route.denied !== 'no permission',
        filteredToNothing: route.filteredEmpty ? true : undefined,
        outsider: route.workspaceOnly ? 403 : undefined,
        outsiderNotMember: route.workspaceOnly ? true : undefined,
        memberSees: route.memberSees ? true : undefined,
        strangerSeesNothing: route.denied === 'members' ? true : undefined,
        allowed: 2,
        allowedText: expect.any(String),
      });
    },
  );

  it('covers every route the routers declare', () => {
    const declared = [
      'scans/scanRouter.ts',
      'tenants/tenantRouter.ts',
      'metering/meteringRouter.ts',
      'console/consoleRouter.ts',
      'waivers/waiverRouter.ts',
    ]
      .flatMap(file =>
        [
          ...fs
            .readFileSync(`${__dirname}/${file}`, 'utf8')
            .matchAll(/router\.(get|post|put|delete)\(\s*'([^']+)'/g),
        ].map(([, method, path]) => `${method} ${path}`),
      )
      .sort();
    expect([...TEMPLATES].sort()).toEqual(declared);
  });
});
