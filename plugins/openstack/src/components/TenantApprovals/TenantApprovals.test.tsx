import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { alertApiRef, identityApiRef } from '@backstage/core-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SWRConfig } from 'swr';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import { TenantQuery } from '../../api';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { OpenStackApi, openstackApiRef } from '../../api';
import { mockTenantApi } from '../../testTenantApi';
import { exampleLandingZones, exampleTenant } from '../TenantsPage/testTenants';
import { NOT_AN_APPROVER, TenantApprovals } from './TenantApprovals';

const waiting = exampleTenant({
  id: '0b8a4b0e-6a55-4b8e-9a51-1f2d3c4b5a60',
  project: 'bigdata',
  projectName: 'platform-team.bigdata',
  status: 'requires-approval',
  projectId: undefined,
  lastReplication: undefined,
});
const leaving = exampleTenant({
  status: 'deletion-requested',
});
const leavingApproved = exampleTenant({
  id: '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
  projectName: 'platform-team.old',
  status: 'deletion-requested',
  deletionApproved: true,
});

function mockApi(overrides: Partial<OpenStackApi> = {}): OpenStackApi {
  return mockTenantApi({
    listTenants: jest.fn(async (query?: TenantQuery) =>
      query?.status === 'requires-approval'
        ? [waiting]
        : [leaving, leavingApproved],
    ),
    ...overrides,
  });
}

async function renderApprovals(
  api: OpenStackApi,
  onDecided = jest.fn(),
  as: { approver?: boolean; userEntityRef?: string } = {},
  alertApi = { post: jest.fn(), alert$: jest.fn() },
) {
  const { approver = true, userEntityRef = 'user:default/carol' } = as;
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [openstackApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: approver ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
          }),
        ],
        [identityApiRef, mockApis.identity({ userEntityRef })],
        [alertApiRef, alertApi],
      ]}
    >
      {/* usePermission caches decisions in SWR's global cache: one per test. */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <TenantApprovals linkTo={t => `/t/${t.id}`} onDecided={onDecided} />
      </SWRConfig>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return onDecided;
}

