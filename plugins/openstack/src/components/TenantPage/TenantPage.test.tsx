import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SWRConfig } from 'swr';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { OpenStackApi, openstackApiRef } from '../../api';
import { mockTenantApi } from '../../testTenantApi';
import {
  exampleLandingZones,
  exampleReplicationRun,
  exampleTenant,
  exampleUsage,
  exampleWorkloads,
} from '../TenantsPage/testTenants';
import { adminRoleNote } from './MembersCard';
import {
  FOLLOW_REPLICATION_MS,
  NOT_A_REPLICATOR,
  NOT_REPLICABLE,
  TenantPage,
} from './TenantPage';

// Typing into several fields takes longer than jest's default 5 s.
jest.setTimeout(30_000);

const tenant = exampleTenant();

function mockApi(overrides: Partial<OpenStackApi> = {}): OpenStackApi {
  return mockTenantApi({
    getTenant: jest.fn().mockResolvedValue(tenant),
    listLandingZones: jest.fn().mockResolvedValue(exampleLandingZones),
    getProjectUsage: jest.fn().mockResolvedValue(exampleUsage()),
    getProjectWorkloads: jest.fn().mockResolvedValue(exampleWorkloads()),
    ...overrides,
  });
}

async function renderTenant(
  api: OpenStackApi,
  groups = ['group:default/platform-team'],
  as: { replicator?: boolean } = {},
) {
  const { replicator = true } = as;
  const authorize = jest.fn(() =>
    replicator ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
  );
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [openstackApiRef, api],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/guest',
            ownershipEntityRefs: ['user:default/guest', ...groups],
          }),
        ],
        [permissionApiRef, mockApis.permission({ authorize })],
      ]}
    >
      {/* usePermission caches decisions in SWR's global cache: one per test. */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <Routes>
          <Route path="/tenants/:id" element={<TenantPage />} />
        </Routes>
      </SWRConfig>
    </TestApiProvider>,
    {
      routeEntries: [`/tenants/${tenant.id}`],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  await screen.findByRole(
    'heading',
    { name: 'platform-team.analysis' },
    { timeout: 10_000 },
  );
  return authorize;
}

describe('TenantPage', () => {
  it('shows status, Keystone names, replication steps and remarks, quotas, usage and workloads', async () => {
    const api = mockApi();
    await renderTenant(api);

    expect(api.getTenant).toHaveBeenCalledWith(tenant.id);
    expect(screen.getByText('Successful')).toBeInTheDocument();
    expect(screen.getByText('0c3e0f6f2b8d4c1e9a7b5d3f1e2c4a6b')).toBeVisible();
    expect(
      screen.getByText('create group platform-team.analysis-admin'),
    ).toBeInTheDocument();
    expect(screen.getByText('Remarks (1)')).toBeInTheDocument();
    expect(
      screen.getByText(
        'member a1b2c3d4e5f60718293a4b5c6d7e8f90@egi.eu (reader) has no account on the site yet; added once they have logged in',
      ),
    ).toBeInTheDocument();

    // Names as people read them, not entity refs.
    expect(screen.getByText('platform-team on site-a')).toBeInTheDocument();
    // The way back keeps the tenant's workspace.
    expect(
      screen
        .getByRole('link', { name: 'OpenStack tenants' })
        .getAttribute('href'),
    ).toMatch(/\?workspace=group%3Adefault%2Fplatform-team$/);
    expect(screen.queryByText(/group:default\/platform-team on/)).toBeNull();
    // Workloads: Infrastructure Manager's properties under readable headers.
    expect(
      await screen.findByRole('columnheader', { name: 'Orchestrator URL' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('columnheader', {
        name: 'eu.egi.cloud.orchestrator.url',
      }),
    ).toBeNull();
    // Who asked, by name.
    expect(screen.queryByText('user:default/guest')).toBeNull();

    const quotas = screen.getByRole('table', { name: 'Quotas of the tenant' });
    expect(within(quotas).getByText('floatingip')).toBeInTheDocument();
    // Beside each limit, what the latest metering sample found in use (3 servers of 2 vCPUs).
    await within(quotas).findByRole('columnheader', { name: 'In use' });
    expect(
      within(quotas)
        .getAllByRole('columnheader')
        .map(cell => cell.textContent),
    ).toEqual(['Service', 'Quota', 'In use', 'Limit']);
    const cores = within(quotas).getByText('cores').closest('tr')!;
    expect(
      within(cores)
        .getAllByRole('cell')
        .map(cell => cell.textContent),
    ).toEqual(['Compute (Nova)', 'cores', '6', '8']);
    expect(within(quotas).getByText(/^ram/).closest('tr')).toHaveTextContent(
      'ram (MiB)1228816384',
    );

    const members = screen.getByRole('table', { name: 'Members and roles' });
    expect(
      within(members).getByText('a1b2c3d4e5f60718293a4b5c6d7e8f90@egi.eu'),
    ).toBeInTheDocument();
    // The landing zone maps the tenant role reader to OpenStack's reader.
    expect(within(members).getAllByText('reader')).toHaveLength(2);
    // and says why a tenant admin is an OpenStack member, not admin.
    expect(screen.getByText(adminRoleNote('member'))).toBeInTheDocument();

    expect(
      await screen.findByRole('img', {
        name: 'vCPUs: 3 samples between 2 and 6, latest 6',
      }),
    ).toBeInTheDocument();
    expect(api.getProjectUsage).toHaveBeenCalledWith(
      'default',
      'site-a',
      tenant.projectId,
    );
    expect(await screen.findByText('im-cluster-front')).toBeInTheDocument();
    expect(screen.getByText('es.upv.grycap.im')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /https:\/\/im\.egi\.eu\/im/ }),
    ).toBeInTheDocument();
  });

  it('replicates the site now and loads the tenant again', async () => {
    const api = mockApi({
      replicateSite: jest.fn().mockResolvedValue(exampleReplicationRun()),
    });
    await renderTenant(api);

    const replicate = screen.getByRole('button', { name: 'Replicate now' });
    await waitFor(() => expect(replicate).toBeEnabled());
    await userEvent.click(replicate);
    expect(
      await screen.findByText(/Replication run successful/),
    ).toHaveTextContent('6 Keystone calls');
    expect(api.replicateSite).toHaveBeenCalledWith('default', 'site-a');
    await waitFor(() => expect(api.getTenant).toHaveBeenCalledTimes(2));
  });

  it('shows the run that made the change, and when a later run found nothing to change', async () => {
    const checkedAt = new Date(Date.now() - 60_000).toISOString();
    const api = mockApi({
      getTenant: jest.fn().mockResolvedValue({
        ...tenant,
        lastReplication: {
          ...tenant.lastReplication!,
          checkedAt,
          checkedRunId: 'later-run',
        },
      }),
    });
    await renderTenant(api);
    expect(
      await screen.findByText(/checked again .*, nothing to change/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('create group platform-team.analysis-admin'),
    ).toBeInTheDocument();
  });

  it('meters the site now, for who may scan it, and shows the new sample', async () => {
    const api = mockApi({
      meterSite: jest.fn().mockResolvedValue({
        siteRef: 'resource:default/site-a',
        samples: [],
      }),
    });
    await renderTenant(api);
    const meter = await screen.findByRole('button', { name: 'Meter now' });
    expect(api.getProjectUsage).toHaveBeenCalledTimes(1);
    await userEvent.click(meter);
    await waitFor(() =>
      expect(api.meterSite).toHaveBeenCalledWith('default', 'site-a'),
    );
    await waitFor(() => expect(api.getProjectUsage).toHaveBeenCalledTimes(2));
  });

  it('offers no metering to who may not scan the site', async () => {
    await renderTenant(mockApi(), undefined, { replicator: false });
    await screen.findByText('Usage over the last 7 days');
    expect(screen.queryByRole('button', { name: 'Meter now' })).toBeNull();
  });

  it('enables Replicate now for a user who may run a replication', async () => {
    const authorize = await renderTenant(mockApi());
    const replicate = screen.getByRole('button', { name: 'Replicate now' });
    await waitFor(() => expect(replicate).toBeEnabled());
    expect(screen.queryByText(NOT_A_REPLICATOR)).not.toBeInTheDocument();
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({
          name: 'openstack.replication.run',
        }),
      }),
    );
  });

  it('disables Replicate now, saying why, for a user who may not run a replication', async () => {
    const api = mockApi();
    await renderTenant(api, undefined, { replicator: false });
    expect(await screen.findByText(NOT_A_REPLICATOR)).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Replicate now' }),
    ).toBeDisabled();
    expect(api.replicateSite).not.toHaveBeenCalled();
  });

  it('lets an approver decide on a pending tenant from its page, and says why it is not replicated yet', async () => {
    const pending = exampleTenant({
      status: 'requires-approval',
      projectId: undefined,
      lastReplication: undefined,
      requestedBy: 'user:default/alice',
      quotas: { compute: { cores: 32 } },
    });
    const api = mockApi({
      getTenant: jest.fn().mockResolvedValue(pending),
      listTenants: jest.fn(async query =>
        query?.status === 'requires-approval' ? [pending] : [],
      ),
      decideTenant: jest
        .fn()
        .mockResolvedValue({ ...pending, status: 'requested' }),
    });
    await renderTenant(api);

    const approve = await screen.findByRole(
      'button',
      { name: `Approve the request of ${pending.projectName} on site-a` },
      { timeout: 10_000 },
    );
    expect(
      screen.getByText('Compute (Nova) cores: 32 (at once up to 16)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(NOT_REPLICABLE['requires-approval']!),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Replicate now' }),
    ).toBeDisabled();

    await waitFor(() => expect(approve).toBeEnabled());
    await userEvent.click(approve);
    await waitFor(() =>
      expect(api.decideTenant).toHaveBeenCalledWith(pending.id, {
        decision: 'approve',
      }),
    );
  });

  it('lets a workspace member change the members', async () => {
    const api = mockApi({
      updateTenantMembers: jest.fn(async (_id, members) => ({
        ...tenant,
        members,
      })),
    });
    await renderTenant(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Edit members' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Remove member 2' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Add member' }));
    await userEvent.type(
      screen.getByLabelText('Member 2 external user id'),
      'bad id',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save members' }));
    expect(
      screen.getByLabelText('Member 2 external user id'),
    ).toHaveAccessibleDescription('an external user id such as 1a2b…@egi.eu');
    expect(api.updateTenantMembers).not.toHaveBeenCalled();

    await userEvent.clear(screen.getByLabelText('Member 2 external user id'));
    await userEvent.type(
      screen.getByLabelText('Member 2 external user id'),
      'ffff0000ffff0000ffff0000ffff0000@egi.eu',
    );
    await userEvent.selectOptions(
      screen.getByLabelText('Member 2 role'),
      'user',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save members' }));

    await waitFor(() =>
      expect(api.updateTenantMembers).toHaveBeenCalledWith(tenant.id, [
        tenant.members[0],
        { euid: 'ffff0000ffff0000ffff0000ffff0000@egi.eu', role: 'user' },
      ]),
    );
    expect(
      await screen.findByText('ffff0000ffff0000ffff0000ffff0000@egi.eu'),
    ).toBeInTheDocument();
  });

  it('after a change, reloads the tenant until the replication that follows shows', async () => {
    let replicated = false;
    const api = mockApi({
      updateTenantMembers: jest.fn(async (_id, members) => {
        // The backend replicates soon after: the next read of the tenant shows the run.
        setTimeout(() => {
          replicated = true;
        }, 500);
        return { ...tenant, members };
      }),
      getTenant: jest.fn(async () =>
        replicated
          ? {
              ...tenant,
              lastReplication: {
                ...tenant.lastReplication!,
                at: new Date().toISOString(),
                steps: [
                  { summary: 'add user to group x-user', outcome: 'done' },
                ],
              },
            }
          : tenant,
      ),
    });
    await renderTenant(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Edit members' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Remove member 2' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save members' }));
    await waitFor(() => expect(api.updateTenantMembers).toHaveBeenCalled());
    expect(
      await screen.findByText('add user to group x-user', undefined, {
        timeout: 10_000,
      }),
    ).toBeInTheDocument();
    // Once the run shows, the page stops asking.
    const asked = (api.getTenant as jest.Mock).mock.calls.length;
    await new Promise(resolve =>
      setTimeout(resolve, FOLLOW_REPLICATION_MS + 500),
    );
    expect((api.getTenant as jest.Mock).mock.calls.length).toBe(asked);
  });

  it('offers no member editing or deletion outside the workspace', async () => {
    await renderTenant(mockApi(), ['group:default/someone-else']);
    await screen.findByText('Remarks (1)');
    expect(
      screen.queryByRole('button', { name: 'Edit members' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Request deletion' }),
    ).not.toBeInTheDocument();
  });

  it('requests deletion after confirmation', async () => {
    const api = mockApi({
      requestTenantDeletion: jest
        .fn()
        .mockResolvedValue({ ...tenant, status: 'deletion-requested' }),
    });
    await renderTenant(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Request deletion' }),
    );
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent('never touched');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Request deletion' }),
    );
    expect(api.requestTenantDeletion).toHaveBeenCalledWith(tenant.id);
    expect(await screen.findByText('Deletion requested')).toBeInTheDocument();
  });
});
