import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { alertApiRef, identityApiRef } from '@backstage/core-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SWRConfig } from 'swr';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Waiver } from '@fedstack/plugin-openstack-common';
import { OpenStackApi, openstackApiRef } from '../../api';
import { exampleSiteDetail } from '../../testScans';
import { SiteWaivers } from './SiteWaivers';

// Shaped as the backend's waiver routes answer (waivers.test.ts drives the real ones).
const waiver = (over: Partial<Waiver>): Waiver => ({
  id: 'w1',
  siteRef: 'resource:default/site-a',
  checkId: 'keystone.tls',
  reason: 'The new certificate arrives next week',
  status: 'pending',
  active: false,
  expiresAt: '2026-12-20T23:59:59.000Z',
  requestedBy: 'user:default/alice',
  requestedAt: '2026-12-07T10:00:00.000Z',
  decidedBy: null,
  decidedAt: null,
  decisionReason: null,
  revokedBy: null,
  revokedAt: null,
  ...over,
});

async function render(items: Waiver[], as = 'user:default/carol') {
  const api = {
    listSiteWaivers: jest.fn().mockResolvedValue({
      items,
      policy: { maxDays: 30, countsAs: 'excluded' },
    }),
    requestWaiver: jest.fn(async () => waiver({})),
    decideWaiver: jest.fn(async () => waiver({ status: 'approved' })),
    revokeWaiver: jest.fn(async () => waiver({ status: 'revoked' })),
  };
  const onChanged = jest.fn();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [openstackApiRef, api as unknown as OpenStackApi],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
        [identityApiRef, mockApis.identity({ userEntityRef: as })],
        [alertApiRef, { post: jest.fn(), alert$: jest.fn() }],
      ]}
    >
      <SWRConfig value={{ provider: () => new Map() }}>
        <SiteWaivers
          namespace="default"
          name="site-a"
          entityRef="resource:default/site-a"
          results={exampleSiteDetail().results}
          onChanged={onChanged}
        />
      </SWRConfig>
    </TestApiProvider>,
  );
  return { api, onChanged };
}

describe('SiteWaivers', () => {
  it("lets an approver decide another user's pending waiver, and reloads the scores", async () => {
    const { api, onChanged } = await render([waiver({})]);
    const row = (await screen.findByText('keystone.tls')).closest('tr')!;
    expect(within(row).getByText('pending')).toBeInTheDocument();
    expect(
      within(row).getByText('The new certificate arrives next week'),
    ).toBeInTheDocument();
    await userEvent.click(within(row).getByRole('button', { name: 'Approve' }));
    await waitFor(() =>
      expect(api.decideWaiver).toHaveBeenCalledWith('w1', {
        decision: 'approve',
      }),
    );
    expect(onChanged).toHaveBeenCalled();
  });

  it('asks for a reason before rejecting', async () => {
    const { api } = await render([waiver({})]);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Reject' }),
    );
    const dialog = await screen.findByRole('dialog');
    const reject = within(dialog).getByRole('button', { name: 'Reject' });
    expect(reject).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText('Why'),
      'Renew it now instead',
    );
    await userEvent.click(reject);
    await waitFor(() =>
      expect(api.decideWaiver).toHaveBeenCalledWith('w1', {
        decision: 'reject',
        reason: 'Renew it now instead',
      }),
    );
  });

  it('offers no decision on your own waiver, only withdrawing it', async () => {
    await render([waiver({})], 'user:default/alice');
    const row = (await screen.findByText('keystone.tls')).closest('tr')!;
    expect(within(row).queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(
      within(row).getByRole('button', { name: 'Withdraw' }),
    ).toBeInTheDocument();
  });

  it('shows an approved waiver past its date as expired', async () => {
    await render([
      waiver({
        status: 'approved',
        active: false,
        decidedBy: 'user:default/bob',
      }),
    ]);
    expect(await screen.findByText('expired')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Revoke' })).toBeNull();
  });

  it('asks for a waiver of a check that did not pass, with a reason and a date within the maximum', async () => {
    const { api } = await render([]);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Ask for a waiver' }),
    );
    const dialog = await screen.findByRole('dialog');
    const check = within(dialog).getByLabelText('Check');
    // Only checks that did not pass are offered.
    const offered = within(check as HTMLElement)
      .getAllByRole('option')
      .map(option => (option as HTMLOptionElement).value)
      .filter(Boolean);
    const failing = exampleSiteDetail()
      .results.filter(r => r.status !== 'pass' && r.status !== 'skip')
      .map(r => r.checkId);
    expect(offered).toEqual(failing);
    expect(
      within(dialog).getByText(/At most 30 days ahead/),
    ).toBeInTheDocument();
    const ask = within(dialog).getByRole('button', {
      name: 'Ask for approval',
    });
    await userEvent.selectOptions(check, failing[0]);
    await userEvent.type(within(dialog).getByLabelText('Reason'), 'short');
    expect(ask).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText('Reason'),
      ' but now long enough',
    );
    await userEvent.click(ask);
    await waitFor(() =>
      expect(api.requestWaiver).toHaveBeenCalledWith('default', 'site-a', {
        checkId: failing[0],
        reason: 'short but now long enough',
        expiresAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T23:59:59Z$/),
      }),
    );
  });
});
