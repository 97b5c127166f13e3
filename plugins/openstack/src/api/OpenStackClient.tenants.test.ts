/**
 * @jest-environment node
 */
import {
  exampleLandingZones,
  exampleReplicationRun,
  exampleTenant,
  exampleUsage,
  exampleWorkloads,
} from '../components/TenantsPage/testTenants';
import { apiErrorMessage } from './errors';
import { OpenStackClient } from './OpenStackClient';

const discoveryApi = {
  getBaseUrl: async () => 'http://backstage/api/openstack',
};

function json(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), {
    ...init,
    headers: { 'content-type': 'application/json' },
  });
}

function clientAnswering(response: Response) {
  const fetch = jest.fn().mockResolvedValue(response);
  return {
    client: new OpenStackClient({ discoveryApi, fetchApi: { fetch } }),
    fetch,
  };
}

describe('OpenStackClient tenants and metering', () => {
  it('lists tenants with only the filters given', async () => {
    const { events: _events, ...tenant } = exampleTenant();
    const { client, fetch } = clientAnswering(json({ tenants: [tenant] }));
    await expect(
      client.listTenants({
        workspace: 'group:default/platform-team',
        status: 'successful',
      }),
    ).resolves.toEqual([tenant]);
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage/api/openstack/tenants?workspace=group%3Adefault%2Fplatform-team&status=successful',
      undefined,
    );

    const all = clientAnswering(json({ tenants: [] }));
    await all.client.listTenants();
    expect(all.fetch.mock.calls[0][0]).toBe(
      'http://backstage/api/openstack/tenants',
    );
  });

  it('lists landing zones with their defaults filled in', async () => {
    const { client } = clientAnswering(
      json({ landingZones: [{ id: 'bare', title: 'Bare' }] }),
    );
    const [zone] = await client.listLandingZones();
    expect(zone.roles).toEqual({
      admin: 'member',
      user: 'member',
      reader: 'reader',
    });
    expect(zone.projectNamePattern).toBe('{workspace}.{project}');
    expect(exampleLandingZones[0].id).toBe('standard');
  });

  it('posts a tenant request as JSON and parses the created tenant', async () => {
    const created = exampleTenant({ status: 'requested' });
    const { client, fetch } = clientAnswering(json(created, { status: 201 }));
    const request = {
      workspace: 'group:default/platform-team',
      site: 'resource:default/site-a',
      project: 'analysis',
      landingZone: 'standard',
      members: [],
    };
    await expect(client.requestTenant(request)).resolves.toEqual(created);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://backstage/api/openstack/tenants');
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(init.body)).toEqual(request);
  });

  it("rejects a 400 with the backend's message reachable", async () => {
    const message = 'Invalid tenant request: project: lower-case letters';
    const { client } = clientAnswering(
      // Backstage's error handler answers in this shape.
      json(
        {
          error: { name: 'InputError', message },
          request: { method: 'POST', url: '/api/openstack/tenants' },
          response: { statusCode: 400 },
        },
        { status: 400, statusText: 'Bad Request' },
      ),
    );
    const error = await client
      .requestTenant({
        workspace: 'group:default/platform-team',
        site: 'resource:default/site-a',
        project: 'analysis',
        landingZone: 'standard',
        members: [],
      })
      .catch(e => e);
    expect(error).toMatchObject({ name: 'ResponseError', statusCode: 400 });
    expect(apiErrorMessage(error)).toBe(message);
  });

  it('refuses to send a request the schema rejects', async () => {
    const { client, fetch } = clientAnswering(json({}));
    await expect(
      client.requestTenant({
        workspace: 'platform-team',
        site: 'resource:default/site-a',
        project: 'analysis',
        landingZone: 'standard',
        members: [],
      }),
    ).rejects.toThrow(/group entity ref/);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('sends approvals, member changes and deletions to the tenant', async () => {
    const tenant = exampleTenant();
    const { client, fetch } = clientAnswering(json(tenant));
    fetch.mockImplementation(async () => json(tenant));

    await client.decideTenant(tenant.id, { decision: 'reject', comment: 'no' });
    await client.updateTenantMembers(tenant.id, tenant.members);
    await client.requestTenantDeletion(tenant.id);

    const base = `http://backstage/api/openstack/tenants/${tenant.id}`;
    expect(fetch.mock.calls.map(([url, init]) => [url, init.method])).toEqual([
      [`${base}/approval`, 'POST'],
      [`${base}/members`, 'PUT'],
      [base, 'DELETE'],
    ]);
    expect(JSON.parse(fetch.mock.calls[0][1].body)).toEqual({
      decision: 'reject',
      comment: 'no',
    });
    expect(JSON.parse(fetch.mock.calls[1][1].body)).toEqual({
      members: tenant.members,
    });
  });

  it('replicates a site and parses the run', async () => {
    const run = exampleReplicationRun();
    const { client, fetch } = clientAnswering(json(run));
    await expect(client.replicateSite('default', 'site-a')).resolves.toEqual(
      run,
    );
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(
      'http://backstage/api/openstack/sites/default/site-a/replications',
    );
    expect(JSON.parse(init.body)).toEqual({ dryRun: false });
  });

  it("asks for a project's usage over a period and its workloads", async () => {
    const usage = exampleUsage();
    const { client, fetch } = clientAnswering(json(usage));
    await expect(
      client.getProjectUsage('default', 'site-a', usage.projectId, {
        from: '2026-11-16T12:00:00.000Z',
      }),
    ).resolves.toEqual(usage);
    expect(fetch.mock.calls[0][0]).toBe(
      `http://backstage/api/openstack/sites/default/site-a/projects/${usage.projectId}/usage?from=2026-11-16T12%3A00%3A00.000Z`,
    );

    const workloads = exampleWorkloads();
    const second = clientAnswering(json(workloads));
    await expect(
      second.client.getProjectWorkloads('default', 'site-a', 'p1'),
    ).resolves.toEqual(workloads);
    expect(second.fetch.mock.calls[0][0]).toBe(
      'http://backstage/api/openstack/sites/default/site-a/projects/p1/workloads',
    );
  });
});
