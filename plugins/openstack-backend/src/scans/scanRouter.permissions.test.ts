import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import { pluginConfig } from '../__testUtils__/config';
import { ScanStore } from './ScanStore';
import { createScanRouter } from './scanRouter';
import { ScanService } from './ScanService';
import { RegisteredSite, SiteRegistry } from '../sites/SiteRegistry';

// The fleet list's permission questions with many sites: the permission backend refuses request
// bodies over 100 kB, so 1000 sites in one authorize request failed with HTTP 413.
const sites: RegisteredSite[] = Array.from({ length: 450 }, (_, i) => ({
  entityRef: `resource:default/site-${String(i).padStart(3, '0')}`,
  name: `site-${i}`,
  problems: [],
}));

async function listWith(permissions: {
  authorize: jest.Mock;
  authorizeConditional: jest.Mock;
}) {
  const router = await createScanRouter({
    config: pluginConfig({}),
    registry: { listSites: async () => sites } as unknown as SiteRegistry,
    store: {
      latestCompletedScans: async () => new Map(),
    } as unknown as ScanStore,
    scans: {} as ScanService,
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.user(),
    }),
    permissions: permissions as unknown as PermissionsService,
    baseUrl: 'http://localhost/api/openstack',
  });
  const res = await request(express().use(router)).get('/sites');
  expect(res.status).toBe(200);
  return (res.body.items as { entityRef: string }[]).map(s => s.entityRef);
}

describe('GET /sites permission questions', () => {
  it('asks once when the policy allows every site', async () => {
    const authorize = jest.fn();
    const authorizeConditional = jest.fn(async () => [
      { result: AuthorizeResult.ALLOW },
    ]);
    const items = await listWith({ authorize, authorizeConditional });
    expect(items).toHaveLength(450);
    expect(authorizeConditional).toHaveBeenCalledTimes(1);
    expect(authorize).not.toHaveBeenCalled();
  });

  it('shows nothing when the policy denies every site', async () => {
    const authorize = jest.fn();
    const authorizeConditional = jest.fn(async () => [
      { result: AuthorizeResult.DENY },
    ]);
    expect(await listWith({ authorize, authorizeConditional })).toEqual([]);
    expect(authorize).not.toHaveBeenCalled();
  });

  it('asks per site in batches of 200 when the answer depends on the site', async () => {
    const authorize = jest.fn(async (queries: { resourceRef?: string }[]) =>
      queries.map(({ resourceRef }) => ({
        result: resourceRef!.endsWith('7')
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      })),
    );
    const authorizeConditional = jest.fn(async () => [
      {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: { rule: 'IS_ENTITY_OWNER', params: { claims: [] } },
      },
    ]);
    const items = await listWith({ authorize, authorizeConditional });
    expect(authorize.mock.calls.map(([queries]) => queries.length)).toEqual([
      200, 200, 50,
    ]);
    expect(items).toHaveLength(45);
    expect(items.every(ref => ref.endsWith('7'))).toBe(true);
  });
});
