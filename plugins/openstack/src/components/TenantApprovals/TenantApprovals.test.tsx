import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import { TenantQuery } from '../../api';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { OpenStackApi, openstackApiRef } from '../../api';
import { mockTenantApi } from '../../testTenantApi';
import { exampleTenant } from '../TenantsPage/testTenants';
import { TenantApprovals } from './TenantApprovals';

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

async function renderApprovals(api: OpenStackApi, onDecided = jest.fn()) {
  await renderInTestApp(
    <TestApiProvider apis={[[openstackApiRef, api]]}>
      <TenantApprovals linkTo={t => `/t/${t.id}`} onDecided={onDecided} />
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
        name: 'Approve the request of platform-team.bigdata on resource:default/site-a',
      },
      { timeout: 10_000 },
    );
    expect(
      screen.getByRole('button', {
        name: 'Approve the deletion of platform-team.analysis on resource:default/site-a',
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
        'Comment on the request of platform-team.bigdata on resource:default/site-a',
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
          name: 'Reject the deletion of platform-team.analysis on resource:default/site-a',
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
});