describe('TenantApprovals', () => {
  it('lists requests and deletions that wait, and approves one with a comment', async () => {
    const api = mockApi({
      decideTenant: jest.fn().mockResolvedValue({
        ...waiting,
        status: 'requested',
      }),
    });
    const onDecided = await renderApprovals(api);

    const approve = await screen.findByRole(
      'button',
      {
        name: 'Approve the request of platform-team.bigdata on site-a',
      },
      { timeout: 10_000 },
    );
    await waitFor(() => expect(approve).toBeEnabled());
    expect(
      screen.getByRole('button', {
        name: 'Approve the deletion of platform-team.analysis on site-a',
      }),
    ).toBeInTheDocument();
    // An approved deletion waits for replication, not for an approver.
    expect(screen.queryByText('platform-team.old')).not.toBeInTheDocument();
    expect(api.listTenants).toHaveBeenCalledWith({
      workspace: undefined,
      status: 'requires-approval',
    });

    await userEvent.type(
      screen.getByLabelText(
        'Comment on the request of platform-team.bigdata on site-a',
      ),
      'fine for the pilot',
    );
    await userEvent.click(approve);

    await waitFor(() => expect(onDecided).toHaveBeenCalled());
    expect(api.decideTenant).toHaveBeenCalledWith(waiting.id, {
      decision: 'approve',
      comment: 'fine for the pilot',
    });
    // The list is asked again after the decision.
    expect(api.listTenants).toHaveBeenCalledTimes(4);
  });

  it('rejects, and shows why the backend refused a decision', async () => {
    const refusal = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message: 'You may not openstack.tenant.approve',
          },
          request: { method: 'POST', url: '/api/openstack/tenants/x/approval' },
          response: { statusCode: 403 },
        }),
        {
          status: 403,
          statusText: 'Forbidden',
          headers: { 'content-type': 'application/json' },
        },
      ),
    );
    const api = mockApi({ decideTenant: jest.fn().mockRejectedValue(refusal) });
    const onDecided = await renderApprovals(api);

    await userEvent.click(
      await screen.findByRole(
        'button',
        {
          name: 'Reject the deletion of platform-team.analysis on site-a',
        },
        { timeout: 10_000 },
      ),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'You may not openstack.tenant.approve',
    );
    expect(api.decideTenant).toHaveBeenCalledWith(leaving.id, {
      decision: 'reject',
    });
    expect(onDecided).not.toHaveBeenCalled();
  });

  it('disables the decisions, saying why, for a user who may not approve', async () => {
    const api = mockApi();
    await renderApprovals(api, jest.fn(), { approver: false });
    const approve = await screen.findByRole(
      'button',
      {
        name: 'Approve the request of platform-team.bigdata on site-a',
      },
      { timeout: 10_000 },
    );
    expect(
      await screen.findByText(NOT_AN_APPROVER, undefined, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(approve).toBeDisabled();
    for (const name of [
      'Reject the request of platform-team.bigdata on site-a',
      'Approve the deletion of platform-team.analysis on site-a',
      'Reject the deletion of platform-team.analysis on site-a',
    ])
      expect(screen.getByRole('button', { name })).toBeDisabled();
  });

  it("disables approving one's own request, saying why, and leaves rejecting it", async () => {
    await renderApprovals(mockApi(), jest.fn(), {
      userEntityRef: waiting.requestedBy,
    });
    const reject = await screen.findByRole(
      'button',
      {
        name: 'Reject the request of platform-team.bigdata on site-a',
      },
      { timeout: 10_000 },
    );
    // The user's identity comes after the list.
    expect(
      await screen.findByText(
        'You requested this tenant: nobody approves their own request, another approver must.',
        undefined,
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'Approve the request of platform-team.bigdata on site-a',
      }),
    ).toBeDisabled();
    await waitFor(() => expect(reject).toBeEnabled());
  });

  it('says when nothing waits', async () => {
    await renderApprovals(
      mockApi({ listTenants: jest.fn().mockResolvedValue([]) }),
    );
    expect(
      await screen.findByText('Nothing waits for approval.', undefined, {
        timeout: 10_000,
      }),
    ).toBeInTheDocument();
  });

  it('shows what a request asks above its landing zone, and confirms the decision', async () => {
    const big = exampleTenant({
      ...waiting,
      quotas: {
        compute: { cores: 32, ram: 16384, instances: 4 },
        blockStorage: { volumes: 4, gigabytes: 500 },
      },
    });
    const api = mockApi({
      listTenants: jest.fn(async (query?: TenantQuery) =>
        query?.status === 'requires-approval' ? [big] : [],
      ),
      listLandingZones: jest.fn().mockResolvedValue(exampleLandingZones),
      decideTenant: jest
        .fn()
        .mockResolvedValue({ ...big, status: 'requested' }),
    });
    const alertApi = { post: jest.fn(), alert$: jest.fn() };
    await renderApprovals(api, jest.fn(), {}, alertApi);

    expect(
      await screen.findByText(
        'Compute (Nova) cores: 32 (at once up to 16)',
        undefined,
        {
          timeout: 10_000,
        },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/gigabytes \(GiB\): 500 \(at once up to 200\)/),
    ).toBeInTheDocument();
    // Within the limits: not listed.
    expect(screen.queryByText(/ram/)).not.toBeInTheDocument();

    const approve = screen.getByRole('button', {
      name: 'Approve the request of platform-team.bigdata on site-a',
    });
    expect(approve).toHaveStyle({ whiteSpace: 'nowrap' });
    await waitFor(() => expect(approve).toBeEnabled());
    await userEvent.click(approve);
    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith(
        expect.objectContaining({
          severity: 'success',
          message: expect.stringMatching(
            /^Approved the request of platform-team.bigdata/,
          ),
        }),
      ),
    );
  });
});
