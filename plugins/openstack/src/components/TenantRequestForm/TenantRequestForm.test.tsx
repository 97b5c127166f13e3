import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { OpenStackApi, openstackApiRef } from '../../api';
import { mockTenantApi } from '../../testTenantApi';
import { exampleFleet } from '../../testScans';
import { exampleLandingZones, exampleTenant } from '../TenantsPage/testTenants';
import { TenantRequestForm } from './TenantRequestForm';

// Typing into several fields takes longer than jest's default 5 s.
jest.setTimeout(30_000);

function mockApi(overrides: Partial<OpenStackApi> = {}): OpenStackApi {
  return mockTenantApi({
    listSites: jest.fn().mockResolvedValue(exampleFleet),
    listLandingZones: jest.fn().mockResolvedValue(exampleLandingZones),
    ...overrides,
  });
}

async function renderForm(api: OpenStackApi, onCreated = jest.fn()) {
  await renderInTestApp(
    <TestApiProvider apis={[[openstackApiRef, api]]}>
      <TenantRequestForm
        workspace="group:default/platform-team"
        onCreated={onCreated}
      />
    </TestApiProvider>,
  );
  await screen.findByLabelText('Site', undefined, { timeout: 10_000 });
  return onCreated;
}

async function fillValidRequest() {
  await userEvent.selectOptions(
    screen.getByLabelText('Site'),
    'resource:default/site-a',
  );
  await userEvent.type(screen.getByLabelText('Project id'), 'analysis');
  await userEvent.selectOptions(
    screen.getByLabelText('Landing zone'),
    'standard',
  );
}

describe('TenantRequestForm', () => {
  it('shows each validation message next to its field and sends nothing', async () => {
    const api = mockApi();
    await renderForm(api);

    await userEvent.type(screen.getByLabelText('Project id'), 'Bad_Project');
    await userEvent.click(screen.getByRole('button', { name: 'Add member' }));
    await userEvent.type(
      screen.getByLabelText('Member 1 external user id'),
      'not an id',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Request tenant' }),
    );

    expect(screen.getByLabelText('Site')).toHaveAccessibleDescription(
      'Choose a site',
    );
    expect(screen.getByLabelText('Landing zone')).toHaveAccessibleDescription(
      'Choose a landing zone',
    );
    expect(screen.getByLabelText('Project id')).toHaveAccessibleDescription(
      'lower-case letters, digits and -, starting with a letter or digit, at most 40',
    );
    expect(
      screen.getByLabelText('Member 1 external user id'),
    ).toHaveAccessibleDescription('an external user id such as 1a2b…@egi.eu');
    expect(api.requestTenant).not.toHaveBeenCalled();
  });

  it('stops showing a field red as soon as it is fixed, without another submit', async () => {
    await renderForm(mockApi());
    await userEvent.click(
      screen.getByRole('button', { name: 'Request tenant' }),
    );
    expect(await screen.findByText('Enter a project id')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Project id'), 'analysis');
    await waitFor(() =>
      expect(screen.queryByText('Enter a project id')).not.toBeInTheDocument(),
    );
    expect(screen.getByLabelText('Project id')).not.toHaveAttribute(
      'aria-invalid',
      'true',
    );
    // The fields not yet fixed stay red.
    expect(screen.getByLabelText('Site')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
  });

  it('keeps labels above the fields, clear of placeholders, and names quota units', async () => {
    await renderForm(mockApi());
    for (const label of ['Site', 'Landing zone', 'Project id']) {
      expect(
        document.querySelector(
          `label[for="${screen.getByLabelText(label).id}"]`,
        ),
      ).toHaveClass('MuiInputLabel-shrink');
    }
    await userEvent.selectOptions(
      screen.getByLabelText('Landing zone'),
      'standard',
    );
    expect(
      await screen.findByLabelText('Compute (Nova): ram (MiB)'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Compute (Nova): cores')).toBeInTheDocument();
  });

  it('shows the landing zone quotas and checks quota overrides', async () => {
    const api = mockApi();
    await renderForm(api);
    await fillValidRequest();

    const quotas = screen.getByRole('table', {
      name: 'Quotas of landing zone Standard',
    });
    expect(quotas).toHaveTextContent('cores');
    expect(quotas).toHaveTextContent('131072');

    const cores = screen.getByLabelText('Compute (Nova): cores');
    await userEvent.type(cores, '2.5');
    await userEvent.click(
      screen.getByRole('button', { name: 'Request tenant' }),
    );
    expect(cores).toHaveAccessibleDescription(/expected int/);
    expect(api.requestTenant).not.toHaveBeenCalled();
  });

  it('sends a valid request and hands over the created tenant', async () => {
    const created = exampleTenant({ status: 'requires-approval' });
    const api = mockApi({
      requestTenant: jest.fn().mockResolvedValue(created),
    });
    const onCreated = await renderForm(api);
    await fillValidRequest();
    await userEvent.click(screen.getByRole('button', { name: 'Add member' }));
    await userEvent.type(
      screen.getByLabelText('Member 1 external user id'),
      '5c0e1f0f6a0b4c8d9e7f1a2b3c4d5e6f@egi.eu',
    );
    await userEvent.selectOptions(
      screen.getByLabelText('Member 1 role'),
      'reader',
    );
    await userEvent.type(screen.getByLabelText('Compute (Nova): cores'), '32');
    await userEvent.click(
      screen.getByRole('button', { name: 'Request tenant' }),
    );

    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
    expect(api.requestTenant).toHaveBeenCalledWith({
      workspace: 'group:default/platform-team',
      site: 'resource:default/site-a',
      project: 'analysis',
      landingZone: 'standard',
      members: [
        { euid: '5c0e1f0f6a0b4c8d9e7f1a2b3c4d5e6f@egi.eu', role: 'reader' },
      ],
      quotas: { compute: { cores: 32 } },
    });
  });

  it("shows the backend's 400 message", async () => {
    const message =
      "Invalid tenant request: quotas above landing zone standard's maximum: compute.cores 100 > 64";
    const api = mockApi({
      requestTenant: jest.fn().mockRejectedValue(
        await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: { name: 'InputError', message },
              request: { method: 'POST', url: '/api/openstack/tenants' },
              response: { statusCode: 400 },
            }),
            {
              status: 400,
              statusText: 'Bad Request',
              headers: { 'content-type': 'application/json' },
            },
          ),
        ),
      ),
    });
    const onCreated = await renderForm(api);
    await fillValidRequest();
    await userEvent.type(screen.getByLabelText('Compute (Nova): cores'), '100');
    await userEvent.click(
      screen.getByRole('button', { name: 'Request tenant' }),
    );

    // The backend's own words, not "Request failed with 400".
    expect((await screen.findByRole('alert')).textContent).toBe(message);
    expect(onCreated).not.toHaveBeenCalled();
  });
});
